"""Message catalogs and locale formatting: every word a person reads, in their language.

Each package that speaks to people keeps its own gettext domain beside its code
(`handlers/kudos/locale/fr/LC_MESSAGES/kudos.po`, the core's in `bot/locale`), written with
Babel (`make translations`). The `.po` files are the source in git; a compiled `.mo` is used
when `make translations` left one newer than its `.po`, otherwise the `.po` is compiled in
memory on first use, so a fresh checkout or an installed wheel speaks every shipped language.

Which language is spoken is the context's (`speaking`): the dispatcher sets the actor's for
each event, and messages meant for someone else (a DM) or for everyone (a channel post) are
written inside `speaking(...)` of that reader (bot.kit.language).
"""

import gettext
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.dates import format_time as babel_time
from babel.lists import format_list as babel_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent

log = logging.getLogger(__name__)

# The language the messages are written in, in the code: it needs no catalog.
SOURCE = "en"
# Every language with complete catalogs; `make test` fails when one of them lacks a message.
SHIPPED = ("en", "fr", "de", "es", "ja")

_speaking: ContextVar[str] = ContextVar("speaking", default=SOURCE)


# Every message and number an event writes asks: parsing the tag each time was about 2% of
# handling a kudos (cProfile of benchmarks/dispatch.py). Tags are few; the cache is bounded,
# since a platform's profile can carry any string.
@lru_cache(maxsize=1024)
def shipped(tag: str | None) -> str | None:
    """The shipped language a platform's or a person's tag (`fr-FR`, `pt_BR`, `ES`) means,
    or None when Rapport does not speak it."""
    if not tag:
        return None
    try:
        language = Locale.parse(tag.replace("-", "_").strip()).language
    except (ValueError, UnknownLocaleError):
        return None
    return language if language in SHIPPED else None


def current() -> str:
    return _speaking.get()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Write every message inside in `language` (a shipped one; anything else: the source)."""
    token = _speaking.set(shipped(language) or SOURCE)
    try:
        yield
    finally:
        _speaking.reset(token)


class Deferred:
    """A message declared before anyone reads it (help lines at import time): translated
    into the language spoken whenever it is turned into text."""

    def __init__(self, catalog: "Catalog", message: str) -> None:
        self.catalog = catalog
        self.message = message

    def __str__(self) -> str:
        return self.catalog.gettext(self.message)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


# Text people read: written already, or translated whenever it is shown.
Text = str | Deferred


def named(names: Mapping[str, Text], key: str) -> str:
    """The name of a stored key (a cadence, a role, a status) in the spoken language; the key
    itself when `names` has none for it."""
    return str(names[key]) if key in names else key


class Catalog:
    """One package's messages: its gettext domain in its `locale` directory."""

    def __init__(self, domain: str, directory: Path) -> None:
        self.domain = domain
        self.directory = directory

    def gettext(self, message: str) -> str:
        return _translations(self.directory, self.domain, current()).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of the message that fits `n` under the spoken language's plural rules;
        the caller fills in the number (`.format(count=...)`)."""
        return _translations(self.directory, self.domain, current()).ngettext(singular, plural, n)

    def deferred(self, message: str) -> Deferred:
        return Deferred(self, message)


@cache
def _translations(directory: Path, domain: str, language: str) -> gettext.NullTranslations:
    if language == SOURCE:
        return gettext.NullTranslations()
    messages = directory / language / "LC_MESSAGES"
    po, mo = messages / f"{domain}.po", messages / f"{domain}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    if not po.exists():
        log.warning("no %s catalog for %s; speaking English", domain, language)
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=language, domain=domain)
    memory = BytesIO()
    write_mo(memory, catalog)
    memory.seek(0)
    return gettext.GNUTranslations(memory)


def _locale() -> Locale:
    return _parsed(current())


@cache
def _parsed(language: str) -> Locale:
    """`language` is a shipped one (`speaking`): a handful in all."""
    return Locale.parse(language)


def format_number(number: float, decimals: int | None = None) -> str:
    """`12,345` in English, `12 345` in French, `12.345` in German; with `decimals`, that
    many digits after the separator (`4.50`, `4,50`)."""
    pattern = None
    if decimals is not None:
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(number, format=pattern, locale=_locale())


def format_percent(percent: float) -> str:
    """A whole percentage: `42%` in English, `42 %` in French."""
    return babel_percent(percent / 100, locale=_locale())


def format_list(items: Iterable[str], style: Literal["standard", "or"] = "standard") -> str:
    """`Ann, Bob and Cy`, `Ann, Bob et Cy`, `Ann、Bob、Cy`; style "or": `Ann, Bob, or Cy`."""
    return babel_list(list(items), style=style, locale=_locale())


def language_name(language: str, *, own: bool = False) -> str:
    """`French` in English, `français` in French; `own`: always in the language itself, as
    its readers look for it in a list of choices."""
    return Locale.parse(language).get_display_name(language if own else current()) or language


def format_date(day: date, form: str = "medium") -> str:
    return babel_date(day, format=form, locale=_locale())


def format_datetime(moment: datetime, form: str = "medium", timezone: str = "UTC") -> str:
    return babel_datetime(moment, format=form, tzinfo=ZoneInfo(timezone), locale=_locale())


def format_time(moment: datetime, form: str = "short") -> str:
    """A time of day as the language writes it, with the zone the moment is in: `12:00 AM
    GMT`, `00:00 GMT`, `0:00 JST`. Babel names most zones only by their offset, so the
    zone's own abbreviation is kept."""
    shown = babel_time(moment, format=form, tzinfo=moment.tzinfo, locale=_locale())
    zone = moment.tzname()
    return f"{shown} {zone}" if zone else shown
