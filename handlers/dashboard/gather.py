"""Which panels a reader gets: every feature's parts for the page, filtered by role, asked
with the reader's filters; a read of a panel that shows people one by one is audited.

The filters come from the query string and are checked here: an unknown period falls back to
the default, a department must be one that exists, and a part's own choice (the survey) is
passed on as text for the part to match against what it offers.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.dashboard import Choice, Page, Panel, View
from bot.contract.feature import Feature
from bot.kit.audit import record
from bot.kit.roles import Role, has_role
from bot.kit.tallies import departments
from bot.models import Person, Workspace
from bot.time.weeks import complete_weeks
from bot.wiring.config import Settings

# The periods offered, in weeks, as the query string names them.
PERIODS = ("4", "12", "26")
DEFAULT_PERIOD = "12"
FIXED = ("period", "department")


@dataclass(frozen=True)
class Filters:
    period: str
    department: str | None
    chosen: Mapping[str, str]

    def query(self) -> dict[str, str]:
        found = {"period": self.period, **self.chosen}
        if self.department is not None:
            found["department"] = self.department
        return found


@dataclass(frozen=True)
class Shown:
    """A page as its reader may see it."""

    view: View
    filters: Filters
    departments: list[str]
    panels: list[Panel]

    @property
    def choices(self) -> list[Choice]:
        return [choice for panel in self.panels for choice in panel.choices]

    def query(self) -> dict[str, str]:
        """The filters as set, without any the page does not offer: they go into links and
        the audit log, which should not carry whatever a query string held."""
        offered = {choice.name for choice in self.choices}
        return {k: v for k, v in self.filters.query().items() if k in FIXED or k in offered}


def may_enter(person: Person | None) -> bool:
    """Admins, community managers and HR: each sees the parts for their role."""
    return person is not None and any(
        has_role(person.roles, role) for role in (Role.COMMUNITY_MANAGER, Role.HR)
    )


def filters(query: Mapping[str, str], known: Sequence[str]) -> Filters:
    period = query.get("period", DEFAULT_PERIOD)
    department = query.get("department") or None
    return Filters(
        period if period in PERIODS else DEFAULT_PERIOD,
        department if department in known else None,
        {name: value for name, value in query.items() if name not in FIXED and value},
    )


async def shown(
    session: AsyncSession,
    features: Sequence[Feature],
    page: Page,
    reader: Person,
    workspace: Workspace,
    settings: Settings,
    now: datetime,
    query: Mapping[str, str],
) -> Shown:
    known = await departments(session, workspace.id or 0)
    chosen = filters(query, known)
    view = View(
        workspace,
        settings,
        now,
        complete_weeks(now, int(chosen.period), workspace.timezone),
        chosen.department,
        chosen.chosen,
    )
    parts = sorted(
        (
            (part.order, number, part)
            for number, feature in enumerate(features)
            for part in feature.dashboard
            if part.page == page and any(has_role(reader.roles, r) for r in part.roles)
        ),
        key=lambda item: (item[0], item[1]),
    )
    panels = [panel for _, _, part in parts if (panel := await part.panel(session, view))]
    return Shown(view, chosen, known, panels)


async def audit_reads(
    session: AsyncSession, found: Shown, reader: Person, page: Page, export: bool = False
) -> None:
    """One audit entry per panel that shows people one by one, in the reading transaction."""
    for panel in found.panels:
        if panel.audit is None:
            continue
        await record(
            session,
            found.view.workspace.id or 0,
            reader.id,
            "dashboard.export" if export else "dashboard.read",
            found.view.now,
            page=page,
            panel=panel.title,
            filters=found.query(),
            read=dict(panel.audit),
        )
