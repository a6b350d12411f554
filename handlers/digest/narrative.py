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
PROMPT = (
    "You write the opening paragraph of a weekly community digest for a company chat. Use only "
    "the facts given as JSON; do not invent numbers or names. Two or three warm, plain "
    "sentences, no lists, no headings."
)


def facts_json(
    parts: Sequence[DigestPart], changes: Sequence[Change], highlights: Sequence[Spotlight]
) -> str:
    """The channel facts only: never a part's private lines or what waits on managers."""
    facts = {
        **{part.title: part.facts for part in parts},
        "against last week": {
            c.figure.label: {"now": c.figure.value, "before": c.previous, "large": c.large}
            for c in changes
        },
        "highlights": [spotlight.text for spotlight in highlights],
    }
    return json.dumps(facts, default=str, ensure_ascii=False)


async def written(settings: Settings, facts: str) -> str | None:
    content = await openai_models.ask(
        settings,
        PROMPT,
        facts,
        purpose="digest narrative",
        temperature=0.3,
        wait_seconds=TIMEOUT_SECONDS,
    )
    text = " ".join((content or "").split())
    return truncate(neutralise(text), LIMIT) if text else None
