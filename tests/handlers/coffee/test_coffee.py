"""Coffee pairing, as conversations on the local platform (demo workspace, virtual clock)."""

import re
from datetime import UTC, datetime

from sqlmodel import select

from bot.models import OutboxMessage, Person
from bot.wiring.assembly import Assembly
from handlers.coffee.tables import CoffeeGroup
from tests.handlers.conftest import Talk


async def groups(rapport: Assembly) -> list[set[str]]:
    """Every coffee group so far, oldest first, as sets of handles."""
    async with rapport.db.session() as session:
        people = {p.id: p.platform_user_id for p in (await session.exec(select(Person))).all()}
        found = (await session.exec(select(CoffeeGroup).order_by(CoffeeGroup.id))).all()  # type: ignore[arg-type]
        return [{people[i] for i in g.members} for g in found]


def join(*handles: str) -> str:
    return "".join(f"{h} in #general: /coffee join\n" for h in handles)


async def test_an_odd_count_makes_a_group_of_three(talk: Talk, rapport: Assembly) -> None:
    out = await talk(join("ann", "bob", "cara") + "ann in #general: /coffee now")
    assert "You're in: you'll be paired for a coffee chat every round." in out
    assert "Coffee round done: 1 group." in out
    out = await talk("advance 4h")  # 08:00 in New York, where cara sleeps till then
    assert await groups(rapport) == [{"ann", "bob", "cara"}]
    # One group DM for the three of them, with one set of buttons.
    intro = next(line for line in out.splitlines() if line.startswith("[group dm "))
    assert intro.startswith("[group dm @ann @cara @bob]")
    assert "@ann (Engineering), @cara (People), and @bob (Engineering) are paired" in intro
    assert out.count("[We met] coffee.met") == 1


async def test_pairs_cross_departments_and_prefer_new_faces(talk: Talk, rapport: Assembly) -> None:
    await talk(join("ann", "bob", "eve", "fay"))
    for _ in range(3):
        await talk("ann in #general: /coffee now")
    rounds = await groups(rapport)
    first, second, third = rounds[0:2], rounds[2:4], rounds[4:6]
    department = {"ann": "Eng", "bob": "Eng", "eve": "Sales", "fay": "Sales"}
    for group in [*first, *second]:
        assert {department[h] for h in group} == {"Eng", "Sales"}
    # Round two meets the other two colleagues from the other department; with every
    # cross-department pair used up, round three pairs people who have not met at all.
    assert not {frozenset(g) for g in first} & {frozenset(g) for g in second}
    assert {frozenset(g) for g in third} == {frozenset({"ann", "bob"}), frozenset({"eve", "fay"})}


async def test_snooze_and_leave(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        join("ann", "bob", "cara", "dan")
        + "bob in #general: /coffee snooze 2w\n"
        + "dan in #general: /coffee leave\n"
        + "dan in #general: /coffee leave\n"
        + "ann in #general: /coffee now\n"
    )
    assert "Snoozed: no coffee pairing until Monday, January 18, 2027." in out
    assert "You've left coffee pairing" in out and "You weren't taking part" in out
    assert await groups(rapport) == [{"ann", "cara"}]
    await talk("advance 13d\nann in #general: /coffee now")
    assert (await groups(rapport))[-1] == {"ann", "cara"}
    await talk("advance 1d\nann in #general: /coffee now")
    assert {"bob"} <= (await groups(rapport))[-1] | (await groups(rapport))[-2]
    assert all("dan" not in g for g in await groups(rapport))
    out = await talk("dan in #general: /coffee join\nann in #general: /coffee now")
    intros = [line for line in out.splitlines() if line.startswith("[group dm ")]
    assert any("@dan" in line for line in intros)


