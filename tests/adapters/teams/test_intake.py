"""A Teams activity is stored before its answer; one whose turn a dead replica never
finished is replayed as a turn of its own, once its lease runs out."""

from datetime import timedelta

from sqlmodel import select

from adapters.teams.app import INTAKE_KIND
from bot.delivery.intake import Arrival, Intake
from bot.models import InboundEvent
from bot.time.clock import VirtualClock
from handlers.kudos.tables import Kudos
from tests.adapters.teams import payloads as P
from tests.adapters.teams.conftest import TeamsWorld
from tests.adapters.teams.test_kudos import install


async def test_an_answered_activity_leaves_no_stored_row(teams: TeamsWorld) -> None:
    await install(teams)
    await teams.rapport.runtime.intake.idle()  # its delete follows the answer
    async with teams.rapport.runtime.intake.db.session() as session:
        assert (await session.exec(select(InboundEvent))).all() == []


async def test_a_dead_replicas_activity_is_replayed_once(
    teams: TeamsWorld, clock: VirtualClock
) -> None:
    await install(teams)
    command = P.channel_message(
        teams.url, P.ANN, "{Rapport} kudos {Bob Ray} thanks for the demo", (P.BOT, P.BOB)
    )
    rapport = teams.rapport
    dead = Intake(rapport.db, clock, rapport.bot.settings, "dead")
    arrival = Arrival("teams", command["id"], INTAKE_KIND, {"activity": command}, "t", "a")
    assert await dead.store(arrival) is not None  # stored, then the process died mid-turn
    intake = rapport.runtime.intake
    assert await intake.sweep() == 0  # the dead replica's lease still runs
    clock.advance(timedelta(seconds=rapport.bot.settings.intake_lease_seconds + 1))
    assert await intake.sweep() == 1
    await intake.idle()
    await teams.settle()
    async with rapport.db.session() as session:
        assert [k.reason for k in (await session.exec(select(Kudos))).all()] == [
            "thanks for the demo"
        ]
    async with rapport.runtime.intake.db.session() as session:
        assert (await session.exec(select(InboundEvent))).all() == []
    assert len(teams.connector.sent(P.KUDOS_CHANNEL)) == 1
    # Teams delivers the activity again: recognised, nothing happens twice.
    assert (await teams.post(command)).status == 202
    await teams.settle()
    async with rapport.db.session() as session:
        assert len((await session.exec(select(Kudos))).all()) == 1
    assert len(teams.connector.sent(P.KUDOS_CHANNEL)) == 1
