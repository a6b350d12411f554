"""Comment themes written by an OpenAI-compatible model, when OPENAI_API_KEY is set.

Only comments that are already shown (at or above the comment threshold) are sent, and only
their text. On any failure, or an answer that is not a short list of themes, the caller keeps
the local word themes: results are never held up by the model.
"""

import json
import logging
from collections.abc import Sequence

from openai import AsyncOpenAI, OpenAIError

from bot.config import Settings
from bot.safety import neutralise, truncate

log = logging.getLogger(__name__)

MODEL = "gpt-4o-mini"
TIMEOUT_SECONDS = 10.0
PROMPT = (
    "These are anonymous answers to an employee survey question. Name the three most common "
    "themes, each in at most five words. Answer with a JSON array of strings only."
)


def configured(settings: Settings) -> bool:
    return bool(settings.openai_api_key)


async def written(settings: Settings, question: str, comments: Sequence[str]) -> list[str] | None:
    """Up to three themes, neutralised like any text shown in chat; None if the call failed."""
    client = AsyncOpenAI(
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url or None,
        timeout=TIMEOUT_SECONDS,
        max_retries=1,
    )
    listing = "\n".join(f"- {c}" for c in comments)
    try:
        response = await client.chat.completions.create(
            model=MODEL,
            messages=[
                {"role": "system", "content": PROMPT},
                {"role": "user", "content": f"Question: {question}\nAnswers:\n{listing}"},
            ],
            temperature=0,
        )
    except OpenAIError as failure:
        log.warning("comment themes failed, using local themes: %r", failure)
        return None
    finally:
        await client.close()
    content = response.choices[0].message.content if response.choices else None
    try:
        themes = json.loads(content or "")
    except json.JSONDecodeError:
        themes = None
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
        log.warning("comment themes: not a JSON list of strings: %r", content)
        return None
    return [truncate(neutralise(t.strip()), 60) for t in themes if t.strip()][:3]
