"""Privacy' message catalog (handlers/privacy/locale, `make translations`)."""

from pathlib import Path

from bot.kit.i18n import Catalog

CATALOG = Catalog("privacy", Path(__file__).parent / "locale")
_ = CATALOG.gettext
N_ = CATALOG.deferred
ngettext = CATALOG.ngettext
