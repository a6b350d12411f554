"""Text evidence by OpenAI embeddings, used for routing when OPENAI_API_KEY is set.

The question and every question-and-answer someone gave that was accepted are embedded in
one call (bot.kit.openai_models: any OpenAI-compatible server, short timeout, one retry); the
Ranker then takes each person's best cosine, decayed, in place of BM25. On any failure, or
with more texts than one call takes, the local BM25 answers instead, so a question is never
held up.
"""

from collections.abc import Hashable, Sequence
from typing import TypeVar

from bot.kit import openai_models
from bot.wiring.config import Settings
from handlers.qa.expertise import Answered

P = TypeVar("P", bound=Hashable)

MAX_TEXTS = 2047  # the API takes 2048 inputs a call: the question and these


def configured(settings: Settings) -> bool:
    return openai_models.configured(settings)


async def similarities(
    settings: Settings, model: str, question: str, answered: Sequence[Answered[P]]
) -> list[float] | None:
    """Cosine of `question` to each answered text, in order; None: use BM25."""
    if not answered or len(answered) > MAX_TEXTS or not question.strip():
        return None
    texts = [item.text for item in answered]
    return await openai_models.similarity_scores(settings, model, question, texts)
