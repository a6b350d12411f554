"""Bot.dispatch middleware on real databases: dedupe, roles, savepoints and friendly answers."""

import asyncio
import logging
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import col, func, select

from adapters.local.platform import LocalPlatform
from bot.contract.app import Bot, Outcome
from bot.contract.context import Context
from bot.contract.errors import FormInvalid, UserError
from bot.contract.events import Action, Actor, AnyEvent, Command, FormSubmit, Message, Reaction
from bot.contract.router import Router
from bot.contract.ui import Form, Input
from bot.delivery.outbox import Sender
from bot.kit.people import ensure_workspace
from bot.kit.roles import Role, missing_role
from bot.models import OutboxMessage, Person, ProcessedEvent, Workspace
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings
from handlers.kudos.tables import CompanyValue

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
WORKSPACE = "W1"
PEOPLE = {"boss": ["admin"], "hal": ["hr"], "mia": []}
REF = re.compile(r"\(ref ([0-9a-f]{8})\)")


def build_router() -> Router:
    router = Router()

    async def remember(ctx: Context, tag: str) -> None:
        assert ctx.workspace.id is not None
        ctx.session.add(CompanyValue(workspace_id=ctx.workspace.id, tag=tag))
        await ctx.session.flush()

    async def tags_known(ctx: Context) -> list[str]:
        found = await ctx.session.exec(
            select(CompanyValue.tag).where(CompanyValue.workspace_id == ctx.workspace.id)
        )
        return list(found.all())

    @router.command("note")
    async def note(ctx: Context, command: Command) -> None:
        await remember(ctx, command.text)
        ctx.reply(f"noted {command.text}")

    @router.command("boom")
    async def boom(ctx: Context, command: Command) -> None:
        await remember(ctx, "flushed")
        ctx.session.add(CompanyValue(workspace_id=ctx.workspace.id or 0, tag="pending"))
        ctx.reply("saved!")
        ctx.post("general", "announcing something that never happened")
        raise RuntimeError("database exploded")

    @router.command("clash")
    async def clash(ctx: Context, command: Command) -> None:
        # Two equal tags break a unique constraint when the savepoint flushes, at its end.
        for _ in range(2):
            ctx.session.add(CompanyValue(workspace_id=ctx.workspace.id or 0, tag="same"))
        ctx.reply("saved!")

    @router.command("refuse")
    async def refuse(ctx: Context, command: Command) -> None:
        await remember(ctx, "half")
        ctx.reply("saved!")
        ctx.open_form(Form(form_id="survey", title="Survey", inputs=[]))
        raise UserError("That tag is already taken.")

    @router.command("spent")
    async def spent(ctx: Context, command: Command) -> None:
        await tags_known(ctx)
        ctx.reply("saved!")
        ctx.open_form(Form(form_id="survey", title="Survey", inputs=[]))
        raise UserError("Your kudos for today are spent.")

    @router.form("late")
    async def late(ctx: Context, submit: FormSubmit) -> None:
        await tags_known(ctx)
        raise FormInvalid({"when": "The survey has closed."})

    @router.command("payroll", role=Role.HR)
    async def payroll(ctx: Context, command: Command) -> None:
        await remember(ctx, "payroll")
        ctx.reply("here is the payroll")

    @router.command("digest")
    async def digest(ctx: Context, command: Command) -> None:
        await remember(ctx, "digest")
        ctx.require(Role.COMMUNITY_MANAGER)
        ctx.reply("digest sent")

    @router.command("who")
    async def who(ctx: Context, command: Command) -> None:
        ctx.reply("mentioned: " + ",".join(command.mentions()))

    @router.form("survey")
    async def survey(ctx: Context, submit: FormSubmit) -> None:
        await remember(ctx, "survey")
        raise FormInvalid({"score": "Pick a number from 1 to 5."})

    @router.form("ask")
    async def ask(ctx: Context, submit: FormSubmit) -> None:
        ctx.open_form(Form(form_id="ask", title="Ask", inputs=[Input(name="q", label="Q")]))

    @router.action("vote")
    async def vote(ctx: Context, action: Action) -> None:
        await remember(ctx, f"vote-{action.value}")

    @router.reaction()
    async def first_reaction(ctx: Context, reaction: Reaction) -> None:
        await remember(ctx, f"reaction-1-{reaction.emoji}")

    @router.reaction()
    async def second_reaction(ctx: Context, reaction: Reaction) -> None:
        await remember(ctx, f"reaction-2-{reaction.emoji}")

    @router.unknown_command()
    async def fallback(ctx: Context, command: Command) -> None:
        ctx.reply(f"I don't know /{command.name}.")

    return router


