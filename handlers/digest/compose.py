"""Putting a digest together: the facts, the network picks, and the summary paragraph."""

from dataclasses import replace

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.ui import Message
from bot.kit import openai_models
from bot.kit.roles import Role
from bot.models import Person, Workspace
from bot.wiring.config import Settings
from handlers.digest import narrative, network, render
from handlers.digest.facts import Sensitive, Window, week_facts


async def compose(
    session: AsyncSession, workspace: Workspace, window: Window, settings: Settings
) -> tuple[Message, Sensitive]:
    """The channel post for `window`, and what only community managers may see."""
    facts = await week_facts(session, workspace, window, settings)
    picks = await network.week_picks(session, workspace, window)
    facts = replace(facts, connectors=picks.connectors)
    written = None
    if openai_models.configured(settings):
        written = await narrative.written(settings, facts)
    return render.digest(facts, written), picks.sensitive


async def community_managers(session: AsyncSession, workspace: Workspace) -> list[Person]:
    people = await session.exec(
        select(Person)
        .where(Person.workspace_id == workspace.id, col(Person.is_bot).is_(False))
        .order_by(col(Person.id))
    )
    return [p for p in people.all() if Role.COMMUNITY_MANAGER in p.roles]
