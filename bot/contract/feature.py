"""The one interface between a feature and the core: a `Feature`, exported as `feature` by
the feature's package (handlers/<name>/__init__.py) and listed in handlers/__init__.py.

The core imports no feature. The wiring (bot/wiring/) iterates over the list: it builds one
router from theirs (with their settings sections), registers their tables with the schema
(and Alembic), mounts their command-line commands and web pages, and seeds their demo data.
The router remembers them, so that the retention job runs their rules and the privacy
feature reads their export and erasure contributions; the insights rebuild the network from
their history, the digest gathers their weekly parts, the dashboard draws their panels and
the home page shows their parts.
An adapter with tables of its own contributes them the same way (adapters/<platform>/feature.py).
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.dashboard import Part
from bot.contract.digest import DigestPart, Week
from bot.contract.home import HomeSource
from bot.contract.router import Router
from bot.kit.interactions import PastEdge
from bot.kit.personal_data import PersonalData
from bot.models import Workspace
from bot.store.expiry import Expiry
from bot.wiring.config import Settings

if TYPE_CHECKING:
    import typer
    from aiohttp.web import Application

    from bot.contract.app import Bot


@dataclass(frozen=True)
class CommandLine:
    """What a feature's `rapport <name> …` commands are given by the wiring."""

    # Every setting, each feature's included, read and checked; a bad one ends the command.
    settings: Callable[[], Settings]
    # Prints a line as the other commands do.
    say: Callable[[str], None]


def _keeps_nothing(settings: Settings) -> Sequence[Expiry]:
    return ()


@dataclass(frozen=True)
class Feature:
    """Everything a feature adds to the bot."""

    name: str
    # Its commands, actions, forms, reactions, schedules and settings section.
    router: Router = field(default_factory=Router)
    # Its SQLModel tables; importing them registers them with SQLModel.metadata.
    tables: Sequence[type[SQLModel]] = ()
    # Its retention rules, each with its window as the settings give it.
    expiries: Callable[[Settings], Sequence[Expiry]] = _keeps_nothing
    # What it adds to a person's export and erasure.
    personal_data: PersonalData = field(default_factory=PersonalData)
    # `rapport <name> …`: a typer app the wiring mounts under the feature's name.
    commands: "Callable[[CommandLine], typer.Typer] | None" = None
    # What it adds to the demo workspace (bot/wiring/demo.py), once the people exist.
    demo: Callable[[AsyncSession, Workspace, datetime], Awaitable[None]] | None = None
    # The interaction edges its stored history implies in a workspace (by id), the same as it
    # records live: the insights rebuild the graph from every feature's.
    history: Callable[[AsyncSession, int], Awaitable[list[PastEdge]]] | None = None
    # Its pages on the one web server (bot/wiring/web.py mounts them), as the dashboard's.
    pages: "Callable[[Application, Bot], None] | None" = None
    # Its panels on the dashboard's pages (bot/contract/dashboard.py): cards, charts, tables.
    dashboard: Sequence[Part] = ()
    # Its part of a week's digest (bot/contract/digest.py), or None when it has nothing to say.
    digest: (
        Callable[[AsyncSession, Workspace, Week, Settings], Awaitable[DigestPart | None]] | None
    ) = None
    # Its part of a person's home page (bot/contract/home.py): a section, what needs them,
    # buttons for its common actions.
    home: HomeSource | None = None


def router_of(features: Sequence[Feature]) -> Router:
    """One router answering for every feature, which also remembers them."""
    router = Router()
    for feature in features:
        router.include(feature.router)
    router.features.extend(features)
    return router
