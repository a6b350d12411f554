"""A short narrative summary of the digest, written by an OpenAI-compatible model when
OPENAI_API_KEY is set.

The model sees only the channel facts (counts, shown pulse numbers, public kudos and idea
titles), never anything from `Sensitive`. On any failure or an empty answer the caller uses
the deterministic summary instead: the digest is never held up by the model.
"""

import dataclasses
import json

from bot.kit import openai_models
from bot.kit.safety import neutralise, truncate
from bot.wiring.config import Settings
from handlers.digest.facts import WeekFacts

TIMEOUT_SECONDS = 15.0
LIMIT = 600
PROMPT = (
    "You write the opening paragraph of a weekly community digest for a company chat. Use only "
    "the facts given as JSON; do not invent numbers or names. Two or three warm, plain "
    "sentences, no lists, no headings."
)


def facts_json(facts: WeekFacts) -> str:
    return json.dumps(dataclasses.asdict(facts), default=str, ensure_ascii=False)


async def written(settings: Settings, facts: WeekFacts) -> str | None:
    content = await openai_models.ask(
        settings,
        PROMPT,
        facts_json(facts),
        purpose="digest narrative",
        temperature=0.3,
        wait_seconds=TIMEOUT_SECONDS,
    )
    text = " ".join((content or "").split())
    return truncate(neutralise(text), LIMIT) if text else None