async def test_admins_can_opt_everyone_in(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        "dan in #general: /coffee join\n"
        "dan in #general: /coffee leave\n"
        "bob in #general: /coffee everyone\n"
        "ann in #general: /coffee everyone\n"
        "ann in #general: /coffee everyone\n"
        "ann in #general: /coffee now\n"
    )
    assert "Only people with the admin role" in out
    assert "Added 5 people to coffee pairing" in out and "Added 0 people" in out
    members = set().union(*await groups(rapport))
    assert members == {"ann", "bob", "cara", "eve", "fay"}


async def test_one_person_alone_is_told(talk: Talk, rapport: Assembly) -> None:
    out = await talk(join("cara") + "ann in #general: /coffee now")  # 04:00 in New York
    assert "Nobody else is taking part" not in out
    out = await talk("advance 4h")  # and told in her morning
    assert "[dm @cara]" in out and "Nobody else is taking part" in out
    assert await groups(rapport) == []


async def test_weekly_cadence_runs_on_the_clock(talk: Talk, rapport: Assembly) -> None:
    out = await talk(join("ann", "eve") + "ann in #general: /coffee cadence weekly")
    assert (
        "Coffee rounds are weekly; the next one is on 1/4/27, 9:00\u202fAM (Europe/London)." in out
    )
    assert "☕ Coffee time!" in out
    out = await talk("advance 6d")
    assert "Coffee time" not in out
    out = await talk("advance 1d")
    assert out.count("☕ Coffee time!") == 1
    out = await talk("ann in #general: /coffee cadence off\nadvance 14d")
    assert "Coffee rounds are off" in out and "Coffee time" not in out
    assert len(await groups(rapport)) == 2


async def test_biweekly_and_monthly_cadences(talk: Talk, rapport: Assembly) -> None:
    out = await talk(join("ann", "eve") + "ann in #general: /coffee cadence biweekly")
    assert "every two weeks; the next one is on 1/11/27, 9:00\u202fAM (Europe/London)." in out
    out = await talk("advance 7d")
    assert out.count("☕ Coffee time!") == 1
    out = await talk("advance 13d")
    assert "Coffee time" not in out
    out = await talk("advance 1d")
    assert out.count("☕ Coffee time!") == 1
    # Monthly: the first Monday of the month, replacing the biweekly rounds.
    out = await talk("ann in #general: /coffee cadence monthly")
    assert "monthly; the next one is on 2/1/27, 9:00\u202fAM (Europe/London)." in out
    out = await talk("advance 13d")
    assert out.count("☕ Coffee time!") == 1  # 1 February only
    assert len(await groups(rapport)) == 3


async def test_met_rate_for_admins(talk: Talk, rapport: Assembly) -> None:
    out = await talk(join("ann", "bob", "eve", "fay") + "ann in #general: /coffee now\nadvance 7h")
    values = sorted(set(re.findall(r"\[We met\] coffee\.met (\d+):yes", out)))
    assert len(values) == 2
    first, second = values
    owners = await groups(rapport)
    member = sorted(owners[0])[0]
    outsider = sorted(owners[1])[0]
    out = await talk(
        f"{outsider} clicks coffee.met {first}:yes\n"
        f"{member} clicks coffee.met {first}:yes\n"
        f"{outsider} clicks coffee.met {second}:no\n"
    )
    assert "isn't yours" in out
    assert "Lovely, thanks for telling me!" in out and "Better luck next round!" in out
    out = await talk("bob in #general: /coffee stats")
    assert "Only people with the admin role" in out
    out = await talk("ann in #general: /coffee stats")
    assert "Taking part: 4 (0 snoozed)" in out
    assert "Groups so far: 2" in out and "Answered: 2" in out and "Met: 1" in out
    assert "Met-rate: 50%" in out
    # A later yes from someone else in the group wins over a no.
    other = sorted(owners[1])[1]
    await talk(f"{other} clicks coffee.met {second}:yes")
    out = await talk("ann in #general: /coffee stats")
    assert "Met-rate: 100%" in out


