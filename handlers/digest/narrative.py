"""A short narrative summary of the digest, written by an OpenAI-compatible model when
OPENAI_API_KEY is set.

The model sees only the channel facts (counts, shown pulse numbers, public kudos and idea
titles), never anything from `Sensitive`. On any failure or an empty answer the caller uses
the deterministic summary instead: the digest is never held up by the model.
"""

import dataclasses
import json
import logging

from openai import AsyncOpenAI, OpenAIError

from bot.config import Settings
from bot.safety import neutralise, truncate
from handlers.digest.facts import WeekFacts

log = logging.getLogger(__name__)

MODEL = "gpt-4o-mini"
TIMEOUT_SECONDS = 15.0
LIMIT = 600
PROMPT = (
    "You write the opening paragraph of a weekly community digest for a company chat. Use only "
    "the facts given as JSON; do not invent numbers or names. Two or three warm, plain "
    "sentences, no lists, no headings."
)


def configured(settings: Settings) -> bool:
    return bool(settings.openai_api_key)


def facts_json(facts: WeekFacts) -> str:
    return json.dumps(dataclasses.asdict(facts), default=str, ensure_ascii=False)


async def written(settings: Settings, facts: WeekFacts) -> str | None:
    client = AsyncOpenAI(
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url or None,
        timeout=TIMEOUT_SECONDS,
        max_retries=1,
    )
    try:
        response = await client.chat.completions.create(
            model=MODEL,
            messages=[
                {"role": "system", "content": PROMPT},
                {"role": "user", "content": facts_json(facts)},
            ],
            temperature=0.3,
        )
    except OpenAIError as failure:
        log.warning("digest narrative failed, using the template: %r", failure)
        return None
    finally:
        await client.close()
    content = response.choices[0].message.content if response.choices else None
    text = " ".join((content or "").split())
    return truncate(neutralise(text), LIMIT) if text else None