@pytest.fixture
async def bot(db: Database) -> Bot:
    async with db.session() as session:
        workspace = await ensure_workspace(session, "local", WORKSPACE, "Test Co", NOW)
        for handle, roles in PEOPLE.items():
            session.add(
                Person(
                    workspace_id=workspace.id or 0,
                    platform_user_id=handle,
                    display_name=handle,
                    roles=roles,
                    created_at=NOW,
                )
            )
    settings = Settings(_env_file=None, database_url=db.url)
    return Bot(db, build_router(), settings, VirtualClock(NOW), {"local": LocalPlatform()})


_ids = iter(range(1, 1_000_000))


def base(who: str, **fields: Any) -> dict[str, Any]:
    return {
        "event_id": f"ev-{next(_ids)}",
        "platform": "local",
        "workspace": WORKSPACE,
        "actor": Actor(id=who, name=who),
        "channel": "general",
        **fields,
    }


def command(who: str, name: str, text: str = "", **fields: Any) -> Command:
    return Command(**base(who, **fields), name=name, text=text)


async def tags(db: Database) -> list[str]:
    async with db.session() as session:
        found = await session.exec(select(CompanyValue.tag).order_by(col(CompanyValue.id)))
        return list(found.all())


async def outbox(db: Database) -> list[OutboxMessage]:
    async with db.session() as session:
        found = await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
        return list(found.all())


async def texts(db: Database) -> list[str]:
    return [row.message["text"] for row in await outbox(db)]


async def processed(db: Database) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(ProcessedEvent))).one()


# Inbound dedupe


async def test_a_redelivered_event_is_a_duplicate_and_does_nothing(bot: Bot) -> None:
    event = command("mia", "note", "teamwork")
    first = await bot.dispatch(event)
    again = await bot.dispatch(event)
    assert (first.status, again.status) == ("handled", "duplicate")
    assert await tags(bot.db) == ["teamwork"]
    assert await texts(bot.db) == ["noted teamwork"]
    assert await processed(bot.db) == 1


async def test_the_record_of_an_event_keeps_neither_its_id_nor_its_time(bot: Bot) -> None:
    # A Discord snowflake: the moment of the click can be read from it.
    snowflake = "1181234567890123456"
    await bot.dispatch(command("mia", "note", "teamwork", event_id=snowflake))
    async with bot.db.session() as session:
        [row] = (await session.exec(select(ProcessedEvent))).all()
    assert snowflake not in row.event_id
    assert (row.received_at.hour, row.received_at.minute, row.received_at.second) == (0, 0, 0)
    again = await bot.dispatch(command("mia", "note", "teamwork", event_id=snowflake))
    assert again.status == "duplicate"


async def test_the_same_id_on_another_platform_is_not_a_duplicate(bot: Bot) -> None:
    await bot.dispatch(command("mia", "note", "one", event_id="E1"))
    outcome = await bot.dispatch(command("mia", "note", "two", event_id="E1", platform="teams"))
    assert outcome.status == "handled"
    assert await tags(bot.db) == ["one", "two"]


