"""The home page's message catalog (handlers/home/locale, `make translations`)."""

from pathlib import Path

from bot.kit.i18n import Catalog

CATALOG = Catalog("home", Path(__file__).parent / "locale")
_ = CATALOG.gettext
