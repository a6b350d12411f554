"""The dashboard's message catalog (handlers/dashboard/locale, `make translations`)."""

from pathlib import Path

from bot.kit.i18n import Catalog

CATALOG = Catalog("dashboard", Path(__file__).parent / "locale")
_ = CATALOG.gettext
N_ = CATALOG.deferred
ngettext = CATALOG.ngettext