async def test_bad_input_gets_friendly_answers(talk: Talk, rapport: Assembly) -> None:
    cases = {
        "bob in #general: /coffee snooze 2w": "`/coffee join` first",
        "ann in #general: /coffee snooze forever": "Snooze for days or weeks",
        "ann in #general: /coffee snooze 13w": "at most 12 weeks",
        "ann in #general: /coffee snooze 0d": "at least a day",
        "ann in #general: /coffee cadence daily": "Cadence is weekly, biweekly, monthly or off",
        "bob in #general: /coffee cadence weekly": "Only people with the admin role",
        "bob in #general: /coffee now": "Only people with the admin role",
        "bob in #general: /coffee <!channel>": "I don't know `/coffee ‹!channel›`",
        "ann clicks coffee.met 999:yes": "isn't yours",
        "ann clicks coffee.met nonsense": "isn't yours",
    }
    await talk(join("ann"))
    for line, answer in cases.items():
        out = await talk(line)
        assert answer in out, (line, out)
        assert "Traceback" not in out and "<!channel>" not in out
    assert await groups(rapport) == []


async def test_help(talk: Talk) -> None:
    out = await talk("bob in #general: /coffee help")
    assert "`/coffee snooze 2w`" in out and "group is three" in out
    out = await talk("bob in #general: /coffee")
    assert "`/coffee join`" in out


async def test_a_coffee_channel_pairs_its_members_every_round(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk(
        "user gil name=Gil dept=Design channels=eng\n"
        "user hal name=Hal dept=Design channels=eng\n"
        "user ivy name=Ivy dept=Support channels=eng\n"
        "user robo name=Robo bot=yes channels=eng\n"
        "bob in #eng: hello all\n"
        "bob in #general: /coffee channel #eng\n"
        "ann in #general: /coffee channel #nowhere\n"
        "ann in #general: /coffee channel #eng\n"
    )
    assert "Only people with the admin role" in out
    assert "I can't see who is in #nowhere" in out
    assert "Everyone in #eng (4 people now) is paired for coffee every round" in out

    # The channel's members (bots never) plus cara, who joined herself.
    await talk("cara in #general: /coffee join\nann in #general: /coffee now")
    assert set().union(*await groups(rapport)) == {"bob", "gil", "hal", "ivy", "cara"}

    # Leaving and snoozing hold for channel members too; a new member is paired next time.
    await talk(
        "hal in #general: /coffee leave\n"
        "ivy in #general: /coffee snooze 1w\n"
        "user jo name=Jo dept=Sales channels=eng\n"
        "ann in #general: /coffee now"
    )
    latest = (await groups(rapport))[-2:]
    assert set().union(*latest) == {"bob", "gil", "cara", "jo"}
    out = await talk("ann in #general: /coffee stats")
    assert "Channels: #eng" in out

    out = await talk(
        "ann in #general: /coffee channel remove #eng\nann in #general: /coffee now\nadvance 1d"
    )
    assert "Members of #eng are no longer paired as a channel" in out
    assert "Nobody else is taking part" in out  # only cara is left
    out = await talk("ann in #general: /coffee channel remove #eng")
    assert "#eng was not a coffee channel." in out


async def test_a_coffee_channel_is_named_in_any_script(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        "user gil name=Gil dept=Design channels=開発\n"
        "user hal name=Hal dept=Support channels=開発\n"
        "ann in #general: /coffee channel #開発\n"
        "ann in #general: /coffee now\n"
    )
    assert "Everyone in #開発 (2 people now) is paired for coffee every round" in out
    assert set().union(*await groups(rapport)) == {"gil", "hal"}
    out = await talk("ann in #general: /coffee channel remove ＃開発")
    assert "Members of #開発 are no longer paired as a channel" in out


async def test_a_channel_that_cannot_be_read_is_reported(talk: Talk, rapport: Assembly) -> None:
    await talk(
        "user gil name=Gil dept=Design channels=eng\n"
        "ann in #general: /coffee channel <#eng|eng>\n"
        "ann in #general: /coffee join\n"
    )
    rapport.shell.platform.channels.pop("eng")
    out = await talk("ann in #general: /coffee now")
    assert "I could not read the members of #eng" in out
    assert "Nobody else is taking part" in out


# Introductions wait for a moment that suits everyone in them


async def intro_sent_at(rapport: Assembly) -> list[datetime]:
    """When each coffee introduction went out (or is due), oldest first."""
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage).order_by(OutboxMessage.id))).all()  # type: ignore[arg-type]
    return [r.sent_at or r.next_attempt_at for r in rows if r.destination["kind"] == "group"]


