"""Ideas on a person's home page: their own ideas and where each stands, the top ideas, and
a button that opens the idea form."""

from datetime import datetime

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.home import HomePart
from bot.contract.ui import Button, Section
from bot.kit.i18n import format_number
from bot.kit.wording import list_line
from bot.models import Person, Workspace
from bot.wiring.config import Settings
from handlers.ideas.i18n import _, ngettext
from handlers.ideas.rules import OPEN, ranking
from handlers.ideas.settings import ideas_settings
from handlers.ideas.stages import stage_label
from handlers.ideas.tables import Idea, IdeaAuthor

RECENT = 5
START = "ideas.start"


async def _own(session: AsyncSession, person: Person) -> list[Idea]:
    co_authored = select(IdeaAuthor.idea_id).where(IdeaAuthor.person_id == person.id)
    found = await session.exec(
        select(Idea)
        .where(
            or_(Idea.author_id == person.id, col(Idea.id).in_(co_authored)),
            col(Idea.stage).in_((*OPEN, "done", "declined")),
        )
        .order_by(col(Idea.stage_changed_at).desc())
        .limit(RECENT)
    )
    return list(found.all())


def _votes(count: int) -> str:
    return ngettext("{count} vote", "{count} votes", count).format(count=format_number(count))


async def part(
    session: AsyncSession, workspace: Workspace, person: Person, settings: Settings, now: datetime
) -> HomePart:
    half_life = ideas_settings(workspace, settings).vote_half_life_days
    top = await ranking(session, workspace, None, now, half_life, RECENT)
    own = "\n".join(
        f"• #{i.id} {list_line(i.title)} — {stage_label(i.stage)}"
        for i in await _own(session, person)
    ) or _("None yet. Share one with `/idea Title — details`.")
    best = "\n".join(
        f"• #{r.idea.id} {list_line(r.idea.title)} — {_votes(r.votes)}" for r in top
    ) or _("No ideas yet.")
    return HomePart(
        blocks=[
            Section(text="*💡 " + _("Ideas") + "*"),
            Section(text=_("_Yours_") + f"\n{own}"),
            Section(text=_("_Top ideas_") + f"\n{best}"),
        ],
        actions=[Button(action_id=START, label="💡 " + _("Post an idea"))],
    )
