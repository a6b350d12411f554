"""Command descriptions in each shipped language. Discord shows each user the description
for their client's language (a command's description_localizations), so the command picker
speaks it as the replies do; Slack's manifest has one text for everyone."""

from typing import Any

from discord import Locale, app_commands

from bot.kit.i18n import SHIPPED, Text, speaking
from bot.kit.safety import truncate

DESCRIPTION_LIMIT = 100


def description(help_text: Text, fallback: str) -> app_commands.locale_str:
    """The source language's description, carrying the help to write in the others."""
    shown = truncate(str(help_text) or fallback, DESCRIPTION_LIMIT)
    return app_commands.locale_str(shown, help=help_text)


def language_of(locale: Locale) -> str | None:
    """The shipped language a Discord locale reads (`es-ES` and `es-419` both Spanish)."""
    language = locale.value.split("-")[0]
    return language if language in SHIPPED else None


class HelpTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        help_text: Any = string.extras.get("help")
        language = language_of(locale)
        if not help_text or language is None:
            return None  # Discord then shows the source language's text
        with speaking(language):
            return truncate(str(help_text), DESCRIPTION_LIMIT)