async def test_coffee_now_waits_for_a_los_angeles_morning(talk: Talk, rapport: Assembly) -> None:
    # Monday 09:00 UTC is 01:00 in Los Angeles: fay, who set no hours, is asleep.
    out = await talk(join("ann", "fay") + "ann in #general: /coffee now")
    assert "Coffee round done: 1 group." in out
    assert "[group dm " not in out
    out = await talk("advance 6h 59m")
    assert "[group dm " not in out
    out = await talk("advance 1m")  # 08:00 in Los Angeles, 16:00 in London
    assert "[group dm @ann @fay]" in out or "[group dm @fay @ann]" in out
    assert await intro_sent_at(rapport) == [datetime(2027, 1, 4, 16, tzinfo=UTC)]


async def test_their_own_quiet_hours_set_their_morning(talk: Talk, rapport: Assembly) -> None:
    await talk(
        join("ann", "fay")
        + "fay submits profile.settings timezone=America/Los_Angeles quiet=22:00-09:30\n"
        + "ann in #general: /coffee now\n"
        + "advance 1d"
    )
    assert await intro_sent_at(rapport) == [datetime(2027, 1, 4, 17, 30, tzinfo=UTC)]


async def test_a_london_and_tokyo_group_meets_in_their_shared_hour(
    talk: Talk, rapport: Assembly
) -> None:
    # Bob sleeps 22:00-07:00 London (UTC in January); Kim works 09:00-17:00 Tokyo, which is
    # 00:00-08:00 UTC: 07:00-08:00 UTC suits both. Waiting for Kim alone (00:00 UTC) would
    # reach Bob at midnight.
    await talk(
        "user kim name=Kim tz=Asia/Tokyo dept=Sales\n"
        + join("bob", "kim")
        + "bob submits profile.settings timezone=Europe/London quiet=22:00-07:00\n"
        + 'kim submits profile.settings timezone=Asia/Tokyo hours="09:00-17:00 mon-fri"\n'
        + "ann in #general: /coffee now\n"
        + "advance 1d"
    )
    assert await intro_sent_at(rapport) == [datetime(2027, 1, 5, 7, tzinfo=UTC)]


async def test_without_a_shared_moment_nobody_is_reached_in_quiet_hours(
    talk: Talk, rapport: Assembly
) -> None:
    # Bob works 09:00-17:00 UTC, Kim 09:00-17:00 Tokyo (00:00-08:00 UTC) and sleeps
    # 22:00-07:00 Tokyo: no moment suits both. The round runs at 13:00 UTC, 22:00 in Tokyo;
    # the introduction goes when Kim is awake and at work (09:00 Tokyo), the earliest moment
    # outside everyone's quiet hours that suits one of them.
    await talk(
        "user kim name=Kim tz=Asia/Tokyo dept=Sales\n"
        + join("bob", "kim")
        + 'bob submits profile.settings timezone=Europe/London hours="09:00-17:00 mon-fri"\n'
        + 'kim submits profile.settings timezone=Asia/Tokyo hours="09:00-17:00" quiet=22:00-07:00\n'
        + "advance 4h\n"
        + "ann in #general: /coffee now\n"
        + "advance 1d"
    )
    assert await intro_sent_at(rapport) == [datetime(2027, 1, 5, 0, tzinfo=UTC)]
