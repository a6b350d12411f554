"""The core's message catalog (bot/locale, domain `rapport`): its own answers, such as refusals
and the lines of generated help."""

from pathlib import Path

from bot.kit.i18n import Catalog

CATALOG = Catalog("rapport", Path(__file__).parents[1] / "locale")
_ = CATALOG.gettext
N_ = CATALOG.deferred
ngettext = CATALOG.ngettext
