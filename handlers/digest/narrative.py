"""A short narrative summary of the digest, written by an OpenAI-compatible model when
OPENAI_API_KEY is set.

The model sees only the channel facts (counts, shown pulse numbers, public kudos and idea
titles), never a part's private lines. On any failure or an empty answer the caller uses
the deterministic summary instead: the digest is never held up by the model.
"""

import json
from collections.abc import Sequence

from bot.contract.digest import DigestPart, Spotlight
from bot.kit import openai_models
from bot.kit.safety import neutralise, truncate
from bot.wiring.config import Settings
from handlers.digest.change import Change

TIMEOUT_SECONDS = 15.0
LIMIT = 600
# A prompt for the model, in English whatever the digest's language; the answer's language
# is named at its end.
PROMPT = (
    "You write the opening paragraph of a weekly community digest "  # not translated: a prompt
    "for a company chat. Use only the facts given as JSON; do not invent numbers or "
    "names. Two or three warm, plain sentences, no lists, no headings. "
    "Write in {language}."
)


def facts_json(
    parts: Sequence[DigestPart], changes: Sequence[Change], highlights: Sequence[Spotlight]
) -> str:
    """The channel facts only: never a part's private lines or what waits on managers."""
    facts = {
        **{part.title: part.facts for part in parts},
        "against last week": {  # not translated: a key the model reads
            c.figure.label: {"now": c.figure.value, "before": c.previous, "large": c.large}
            for c in changes
        },
        "highlights": [spotlight.text for spotlight in highlights],
    }
    return json.dumps(facts, default=str, ensure_ascii=False)


async def written(settings: Settings, facts: str, language: str) -> str | None:
    """`language`: its name in English, as the prompt is written."""
    content = await openai_models.ask(
        settings,
        PROMPT.format(language=language),
        facts,
        purpose="digest narrative",  # not translated: for the logs
        temperature=0.3,
        wait_seconds=TIMEOUT_SECONDS,
    )
    text = " ".join((content or "").split())
    return truncate(neutralise(text), LIMIT) if text else None
