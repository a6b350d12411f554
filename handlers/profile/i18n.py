"""Profile's message catalog (handlers/profile/locale, `make translations`)."""

from pathlib import Path

from bot.kit.i18n import Catalog

CATALOG = Catalog("profile", Path(__file__).parent / "locale")
_ = CATALOG.gettext
N_ = CATALOG.deferred