async def test_concurrent_redeliveries_are_handled_once(bot: Bot) -> None:
    event = command("mia", "note", "teamwork")
    outcomes = await asyncio.gather(*(bot.dispatch(event) for _ in range(4)))
    assert sorted(o.status for o in outcomes) == ["duplicate"] * 3 + ["handled"]
    assert await tags(bot.db) == ["teamwork"]
    assert await texts(bot.db) == ["noted teamwork"]


async def test_first_sight_creates_workspace_and_person(bot: Bot) -> None:
    event = command("zoe", "note", "x", workspace="W2", workspace_name="Other Co")
    assert (await bot.dispatch(event)).status == "handled"
    async with bot.db.session() as session:
        workspace = (
            await session.exec(select(Workspace).where(Workspace.external_id == "W2"))
        ).one()
        zoe = (await session.exec(select(Person).where(Person.workspace_id == workspace.id))).one()
    assert workspace.name == "Other Co"
    assert (zoe.platform_user_id, zoe.roles) == ("zoe", ["admin"])


async def test_long_platform_ids_fit(bot: Bot) -> None:
    # Teams user ids ("29:1XJ...") and tenant-scoped ids run well past 100 characters.
    long_user, long_workspace = "29:" + "u" * 200, "t" * 200
    event = command(long_user, "note", "x", workspace=long_workspace)
    assert (await bot.dispatch(event)).status == "handled"
    async with bot.db.session() as session:
        person = (
            await session.exec(select(Person).where(Person.platform_user_id == long_user))
        ).one()
    assert person.platform_user_id == long_user


# Roles


async def test_a_member_is_refused_a_role_route(bot: Bot) -> None:
    outcome = await bot.dispatch(command("mia", "payroll"))
    assert outcome.status == "rejected"
    assert await texts(bot.db) == [missing_role(Role.HR)]
    assert "You need the hr role" in missing_role(Role.HR)
    assert await tags(bot.db) == []
    [reply] = await outbox(bot.db)
    assert reply.destination["kind"] == "ephemeral"
    assert reply.destination["user"] == "mia"


@pytest.mark.parametrize("who", ["hal", "boss"])
async def test_hr_and_admin_pass_a_role_route(bot: Bot, who: str) -> None:
    outcome = await bot.dispatch(command(who, "payroll"))
    assert outcome.status == "handled"
    assert await texts(bot.db) == ["here is the payroll"]
    assert await tags(bot.db) == ["payroll"]


async def test_require_refuses_with_a_friendly_reply_and_saves_nothing(bot: Bot) -> None:
    outcome = await bot.dispatch(command("hal", "digest"))
    assert outcome.status == "rejected"
    assert await texts(bot.db) == [missing_role(Role.COMMUNITY_MANAGER)]
    assert await tags(bot.db) == []
    assert (await bot.dispatch(command("boss", "digest"))).status == "handled"
    assert await tags(bot.db) == ["digest"]


# Failures leave no half-written record


