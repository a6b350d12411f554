"""Personal settings as conversations, and the core holding scheduled DMs to them.

The clock starts on Monday 2027-01-04 at 09:00 UTC; the demo workspace has ann (admin,
London), bob (London), cara (hr, New York) and eve (Singapore).
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime

import pytest
from sqlmodel import col, select

from bot.contract.context import BaseContext, WorkContext
from bot.contract.ui import Destination, text_message
from bot.delivery.outbox import OutboxWriter
from bot.kit.preferences import HourRange, PersonalSettings, personal_settings
from bot.models import OutboxMessage, Person, Workspace
from bot.time.scheduler import add_schedule
from bot.wiring.assembly import Assembly
from tests.handlers.conftest import Talk

NUDGE_KIND = "kudos.weekly_nudge"


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=UTC)


async def person(rapport: Assembly, handle: str) -> Person:
    async with rapport.db.session() as session:
        found = await session.exec(select(Person).where(Person.platform_user_id == handle))
        return found.one()


async def dm_times(rapport: Assembly, needle: str) -> dict[str, datetime]:
    """When each person was sent the DM containing `needle`, by handle (not yet: left out)."""
    async with rapport.db.session() as session:
        rows: Sequence[OutboxMessage] = (await session.exec(select(OutboxMessage))).all()
    sent = {}
    for row in rows:
        if row.destination["kind"] == "dm" and needle in row.message["text"] and row.sent_at:
            sent[row.destination["user"]] = row.sent_at
    return sent


async def nudge_everyone(ctx: WorkContext) -> None:
    """A feature's weekly nudge, as any feature writes one: one per person; `plain` ones are
    scheduled DMs that are not nudges (an introduction, say)."""
    people = [await ctx.person(str(handle)) for handle in ctx.due.payload["to"]]
    if ctx.due.payload.get("group"):
        ctx.group_dm([p for p in people if p is not None], "Meet each other")
        return
    for found in people:
        assert found is not None
        if ctx.due.payload.get("plain"):
            ctx.dm(found, "Your weekly kudos nudge, plainly")
        else:
            ctx.nudge(found, "Your weekly kudos nudge")


async def schedule_nudge(
    rapport: Assembly, at: datetime, to: list[str], *, plain: bool = False, group: bool = False
) -> None:
    rapport.bot.router.schedules.setdefault(NUDGE_KIND, nudge_everyone)
    async with rapport.db.session() as session:
        found = await session.get(Workspace, (await person(rapport, "ann")).workspace_id)
        assert found is not None
        await add_schedule(
            session,
            found,
            NUDGE_KIND,
            {"type": "date", "at": at.isoformat()},
            now=rapport.bot.clock.now(),
            payload={"to": to, "plain": plain, "group": group},
        )


# The form


async def test_settings_open_as_a_form_prefilled_with_the_platform_time_zone(talk: Talk) -> None:
    out = await talk("cara in #general: /rapport settings")
    assert "[form for @cara] profile.settings" in out
    assert "timezone (text)" in out


async def test_settings_help_is_written_from_its_subcommands(talk: Talk) -> None:
    out = await talk("bob in #general: /rapport settings help")
    assert "• `/rapport settings`: open your settings in a form" in out
    assert "• `/rapport settings show`: list your settings" in out
    out = await talk("bob in #general: /rapport settings shwo")
    assert "Did you mean `/rapport settings show`?" in out
    assert "[form for @bob]" not in out


async def test_saving_the_form_stores_typed_settings_and_shows_them(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk(
        "bob in #general: /rapport settings\n"
        'bob submits profile.settings timezone="Asia/Tokyo en-US" hours="08:30-16:30 mon-thu" '
        'quiet=22:00-07:00 nudges="pulse, q&a, mentoring" pause=2027-02-01\n'
    )
    assert "[form errors" not in out
    assert "Time zone:* Asia/Tokyo" in out and "12/31/2026" in out
    assert "08:30-16:30 mon-thu" in out and "22:00-07:00" in out
    assert "Nudges:* pulse, qa, mentoring" in out and "02/01/2027" in out
    bob = await person(rapport, "bob")
    assert bob.timezone == "Asia/Tokyo"
    assert personal_settings(bob) == PersonalSettings(
        working_hours=HourRange.model_validate({"start": "08:30", "end": "16:30"}),
        work_days=(0, 1, 2, 3),
        quiet_hours=HourRange.model_validate({"start": "22:00", "end": "07:00"}),
        date_style="en-US",
        muted=["coffee", "digest", "ideas", "kudos"],
        paused_until=date(2027, 2, 1),
    )
    assert "Paused until:* 02/01/2027" in await talk("bob dm: /rapport settings show")


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("timezone", "Mars/Olympus", "I don't know the time zone 'Mars/Olympus'"),
        ("timezone", "Europe/Paris fr-FR", "a date format: en-GB, en-US, ISO"),
        ("hours", "17:00-09:00", "must start before they end"),
        ("hours", "nine to five", "is not working hours like 09:00-17:00 mon-fri"),
        ("hours", "09:00-17:00 someday", "is not a day or days like mon-fri"),
        ("quiet", "25:00-07:00", "25:00 is not a time of day"),
        ("quiet", "22:00-22:00", "different start and end"),
        ("nudges", "kudos, gossip", "I don't know gossip. Name any of: kudos, pulse"),
        ("pause", "soon", "'soon' is not a date"),
        ("pause", "2027-01-01", "That date has already come"),
        ("pause", "2029-01-01", "up to a year"),
    ],
)
async def test_bad_values_get_friendly_errors_in_the_form_and_change_nothing(
    talk: Talk, rapport: Assembly, field: str, value: str, says: str
) -> None:
    out = await talk(f'bob submits profile.settings timezone=Europe/London {field}="{value}"')
    assert f"[form errors for @bob] {field}: " in out
    assert says in out
    bob = await person(rapport, "bob")
    assert bob.preferences == {} and bob.timezone == "Europe/London"


async def test_the_form_its_errors_and_the_summary_speak_the_persons_language(
    talk: Talk,
) -> None:
    await talk("bob in #general: /rapport settings language fr")
    out = await talk("bob in #general: /rapport settings")
    assert "[form for @bob] profile.settings “Vos réglages”" in out
    out = await talk(
        'bob submits profile.settings timezone=Europe/London hours="nine to five" quiet=25-07'
    )
    assert "« nine to five » n'est pas un horaire de travail comme 09:00-17:00 mon-fri" in out
    assert "25 n'est pas une heure de la journée. Les heures de calme s'écrivent comme" in out
    await talk("bob in #general: /rapport settings language de")
    out = await talk("bob in #general: /rapport settings show")
    assert "*Zeitzone:* Europe/London" in out and "*Pausiert bis:* nicht pausiert" in out


async def test_every_wrong_field_is_named_at_once(talk: Talk) -> None:
    out = await talk("bob submits profile.settings timezone=Nowhere quiet=late pause=never")
    errors = out.split("[form errors for @bob] ", 1)[1]
    assert "timezone:" in errors and "quiet:" in errors and "pause:" in errors


async def test_quiet_hours_that_cover_the_working_day_are_refused(talk: Talk) -> None:
    out = await talk('bob submits profile.settings hours="09:00-17:00" quiet=08:00-18:00')
    assert "quiet: These quiet hours cover all your working hours" in out


async def test_pause_dates_follow_the_chosen_date_format(talk: Talk, rapport: Assembly) -> None:
    await talk('bob submits profile.settings timezone="Europe/London en-GB" pause=15/02/2027')
    assert personal_settings(await person(rapport, "bob")).paused_until == date(2027, 2, 15)


async def test_pulse_hours_and_opt_out_are_the_personal_settings(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("bob in #general: /pulse hours 13:00-17:00\nbob in #general: /pulse optout")
    chosen = personal_settings(await person(rapport, "bob"))
    assert chosen.working_hours == HourRange.model_validate({"start": "13:00", "end": "17:00"})
    assert not chosen.receives("pulse") and chosen.receives("kudos")
    out = await talk("bob in #general: /rapport settings show")
    assert "13:00-17:00 mon-fri" in out and "Nudges:* kudos, ideas, qa, mentoring" in out


# The core holds scheduled DMs


async def test_the_same_nudge_reaches_tokyo_and_new_york_at_their_own_allowed_times(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(
        "user kim tz=Asia/Tokyo\n"
        "user ned tz=America/New_York\n"
        "kim dm: hello\n"
        "ned dm: hello\n"
        "kim submits profile.settings timezone=Asia/Tokyo quiet=22:00-07:00\n"
        'ned submits profile.settings timezone=America/New_York hours="09:00-17:00 mon-fri"\n'
    )
    # Monday 13:00 UTC is 22:00 in Tokyo (quiet) and 08:00 in New York (before work).
    await schedule_nudge(rapport, utc(4, 13), ["kim", "ned", "bob"])
    await rapport.runtime.advance(utc(4, 13) - rapport.bot.clock.now())
    assert await dm_times(rapport, "weekly kudos nudge") == {"bob": utc(4, 13)}
    await rapport.runtime.advance(utc(5, 0) - rapport.bot.clock.now())
    assert await dm_times(rapport, "weekly kudos nudge") == {
        "bob": utc(4, 13),  # no settings: straight away
        "ned": utc(4, 14),  # 09:00 in New York
        "kim": utc(4, 22),  # 07:00 on Tuesday in Tokyo
    }


async def test_a_nudge_due_on_a_day_off_waits_for_the_next_working_day(
    talk: Talk, rapport: Assembly
) -> None:
    await talk('bob submits profile.settings hours="10:00-16:00 mon-fri"')
    friday_evening = utc(8, 17)
    await schedule_nudge(rapport, friday_evening, ["bob"])
    await rapport.runtime.advance(utc(12, 0) - rapport.bot.clock.now())
    assert await dm_times(rapport, "weekly kudos nudge") == {"bob": utc(11, 10)}  # Monday 10:00


async def test_a_switched_off_nudge_is_not_written_at_all(talk: Talk, rapport: Assembly) -> None:
    await talk('bob submits profile.settings nudges="pulse, ideas"')
    await schedule_nudge(rapport, utc(4, 12), ["bob", "ann"])
    await rapport.runtime.advance(utc(5, 0) - rapport.bot.clock.now())
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    nudged = [r.destination["user"] for r in rows if "weekly kudos" in r.message["text"]]
    assert nudged == ["ann"]


async def test_a_scheduled_dm_that_is_not_a_nudge_is_held_but_never_dropped(
    talk: Talk, rapport: Assembly
) -> None:
    await talk('bob submits profile.settings nudges=none hours="10:00-16:00"')
    await schedule_nudge(rapport, utc(4, 9), ["bob"], plain=True)
    await rapport.runtime.advance(utc(5, 0) - rapport.bot.clock.now())
    assert await dm_times(rapport, "nudge, plainly") == {"bob": utc(4, 10)}


async def test_a_scheduled_group_dm_waits_until_everyone_may_be_reached(
    talk: Talk, rapport: Assembly
) -> None:
    await talk('bob submits profile.settings hours="11:00-16:00"\neve submits profile.settings')
    await schedule_nudge(rapport, utc(4, 9), ["bob", "eve"], group=True)
    await rapport.runtime.advance(utc(5, 0) - rapport.bot.clock.now())
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    [group] = [r for r in rows if r.destination["kind"] == "group"]
    assert group.status == "sent" and group.sent_at == utc(4, 11)


async def test_a_scheduled_group_dm_goes_in_the_window_that_suits_all(
    talk: Talk, rapport: Assembly
) -> None:
    # Bob (London) is quiet 22:00-07:00 UTC; kim works 09:00-17:00 Tokyo, 00:00-08:00 UTC.
    # Waiting for kim alone would reach bob at midnight; 07:00 UTC suits both.
    await talk(
        "user kim tz=Asia/Tokyo\n"
        "bob submits profile.settings timezone=Europe/London quiet=22:00-07:00\n"
        'kim submits profile.settings timezone=Asia/Tokyo hours="09:00-17:00"\n'
    )
    await schedule_nudge(rapport, utc(4, 9), ["bob", "kim"], group=True)
    await rapport.runtime.advance(utc(6, 0) - rapport.bot.clock.now())
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    [group] = [r for r in rows if r.destination["kind"] == "group"]
    assert group.sent_at == utc(5, 7)


async def test_a_nudge_outside_scheduled_work_names_its_feature(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("bob submits profile.settings quiet=00:00-23:00")
    async with rapport.db.session() as session:
        bob = (await session.exec(select(Person).where(Person.platform_user_id == "bob"))).one()
        workspace = await session.get(Workspace, bob.workspace_id)
        assert workspace is not None
        ctx = BaseContext(
            rapport.bot,
            session,
            workspace,
            OutboxWriter(session, workspace, "t", utc(4, 12)),
            utc(4, 12),
        )
        with pytest.raises(ValueError, match="needs its feature name"):
            ctx.nudge(bob, "no feature")
        assert ctx.nudge(bob, "a qa nudge", feature="qa") is not None
        ctx.dm(bob, "an answer, right now")
    async with rapport.db.session() as session:
        rows = {
            r.message["text"]: r.next_attempt_at
            for r in (await session.exec(select(OutboxMessage))).all()
        }
    assert rows["a qa nudge"] == utc(4, 23)  # quiet hours end at 23:00 in London
    assert rows["an answer, right now"] == utc(4, 12)


async def test_a_pause_holds_nudges_until_its_date(talk: Talk, rapport: Assembly) -> None:
    await talk("bob submits profile.settings pause=2027-01-07 quiet=00:00-08:00")
    await schedule_nudge(rapport, utc(4, 12), ["bob"])
    await rapport.runtime.advance(utc(6, 23) - rapport.bot.clock.now())
    async with rapport.db.session() as session:
        waiting = (await session.exec(select(OutboxMessage))).all()
    [held] = [r for r in waiting if "weekly kudos" in r.message["text"]]
    assert held.status == "pending"
    await rapport.runtime.advance(utc(8, 0) - rapport.bot.clock.now())
    # The pause ends at midnight in London; quiet hours then run to 08:00.
    assert await dm_times(rapport, "weekly kudos nudge") == {"bob": utc(7, 8)}


async def test_direct_replies_are_not_held_by_quiet_hours(talk: Talk) -> None:
    await talk("bob submits profile.settings quiet=00:00-23:59")
    out = await talk("bob in #general: /rapport settings show")
    assert "Your settings" in out


async def test_an_edit_of_a_held_message_waits_for_it_without_polling(rapport: Assembly) -> None:
    async with rapport.db.session() as session:
        bob = (await session.exec(select(Person).where(Person.platform_user_id == "bob"))).one()
        workspace = await session.get(Workspace, bob.workspace_id)
        assert workspace is not None
        writer = OutboxWriter(session, workspace, "held", utc(4, 9))
        to_bob = Destination(kind="dm", user="bob")
        original = writer.add(to_bob, text_message("asked"), not_before=utc(4, 17))
        writer.add(to_bob, text_message("asked, and claimed"), update_of=original)
    await rapport.runtime.settle()
    async with rapport.db.session() as session:
        edit = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.key == "held:1"))
        ).one()
    assert edit.status == "pending" and edit.next_attempt_at == utc(4, 17)
    await rapport.runtime.advance(utc(4, 18) - rapport.bot.clock.now())
    async with rapport.db.session() as session:
        rows = (
            await session.exec(select(OutboxMessage).where(col(OutboxMessage.key).like("held:%")))
        ).all()
    assert [(r.status, r.sent_at) for r in rows] == [("sent", utc(4, 17)), ("sent", utc(4, 17))]


# The rules underneath


def test_quiet_hours_past_midnight_and_a_dst_change() -> None:
    night = PersonalSettings(
        quiet_hours=HourRange.model_validate({"start": "22:00", "end": "07:00"})
    )
    # Saturday 13 March 2027, 23:30 in New York; clocks go forward that night.
    late = datetime(2027, 3, 14, 4, 30, tzinfo=UTC)
    assert night.not_before(late, "America/New_York") == datetime(2027, 3, 14, 11, 0, tzinfo=UTC)
    early = datetime(2027, 3, 14, 12, 0, tzinfo=UTC)  # 08:00 EDT: allowed
    assert night.not_before(early, "America/New_York") == early


def test_unreadable_stored_settings_count_as_unset() -> None:
    broken = Person(workspace_id=1, platform_user_id="x", preferences={"quiet_hours": "always"})
    assert personal_settings(broken) == PersonalSettings()
