"""What features ask of an OpenAI-compatible server (OPENAI_BASE_URL), when OPENAI_API_KEY is
set: one chat answer, or how alike texts are by their embeddings.

Every caller has a local fallback, so a failure is logged and answered with None rather
than raised, and calls get a short timeout and one retry: nothing waits on the model.
The openai package is imported on the first call, so a bot without a key never loads it.
"""

import logging
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.wiring.config import Settings

if TYPE_CHECKING:
    from openai import AsyncOpenAI

log = logging.getLogger(__name__)

CHAT_MODEL = "gpt-4o-mini"
EMBEDDING_SECONDS = 5.0


def configured(settings: Settings) -> bool:
    return bool(settings.openai_api_key)


def _client(settings: Settings, wait_seconds: float) -> "AsyncOpenAI":
    from openai import AsyncOpenAI

    return AsyncOpenAI(
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url or None,
        timeout=wait_seconds,
        max_retries=1,
    )


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
    from openai import OpenAIError

    client = _client(settings, wait_seconds)
    try:
        response = await client.chat.completions.create(
            model=CHAT_MODEL,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            temperature=temperature,
        )
    except OpenAIError as failure:
        log.warning("%s failed, using the local fallback: %r", purpose, failure)
        return None
    finally:
        await client.close()
    return response.choices[0].message.content if response.choices else None


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norms = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norms if norms else 0.0


async def similarity_scores(
    settings: Settings, model: str, query: str, documents: Sequence[str]
) -> list[float] | None:
    """Cosine similarity of `query` to each document; None if the embeddings call failed."""
    if not documents:
        return []
    from openai import OpenAIError

    client = _client(settings, EMBEDDING_SECONDS)
    try:
        response = await client.embeddings.create(
            model=model, input=[query, *documents], encoding_format="float"
        )
    except OpenAIError as failure:
        log.warning("embeddings failed, using local similarity: %r", failure)
        return None
    finally:
        await client.close()
    vectors = [item.embedding for item in sorted(response.data, key=lambda item: item.index)]
    if len(vectors) != len(documents) + 1:
        log.warning("embeddings answered %d vectors for %d texts", len(vectors), len(documents) + 1)
        return None
    return [_cosine(vectors[0], vector) for vector in vectors[1:]]
