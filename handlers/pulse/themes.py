"""Comment themes written by an OpenAI-compatible model, when OPENAI_API_KEY is set.

The model reads the comments of every language together and writes the themes in the
reader's, which the local word themes cannot do (handlers.pulse.results.themes).

Only comments that are already shown (at or above the comment threshold) are sent, and only
their text. On any failure, or an answer that is not a short list of themes, the caller keeps
the local word themes: results are never held up by the model.
"""

import json
import logging
from collections.abc import Sequence

from babel import Locale

from bot.kit import openai_models
from bot.kit.i18n import current
from bot.kit.safety import neutralise, truncate
from bot.wiring.config import Settings

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
PROMPT = (
    "These are anonymous answers "  # not translated: words to the model, not to people
    "to an employee survey question, possibly in several languages. Name the three most common "
    "themes across all of them, each in at most five words, written in {language}. Answer "
    "with a JSON array of strings only."
)


async def written(settings: Settings, question: str, comments: Sequence[str]) -> list[str] | None:
    """Up to three themes, neutralised like any text shown in chat; None if the call failed."""
    listing = "\n".join(f"- {c}" for c in comments)
    # The reader's language, named in English for the model.
    language = Locale.parse(current()).english_name or "English"
    content = await openai_models.ask(
        settings,
        PROMPT.format(language=language),
        f"Question: {question}\nAnswers:\n{listing}",
        purpose="comment themes",  # not translated: a label of the model's usage log
        temperature=0,
        wait_seconds=TIMEOUT_SECONDS,
    )
    if content is None:
        return None
    try:
        themes = json.loads(content)
    except json.JSONDecodeError:
        themes = None
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
        log.warning("comment themes: not a JSON list of strings: %r", content)
        return None
    return [truncate(neutralise(t.strip()), 60) for t in themes if t.strip()][:3]