async def test_a_crash_rolls_back_and_answers_with_a_reference(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.contract.app"):
        outcome = await bot.dispatch(command("mia", "boom"))
    assert outcome == Outcome("failed")
    assert await tags(bot.db) == []
    [reply] = await outbox(bot.db)  # not "saved!", not the announcement
    assert reply.message["text"].startswith("Sorry, something went wrong")
    assert "nothing was saved" in reply.message["text"]
    assert "RuntimeError" not in reply.message["text"]
    match = REF.search(reply.message["text"])
    assert match is not None
    [record] = [r for r in caplog.records if r.name == "bot.contract.app"]
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    assert match[1] in record.getMessage()
    assert "boom" in record.getMessage()
    # The delivery still counts as handled: a platform retry must not crash a second time.
    assert await processed(bot.db) == 1


async def test_the_next_event_works_after_a_crash(bot: Bot) -> None:
    await bot.dispatch(command("mia", "boom"))
    assert (await bot.dispatch(command("mia", "note", "after"))).status == "handled"
    assert await tags(bot.db) == ["after"]
    assert (await texts(bot.db))[-1] == "noted after"


async def test_a_constraint_broken_at_the_end_of_the_handler_is_a_crash_too(bot: Bot) -> None:
    outcome = await bot.dispatch(command("mia", "clash"))
    assert outcome.status == "failed"
    assert await tags(bot.db) == []
    [reply] = await texts(bot.db)
    assert reply.startswith("Sorry, something went wrong")
    assert (await bot.dispatch(command("mia", "note", "after"))).status == "handled"
    assert await tags(bot.db) == ["after"]


async def test_a_user_error_is_replied_and_rolls_back(bot: Bot) -> None:
    outcome = await bot.dispatch(command("mia", "refuse"))
    assert outcome.status == "rejected"
    assert outcome.form is None
    assert await texts(bot.db) == ["That tag is already taken."]
    assert await tags(bot.db) == []


async def test_form_invalid_returns_field_errors(bot: Bot) -> None:
    submit = FormSubmit(**base("mia"), form_id="survey", values={"score": "9"})
    outcome = await bot.dispatch(submit)
    assert outcome.status == "rejected"
    assert outcome.form_errors == {"score": "Pick a number from 1 to 5."}
    assert await tags(bot.db) == []
    assert await texts(bot.db) == []


async def test_a_handler_may_open_a_form(bot: Bot) -> None:
    outcome = await bot.dispatch(FormSubmit(**base("mia"), form_id="ask"))
    assert outcome.status == "handled"
    assert outcome.form is not None and outcome.form.form_id == "ask"


# Routing


async def test_an_unknown_command_goes_to_the_fallback(bot: Bot) -> None:
    outcome = await bot.dispatch(command("mia", "frobnicate"))
    assert outcome.status == "handled"
    assert await texts(bot.db) == ["I don't know /frobnicate."]


async def test_command_names_are_case_insensitive(bot: Bot) -> None:
    assert (await bot.dispatch(command("mia", "NOTE", "loud"))).status == "handled"
    assert await tags(bot.db) == ["loud"]


@pytest.mark.parametrize(
    "event",
    [
        Action(**base("mia"), action_id="poll.close", value="1"),
        FormSubmit(**base("mia"), form_id="retired.form"),
    ],
    ids=["action", "form"],
)
async def test_an_unknown_action_or_form_is_no_longer_active(bot: Bot, event: AnyEvent) -> None:
    outcome = await bot.dispatch(event.model_copy(update={"event_id": f"ev-{next(_ids)}"}))
    assert outcome.status == "unhandled"
    [reply] = await outbox(bot.db)
    assert "no longer active" in reply.message["text"]
    assert reply.destination["user"] == "mia"


async def test_a_known_action_runs(bot: Bot) -> None:
    outcome = await bot.dispatch(Action(**base("mia"), action_id="vote", value="3"))
    assert outcome.status == "handled"
    assert await tags(bot.db) == ["vote-3"]


async def test_every_reaction_route_runs(bot: Bot) -> None:
    reaction = Reaction(**base("mia"), emoji="tada", message_id="m1", message_author="hal")
    assert (await bot.dispatch(reaction)).status == "handled"
    assert await tags(bot.db) == ["reaction-1-tada", "reaction-2-tada"]


async def test_a_message_without_routes_is_silently_unhandled(bot: Bot) -> None:
    message = Message(**base("mia"), message_id="m1", text="hello")
    assert (await bot.dispatch(message)).status == "unhandled"
    assert await texts(bot.db) == []


async def test_a_reply_in_a_dm_goes_to_the_dm(bot: Bot) -> None:
    await bot.dispatch(command("mia", "who", channel="D1", is_dm=True))
    [reply] = await outbox(bot.db)
    assert reply.destination["kind"] == "dm"
    assert reply.destination["user"] == "mia"


async def test_command_mentions(bot: Bot) -> None:
    text = "<@U1> and <@bob.smith> thanks, not <@&123>, <!here> or @carol"
    assert command("mia", "who", text).mentions() == ["U1", "bob.smith"]
    await bot.dispatch(command("mia", "who", "<@U1> <@U2>"))
    assert await texts(bot.db) == ["mentioned: U1,U2"]


async def test_replies_reach_the_platform_through_the_outbox(bot: Bot) -> None:
    await bot.dispatch(command("mia", "payroll"))
    await bot.dispatch(command("mia", "boom"))
    sender = Sender(bot.db, bot.platforms, bot.clock, bot.settings, "test")
    assert (await sender.drain()).sent == 2
    platform = bot.platforms["local"]
    assert isinstance(platform, LocalPlatform)
    assert platform.lines[0].endswith(missing_role(Role.HR))
    assert "something went wrong" in platform.lines[1]
    assert all(line.startswith("[only @mia sees, in #general]") for line in platform.lines)


# Events handled together (bot/contract/group_commit.py)


async def test_a_crash_in_a_shared_transaction_takes_back_only_its_own_messages(
    bot: Bot,
) -> None:
    events = [command("mia", "note", "a"), command("hal", "boom"), command("boss", "note", "b")]
    outcomes = await asyncio.gather(*(bot.dispatch(event) for event in events))
    assert [outcome.status for outcome in outcomes] == ["handled", "failed", "handled"]
    assert sorted(await tags(bot.db)) == ["a", "b"]
    # Neither "saved!" nor the announcement of the crashed handler.
    replies = await texts(bot.db)
    assert sorted(reply for reply in replies if reply.startswith("noted")) == ["noted a", "noted b"]
    [sorry] = [reply for reply in replies if not reply.startswith("noted")]
    assert sorry.startswith("Sorry, something went wrong")


async def test_a_batch_reads_its_people_at_once_and_needs_no_savepoint(bot: Bot) -> None:
    if bot.db.is_postgres:
        pytest.skip("on PostgreSQL each event has a transaction of its own")
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(args[2])

    events = [
        command("mia", "who", "<@hal> <@boss>"),
        command("hal", "who", "<@mia>"),
        command("boss", "who", "<@hal>"),
    ]
    event.listen(bot.db.engine.sync_engine, "before_cursor_execute", seen)
    try:
        await asyncio.gather(*(bot.dispatch(one) for one in events))
    finally:
        event.remove(bot.db.engine.sync_engine, "before_cursor_execute", seen)
    people = [s for s in statements if s.startswith("SELECT person.")]
    assert len(people) == 1, people
    # Savepoints only once a handler refuses or fails, when the batch is run again.
    assert not [s for s in statements if "SAVEPOINT" in s]
    assert await texts(bot.db) == ["mentioned: hal,boss", "mentioned: mia", "mentioned: hal"]


async def test_a_refusal_before_any_write_is_answered_without_running_the_batch_again(
    bot: Bot,
) -> None:
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(args[2])

    events = [
        command("mia", "note", "a"),
        command("hal", "spent"),
        FormSubmit(**base("mia"), form_id="late", values={}),
        command("boss", "note", "b"),
    ]
    event.listen(bot.db.engine.sync_engine, "before_cursor_execute", seen)
    try:
        outcomes = await asyncio.gather(*(bot.dispatch(one) for one in events))
    finally:
        event.remove(bot.db.engine.sync_engine, "before_cursor_execute", seen)
    assert [outcome.status for outcome in outcomes] == [
        "handled",
        "rejected",
        "rejected",
        "handled",
    ]
    assert outcomes[1].form is None
    assert outcomes[2].form_errors == {"when": "The survey has closed."}
    assert sorted(await tags(bot.db)) == ["a", "b"]
    replies = await texts(bot.db)
    assert sorted(replies) == ["Your kudos for today are spent.", "noted a", "noted b"]
    assert not [s for s in statements if "SAVEPOINT" in s or s.startswith("ROLLBACK")]
