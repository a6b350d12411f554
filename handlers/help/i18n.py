"""Help's message catalog (handlers/help/locale, `make translations`)."""

from pathlib import Path

from bot.kit.i18n import Catalog

CATALOG = Catalog("help", Path(__file__).parent / "locale")
_ = CATALOG.gettext
N_ = CATALOG.deferred
