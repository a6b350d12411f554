"""Putting a digest together from every feature's part: the change of each figure, the
public highlights, the summary paragraph, and the private part.

Each part is made in a savepoint of its own: a part that fails takes back what it wrote and
is left out, and the digest goes out with the others rather than not at all (a retry would
fail the same way every time)."""

import logging
import traceback
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Spotlight, Week
from bot.contract.feature import Feature
from bot.kit import openai_models
from bot.kit.i18n import SOURCE, current, language_name, speaking
from bot.kit.roles import Role
from bot.models import Person, Workspace
from bot.wiring.config import Settings
from handlers.digest import highlights, narrative
from handlers.digest.change import Change, changes, needs_last_week

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Composed:
    """A week's digest before rendering: `parts` and `highlights` may go to a channel;
    `private` and `to_act_on` only to community managers."""

    week: Week
    parts: list[DigestPart]
    changes: list[Change]
    highlights: list[Spotlight]
    written: str | None = None

    @property
    def private(self) -> list[str]:
        return [line for part in self.parts for line in part.private]

    @property
    def to_act_on(self) -> list[str]:
        return [line for part in self.parts for line in part.to_act_on]


async def _parts(
    session: AsyncSession,
    workspace: Workspace,
    week: Week,
    settings: Settings,
    features: Sequence[Feature],
) -> list[tuple[Feature, DigestPart]]:
    found = []
    for feature in features:
        part = await _part(session, workspace, week, settings, feature)
        if part is not None:
            found.append((feature, part))
    return sorted(found, key=lambda pair: pair[1].order)


async def _part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings, feature: Feature
) -> DigestPart | None:
    if feature.digest is None:
        return None
    try:
        async with session.begin_nested():
            return await feature.digest(session, workspace, week, settings)
    except Exception as failure:
        _log_failure(feature, workspace, failure)
        return None


def _log_failure(feature: Feature, workspace: Workspace, failure: Exception) -> None:
    """Where it failed and how, never the error's message nor its traceback's: either may
    quote a person's words or a row's values (docs/operations/logs.md)."""
    frames = traceback.extract_tb(failure.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    log.error(
        "digest: the %s part failed in workspace %s (%s at %s); the digest goes without it",
        feature.name,
        workspace.id,
        type(failure).__name__,
        where,
    )


async def compose(
    session: AsyncSession,
    workspace: Workspace,
    week: Week,
    settings: Settings,
    features: Sequence[Feature],
    *,
    written: bool = True,
) -> Composed:
    """`written`: with the model's summary, when one is configured."""
    now = await _parts(session, workspace, week, settings, features)
    # Only the parts with figures to compare are asked again, for the week before: the
    # network's part has none, and is the costly one.
    again = [feature for feature, part in now if needs_last_week(part)]
    before = await _parts(session, workspace, week.previous, settings, again)
    parts = [part for _, part in now]
    featured = await highlights.featured_last_week(session, workspace, week)
    chosen = highlights.pick(
        [s for part in parts for s in part.spotlights],
        featured,
        {pair for part in parts for pair in part.not_together},
    )
    moved = changes(parts, [part for _, part in before])
    summary = None
    if written and openai_models.configured(settings):
        facts = narrative.facts_json(parts, moved, chosen)
        language = current()
        with speaking(SOURCE):  # the prompt is English, and names the language in English
            named = language_name(language)
        summary = await narrative.written(settings, facts, named)
    return Composed(week, parts, moved, chosen, summary)


async def community_managers(session: AsyncSession, workspace: Workspace) -> list[Person]:
    people = await session.exec(
        select(Person)
        .where(Person.workspace_id == workspace.id, col(Person.is_bot).is_(False))
        .order_by(col(Person.id))
    )
    return [p for p in people.all() if Role.COMMUNITY_MANAGER in p.roles]
