"""Context.after_commit: steps run once the event has committed, each in a session of its own,
and are dropped with the rest of a handler's work when the handler refuses or fails."""

from datetime import UTC, datetime

import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.local.platform import LocalPlatform
from bot.contract.app import Bot, delivery_digest
from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.contract.events import Actor, Command
from bot.contract.router import Router
from bot.models import ProcessedEvent
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings
from handlers.kudos.tables import CompanyValue

NOW = datetime(2027, 1, 4, 9, 17, tzinfo=UTC)


def build_router(seen: list[str]) -> Router:
    router = Router()

    @router.command("later")
    async def later(ctx: Context, command: Command) -> None:
        workspace = ctx.workspace.id or 0

        async def step(session: AsyncSession) -> None:
            # The event's own row is committed and visible from this other session.
            handled = await session.exec(select(ProcessedEvent.event_id))
            seen.extend(handled.all())
            session.add(CompanyValue(workspace_id=workspace, tag=f"after-{command.text}"))

        async def broken(session: AsyncSession) -> None:
            raise RuntimeError("a step that fails")

        ctx.after_commit(broken)
        ctx.after_commit(step)
        if command.text == "refuse":
            raise UserError("no")
        ctx.reply("done")

    return router


@pytest.fixture
def seen() -> list[str]:
    return []


@pytest.fixture
def bot(db: Database, seen: list[str]) -> Bot:
    settings = Settings(_env_file=None, database_url=db.url)
    return Bot(db, build_router(seen), settings, VirtualClock(NOW), {"local": LocalPlatform()})


def later(text: str, event_id: str) -> Command:
    actor = Actor(id="mia", name="mia")
    return Command(
        event_id=event_id, platform="local", workspace="W1", actor=actor, name="later", text=text
    )


async def test_steps_run_after_the_commit_and_not_after_a_refusal(
    bot: Bot, db: Database, seen: list[str]
) -> None:
    assert (await bot.dispatch(later("go", "e1"))).status == "handled"
    assert (await bot.dispatch(later("refuse", "e2"))).status == "rejected"
    async with db.session() as session:
        tags = (await session.exec(select(CompanyValue.tag).order_by(col(CompanyValue.id)))).all()
        received = (await session.exec(select(ProcessedEvent.received_at))).all()
    # The failing step did not stop the next one; the refused event's steps never ran.
    assert list(tags) == ["after-go"] and seen == [delivery_digest("e1")]
    # Events are kept with their day only: an exact time would date what they did.
    assert set(received) == {datetime(2027, 1, 4, tzinfo=UTC)}
