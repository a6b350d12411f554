"""Similarity by OpenAI embeddings, used for duplicate hints when OPENAI_API_KEY is set.

Any OpenAI-compatible server works through OPENAI_BASE_URL. The call happens while the
submitting event's transaction is open, so it gets a short timeout and one retry; on any
failure the caller falls back to the local similarity, and the idea is never held up.
"""

import logging
import math
from collections.abc import Sequence

from openai import AsyncOpenAI, OpenAIError

from bot.config import Settings

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5.0


def configured(settings: Settings) -> bool:
    return bool(settings.openai_api_key)


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norms = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norms if norms else 0.0


async def scores(
    settings: Settings, model: str, query: str, documents: Sequence[str]
) -> list[float] | None:
    """Cosine similarity of `query` to each document; None if the embeddings call failed."""
    if not documents:
        return []
    client = AsyncOpenAI(
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url or None,
        timeout=TIMEOUT_SECONDS,
        max_retries=1,
    )
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
