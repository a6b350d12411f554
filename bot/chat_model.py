"""One question to an OpenAI-compatible chat model, for features that may use one.

Every caller has a local fallback, so a failure is logged and answered with None rather
than raised: nothing waits on the model.
"""

import logging

from openai import AsyncOpenAI, OpenAIError

from bot.config import Settings

log = logging.getLogger(__name__)

MODEL = "gpt-4o-mini"


def configured(settings: Settings) -> bool:
    return bool(settings.openai_api_key)


async def ask(
    settings: Settings,
    system: str,
    user: str,
    *,
    purpose: str,
    temperature: float,
    wait_seconds: float,
) -> str | None:
    """The model's answer to `user` under the `system` prompt; None if the call failed."""
    client = AsyncOpenAI(
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url or None,
        timeout=wait_seconds,
        max_retries=1,
    )
    try:
        response = await client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            temperature=temperature,
        )
    except OpenAIError as failure:
        log.warning("%s failed, using the local fallback: %r", purpose, failure)
        return None
    finally:
        await client.close()
    return response.choices[0].message.content if response.choices else None
