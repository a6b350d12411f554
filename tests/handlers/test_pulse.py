"""Pulse surveys as conversations on the local platform (demo workspace: cara is HR, ann is
admin; ann and bob work in London, cara in New York, dan in Berlin, eve in Singapore and fay
in Los Angeles). The clock starts on Monday 2027-01-04 at 09:00 UTC."""

import json
import re
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import pytest
from sqlalchemy import Date, DateTime, Integer, inspect
from sqlmodel import SQLModel, select

from bot.models import DueWork, OutboxMessage, Person
from bot.time.runtime import Runtime
from bot.wiring.assembly import Assembly
from handlers.pulse import delivery
from handlers.pulse.tables import (
    PulseAnswer,
    PulseAttribution,
    PulseBallot,
    PulseRespondent,
    PulseRun,
    PulseSurvey,
)
from tests.fake_openai import FakeOpenAI, serving
from tests.handlers.conftest import Talk

M = TypeVar("M", bound=SQLModel)

ONE_QUESTION = 'questions="scale: How was your week?"'
FOUR_QUESTIONS = (
    'questions="scale: How was your week?; enps: Would you recommend us?; '
    'choice: What helps most? | Focus time | Pairing; text: Anything else?"'
)


def create(
    title: str = "Weekly pulse",
    questions: str = ONE_QUESTION,
    audience: str = "everyone",
    schedule: str = "once",
    tz: str = "Europe/London",
    anonymous: str = "yes",
    close: int = 5,
) -> str:
    return (
        "cara in #hr: /pulse new\n"
        f'cara submits pulse.new title="{title}" {questions} audience="{audience}" '
        f'schedule="{schedule}" timezone={tz} anonymous={anonymous} close={close}\n'
    )


async def rows(rapport: Assembly, model: type[M]) -> Sequence[M]:
    async with rapport.db.session() as session:
        return (await session.exec(select(model))).all()


async def dms(rapport: Assembly, needle: str) -> dict[str, list[datetime]]:
    """When each person was sent a DM containing `needle`, by platform user id."""
    sent: dict[str, list[datetime]] = {}
    for row in await rows(rapport, OutboxMessage):
        if row.destination["kind"] == "dm" and needle in row.message["text"] and row.sent_at:
            sent.setdefault(row.destination["user"], []).append(row.sent_at)
    return {user: sorted(times) for user, times in sent.items()}


async def ballots(rapport: Assembly) -> list[dict[str, Any]]:
    """The answers waiting in the ballot box (the tests set no keys: nothing is sealed)."""
    return [
        {"question": b.question, **json.loads(b.sealed)} for b in await rows(rapport, PulseBallot)
    ]


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2027) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


async def test_hr_creates_a_survey_in_a_form_and_members_are_refused(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk("bob in #general: /pulse new")
    assert "You need the hr role" in out
    assert "[form for @bob]" not in out
    out = await talk('bob submits pulse.new title="Sneaky" questions="scale: Hi there?"')
    assert "only people with the hr role" in out.lower()
    out = await talk("cara in #hr: /pulse new")
    assert "[form for @cara] pulse.new “New pulse survey”" in out
    out = await talk(
        'cara submits pulse.new title="Weekly pulse" questions="rating: How was it?" '
        'audience="the whole lot" schedule="fortnightly" timezone=Mars/Base anonymous=maybe '
        "close=five"
    )
    errors = next(line for line in out.splitlines() if line.startswith("[form errors"))
    for name in ("questions:", "audience:", "schedule:", "timezone:", "anonymous:", "close:"):
        assert name in errors, name
    assert await rows(rapport, PulseSurvey) == []
    out = await talk(
        f'cara submits pulse.new title="Weekly pulse" {FOUR_QUESTIONS} '
        'audience="departments: Engineering, Sales" schedule="weekly on mon at 10:00" '
        "timezone=Europe/London anonymous=yes close=5"
    )
    assert (
        "Pulse survey #1 “Weekly pulse” is scheduled (weekly on mon at 10:00, Europe/London) "
        "for departments Engineering and Sales: 4 questions, anonymous" in out
    )
    assert "First run: Mon 04 Jan 10:00 GMT" in out
    # ann is admin, so she may too; bob may not list or read results.
    assert "Pulse surveys:\n#1 Weekly pulse" in await talk("ann in #hr: /pulse list")
    assert "You need the hr role" in await talk("bob in #general: /pulse results 1")
    [survey] = await rows(rapport, PulseSurvey)
    assert survey.anonymous and survey.schedule_id is not None


async def test_each_person_gets_one_dm_at_their_first_working_moment(
    talk: Talk, rapport: Assembly
) -> None:
    # Created Monday 09:00 UTC, "once": it opens at once.
    await talk(create(questions=FOUR_QUESTIONS) + "advance 2d")
    sent = await dms(rapport, "Pulse survey: Weekly pulse")
    assert sent == {
        "ann": [utc(1, 4, 9)],  # 09:00 in London: within hours
        "bob": [utc(1, 4, 9)],
        "dan": [utc(1, 4, 9)],  # 10:00 in Berlin
        "cara": [utc(1, 4, 14)],  # 04:00 in New York: waits for 09:00 there
        "fay": [utc(1, 4, 17)],  # 01:00 in Los Angeles: waits for 09:00 there
        "eve": [utc(1, 5, 1)],  # 17:00 in Singapore: too late, Tuesday 09:00 there
    }
    invitation = next(
        row.message
        for row in await rows(rapport, OutboxMessage)
        if row.destination.get("user") == "bob"
    )
    buttons = [
        element
        for block in invitation["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert [b["label"] for b in buttons[:5]] == ["1", "2", "3", "4", "5"]
    assert [b["label"] for b in buttons[5:16]] == [str(n) for n in range(11)]
    assert [b["label"] for b in buttons[16:]] == ["Focus time", "Pairing", "Write an answer"]


async def test_weekly_run_in_london_across_the_dst_change(talk: Talk, rapport: Assembly) -> None:
    rapport.bot.clock.set(utc(3, 19, 12))  # Friday before the clocks go forward (28 March)
    await talk(
        create(audience="departments: Engineering", schedule="weekly on mon at 10:00")
        + "advance 11d"
    )
    sent = await dms(rapport, "Pulse survey: Weekly pulse")
    # 10:00 London time both weeks: GMT (UTC+0) on the 22nd, BST (UTC+1) on the 29th.
    assert sent == {"ann": [utc(3, 22, 10), utc(3, 29, 9)], "bob": [utc(3, 22, 10), utc(3, 29, 9)]}
    runs = await rows(rapport, PulseRun)
    assert sorted(r.period for r in runs) == [
        "2027-03-22T10:00:00+00:00",
        "2027-03-29T10:00:00+01:00",
    ]


async def test_every_two_weeks_skips_the_weeks_between(talk: Talk, rapport: Assembly) -> None:
    await talk(
        create(audience="departments: Engineering", schedule="every 2 weeks on tue at 11:00")
        + "advance 36d"
    )
    sent = await dms(rapport, "Pulse survey: Weekly pulse")
    assert sent["bob"] == [utc(1, 5, 11), utc(1, 19, 11), utc(2, 2, 11)]


async def test_a_stopped_survey_runs_no_more(talk: Talk, rapport: Assembly) -> None:
    await talk(
        create(audience="departments: Engineering", schedule="weekly on mon at 10:00")
        + "advance 1d\ncara in #hr: /pulse stop 1\nadvance 14d"
    )
    assert (await dms(rapport, "📋 Pulse survey"))["bob"] == [utc(1, 4, 10)]
    assert "stopped" in await talk("cara in #hr: /pulse list")


async def test_reminders_go_only_to_non_respondents_within_their_hours(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk(
        create()
        + "advance 1h\n"
        + "bob clicks pulse.answer 1:0:4\n"
        + "fay in #general: /pulse optout\n"
        + "ann in #general: /pulse hours 13:00-17:00\n"
        + "advance 4d 20h"  # Saturday 06:00 UTC: just before the close deletes the reminders
    )
    assert "You won't get pulse reminders any more" in out
    assert "between 13:00 and 17:00" in out
    reminded = await dms(rapport, "Reminder: the pulse survey")
    assert "bob" not in reminded  # answered
    assert "fay" not in reminded  # opted out
    # +2 days is Wednesday 09:00 UTC; +4 days is Friday. Each waits for their working hours.
    assert reminded == {
        "ann": [utc(1, 6, 13), utc(1, 8, 13)],  # her own hours start at 13:00
        "cara": [utc(1, 6, 14), utc(1, 8, 14)],  # 09:00 in New York
        "dan": [utc(1, 6, 9), utc(1, 8, 9)],  # 10:00 in Berlin
        # 17:00 in Singapore on Wednesday: Thursday 09:00 there. Friday's would wait until
        # Monday, after the run has closed, so it is never sent.
        "eve": [utc(1, 7, 1)],
    }
    text = next(
        row.message["text"]
        for row in await rows(rapport, OutboxMessage)
        if "Reminder" in row.message["text"]
    )
    assert "@" not in text and "answered" not in text  # nothing about anyone else


async def test_who_answered_is_forgotten_at_close_and_late_answers_are_refused(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(create(close=3) + "advance 1h\nbob clicks pulse.answer 1:0:4")
    assert len(await rows(rapport, PulseRespondent)) == 6  # everyone asked; bob has answered
    out = await talk("advance 3d")
    assert out.count("⏰ Reminder") == 5  # on day 2, to everyone but bob
    assert "[dm @cara]" in out and "has closed: 1 of 6 people answered" in out
    assert await rows(rapport, PulseRespondent) == []
    # Nothing else remembers who answered or who was reminded: bob's thanks, the reminder
    # messages and the reminders' work units went with the respondent rows.
    texts = [m.message["text"] for m in await rows(rapport, OutboxMessage)]
    assert not [t for t in texts if "Thanks, your answer" in t or "Reminder" in t]
    assert not [w for w in await rows(rapport, DueWork) if w.kind == delivery.NUDGE]
    [run] = await rows(rapport, PulseRun)
    assert run.closed_at is not None and (run.invited, run.responded) == (6, 1)
    assert len(await rows(rapport, PulseAnswer)) == 1
    out = await talk("ann clicks pulse.answer 1:0:2")
    assert "This survey has closed" in out
    assert len(await rows(rapport, PulseAnswer)) == 1


async def test_answers_hold_no_person_reference_and_only_the_day(rapport: Assembly) -> None:
    table = SQLModel.metadata.tables["pulse_answer"]
    assert table.foreign_keys and {fk.column.table.name for fk in table.foreign_keys} == {
        "pulse_run"
    }
    names = set(table.columns.keys())
    assert names == {"id", "run_id", "question", "department", "score", "choice", "comment", "day"}
    assert not any(word in name for name in names for word in ("person", "user", "actor", "by"))
    assert isinstance(table.columns["day"].type, Date)
    assert not any(isinstance(c.type, DateTime) for c in table.columns)
    # A random string, not a counter whose order could be lined up with who answered when.
    assert not isinstance(table.columns["id"].type, Integer)
    # The same holds in the migrated database, not just the models.
    async with rapport.db.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("pulse_answer")}
        )
        keys = await connection.run_sync(
            lambda sync: {
                k["referred_table"] for k in inspect(sync).get_foreign_keys("pulse_answer")
            }
        )
    assert columns == names and keys == {"pulse_run"}


async def test_an_answer_is_stored_without_its_author(talk: Talk, rapport: Assembly) -> None:
    out = await talk(create(questions=FOUR_QUESTIONS) + "advance 1h\nbob clicks pulse.answer 1:1:9")
    # bob's card says what is answered and what is left, never what he answered.
    assert "[edit m" in out and "1 of 4 questions answered, 3 left." in out
    assert "✓ Answered (stored without your name" in out and "Your answer: 9" not in out
    # One answer is fewer than the threshold: it waits in the ballot box, no answer row yet.
    assert await rows(rapport, PulseAnswer) == []
    [ballot] = await rows(rapport, PulseBallot)
    assert (ballot.run_id, ballot.question) == (1, 1)
    # The updated card was deleted once sent: the outbox neither holds it nor dates it.
    assert not [
        r
        for r in await rows(rapport, OutboxMessage)
        if "✓" in json.dumps(r.message, ensure_ascii=False)
    ]
    await talk("advance 5d")  # the close moves the ballot
    assert await rows(rapport, PulseBallot) == []
    [answer] = await rows(rapport, PulseAnswer)
    assert (answer.question, answer.score, answer.department) == (1, 9, "Engineering")
    assert answer.day == date(2027, 1, 4)
    assert re.fullmatch(r"[0-9a-f]{32}", answer.id)
    assert await rows(rapport, PulseAttribution) == []


async def team(talk: Talk, department: str, count: int, prefix: str) -> list[str]:
    handles = [f"{prefix}{i}" for i in range(1, count + 1)]
    await talk("\n".join(f"user {h} dept={department} tz=Europe/London" for h in handles))
    return handles


async def test_results_respect_thresholds_and_complementary_suppression(
    talk: Talk, rapport: Assembly
) -> None:
    engineers = await team(talk, "Engineering", 4, "en")  # + ann and bob: 6
    sellers = await team(talk, "Sales", 4, "sa")  # + eve and fay: 6
    movers = await team(talk, "Ops", 2, "op")
    await talk(create(questions=FOUR_QUESTIONS, audience="departments: Engineering, Sales, Ops"))
    await talk("advance 1d")  # eve's and fay's DMs are out too
    script = []
    for handle in ["ann", "bob", *engineers]:  # 6 engineers: scale 4, eNPS 10
        script += [f"{handle} clicks pulse.answer 1:0:4", f"{handle} clicks pulse.answer 1:1:10"]
    for handle in ["eve", *sellers]:  # 5 sellers: scale 2, eNPS 3
        script += [f"{handle} clicks pulse.answer 1:0:2", f"{handle} clicks pulse.answer 1:1:3"]
    for handle in movers:  # 2 in Ops: would be exposed by subtraction
        script += [f"{handle} clicks pulse.answer 1:0:1", f"{handle} clicks pulse.answer 1:1:0"]
    for handle in ["ann", "bob", "en1", "en2"]:  # 4 comments: under the threshold of 5
        script += [
            f"{handle} clicks pulse.write 1:3",
            f'{handle} submits pulse.text answer="more focus time please {handle}"',
        ]
    await talk("\n".join(script))

    out = await talk("cara in #hr: /pulse results 1")
    assert "Run of 2027-01-04 is open: 13 of 14 answered so far" in out
    assert "No run has closed yet" in out and "mean" not in out

    await talk("advance 5d")
    out = await talk("cara in #hr: /pulse results 1")
    assert "Run: 2027-01-04\n  Answered: 13 of 14\n  Participation: 93%" in out
    # Overall: 13 scale answers (6×4 + 5×2 + 2×1 = 36; mean 2.77), eNPS (6 - 7) / 13 = -8.
    assert "13 answers, mean 2.77, 1: 2 2: 5 3: 0 4: 6 5: 0" in out
    assert "13 answers, eNPS -8, mean 5.77" in out
    assert "comments: not enough responses" in out and "focus time" not in out

    out = await talk("cara in #hr: /pulse results 1 by department")
    # Ops (2) is under 5; alone it could be recovered from the total, so Sales (5, the
    # smallest shown group) is hidden too. Engineering (6) stays.
    assert "\nEngineering: 6 answers, mean 4.00" in out
    assert "\nEngineering: 6 answers, eNPS +100" in out
    assert "\nOps: not enough responses" in out
    assert "\nSales: not enough responses" in out
    assert "mean 2.00" not in out and "mean 1.00" not in out

    # One click posts the same (thresholded) results in the channel; members cannot.
    assert "[Post in #hr] pulse.share 1:hr:department" in out
    refusal = await talk("bob clicks pulse.share 1:hr:department")
    assert "only people with the hr role" in refusal.lower()
    out = await talk("cara clicks pulse.share 1:hr:department")
    posted = out.split("[#hr]")[1]
    assert "Engineering: 6 answers, mean 4.00" in posted and "Ops: not enough responses" in posted
    assert "Posted the results of pulse survey #1 in #hr" in out

    out = await talk("cara in #hr: /pulse export 1")
    assert "run,question,group,answers,mean,enps,distribution" in out
    assert "2027-01-04,How was your week?,Engineering,6,4.00,,1:0 2:0 3:0 4:6 5:0" in out
    assert "2027-01-04,How was your week?,Sales,not enough responses" in out
    assert "2027-01-04,Would you recommend us?,all,13,5.77,-8," in out
    assert "focus time" not in out  # comments are never exported


async def test_comments_show_above_their_own_threshold_with_themes(
    talk: Talk, rapport: Assembly
) -> None:
    handles = await team(talk, "Engineering", 5, "en")
    await talk(
        create(
            questions='questions="text: What should we change?"',
            audience="departments: Engineering",
        )
    )
    script = []
    for i, handle in enumerate(handles):
        script += [
            f"{handle} clicks pulse.write 1:0",
            f'{handle} submits pulse.text answer="{i}: fewer meetings, more focus time"',
        ]
    await talk("\n".join(script) + "\nadvance 6d")
    out = await talk("cara in #hr: /pulse results 1")
    assert "themes: fewer (5), focus (5), meetings (5)" in out
    assert out.count("fewer meetings, more focus time") == 5


@pytest.fixture
async def fake_openai(rapport: Assembly) -> AsyncIterator[FakeOpenAI]:
    """A local OpenAI-compatible chat server; the bot is pointed at it."""
    reply = '["Fewer meetings", "More focus time", "<!here> ping"]'
    async with serving(rapport, FakeOpenAI(reply=reply)) as fake:
        yield fake


async def test_with_openai_configured_shown_comments_get_written_themes(
    talk: Talk, fake_openai: FakeOpenAI
) -> None:
    handles = await team(talk, "Engineering", 5, "en")
    await talk(
        create(
            questions='questions="text: What should we change?"',
            audience="departments: Engineering",
        )
    )
    await talk(
        "\n".join(
            f'{h} clicks pulse.write 1:0\n{h} submits pulse.text answer="{i}: fewer meetings"'
            for i, h in enumerate(handles[:4])
        )
        + "\nadvance 6d"
    )
    out = await talk("cara in #hr: /pulse results 1")
    assert "comments: not enough responses" in out
    assert fake_openai.requests == []  # comments under the threshold never leave the bot

    await talk(
        create(
            questions='questions="text: What should we change?"',
            audience="departments: Engineering",
        )
    )
    await talk(
        "\n".join(
            f'{h} clicks pulse.write 2:0\n{h} submits pulse.text answer="{i}: fewer meetings"'
            for i, h in enumerate(handles)
        )
        + "\nadvance 6d"
    )
    out = await talk("cara in #hr: /pulse results 2")
    assert "themes: Fewer meetings, More focus time, ‹!here› ping" in out
    [body] = fake_openai.requests
    sent = body["messages"][-1]["content"]
    assert "Question: What should we change?" in sent and "4: fewer meetings" in sent
    assert "written in English" in body["messages"][0]["content"]  # the reader's language
    assert not any(handle in sent for handle in handles)

    fake_openai.failing = True
    out = await talk("cara in #hr: /pulse results 2")
    assert "themes: fewer (5), meetings (5)" in out  # the local method answers instead


async def test_anonymity_cannot_be_switched_off_after_the_first_answer(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(create() + "advance 1h")
    out = await talk("cara in #hr: /pulse anonymous 1 no")
    assert "is now attributed" in out  # nobody has answered yet
    await talk("cara in #hr: /pulse anonymous 1 yes\nbob clicks pulse.answer 1:0:3")
    out = await talk("cara in #hr: /pulse anonymous 1 no")
    assert "stays anonymous" in out
    [survey] = await rows(rapport, PulseSurvey)
    assert survey.anonymous and survey.spec["anonymous"] is True


async def test_attributed_answers_are_visible_to_their_author_only(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(create(anonymous="no") + "advance 1h\nbob clicks pulse.answer 1:0:5")
    [attribution] = await rows(rapport, PulseAttribution)
    bob = next(p for p in await rows(rapport, Person) if p.platform_user_id == "bob")
    assert attribution.person_id == bob.id
    assert "How was your week?: 5" in await talk("bob in #general: /pulse mine 1")
    assert "no recorded answers" in await talk("ann in #general: /pulse mine 1")
    # Switching anonymity on forgets who said what.
    await talk("cara in #hr: /pulse anonymous 1 yes")
    assert await rows(rapport, PulseAttribution) == []
    assert "nobody, not even you" in await talk("bob in #general: /pulse mine 1")


async def test_channel_audience_is_who_has_posted_there(talk: Talk, rapport: Assembly) -> None:
    await talk(
        "bob in #design: the new icons are in\n"
        "dan in #design: looks great\n"
        "ann in #general: lunch?\n" + create(audience="#design") + "advance 1h"
    )
    assert set(await dms(rapport, "📋 Pulse survey")) == {"bob", "dan"}


async def test_bad_input_gets_friendly_answers_and_counts_once(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(create(title="Pulse <!channel> @here", questions=FOUR_QUESTIONS) + "advance 1h")
    cases = {
        "bob clicks pulse.answer 1:0:4": "1 of 4 questions answered, 3 left.",
        "bob clicks pulse.answer 1:0:5": "already answered question 1",
        "bob clicks pulse.answer 1:1:11": "number from 0 to 10",
        "bob clicks pulse.answer 1:2:7": "pick one of the options",
        "bob clicks pulse.answer 1:9:1": "no such question",
        "bob clicks pulse.answer 99:0:3": "I can't find that survey",
        "bob clicks pulse.answer nonsense": "not one I made",
        "cara in #hr: /pulse results 99": "I can't find pulse survey 99",
        "cara in #hr: /pulse results 1 by shoe size": "by department",
        "bob in #general: /pulse frobnicate": "I don't know `/pulse frobnicate`",
        "bob in #general: /pulse hours 18:00-09:00": "not working hours like 09:00-17:00",
        "rapport clicks pulse.answer 1:0:3": "wasn't sent to you",
    }
    for line, answer in cases.items():
        out = await talk(line)
        assert answer in out, (line, out)
        assert "Traceback" not in out and "went wrong" not in out
    out = await talk(f'bob clicks pulse.write 1:3\nbob submits pulse.text answer="{"x" * 5000}"')
    assert "[form errors for @bob] answer: That answer is 5,000 characters" in out
    answers = await ballots(rapport)  # one answer: it waits in the ballot box
    assert [(a["question"], a["score"]) for a in answers] == [(0, 4)]
    [respondent] = [r for r in await rows(rapport, PulseRespondent) if r.answered]
    assert respondent.answered == [0]
    [run] = await rows(rapport, PulseRun)
    assert run.responded == 1
    invitation = next(
        r.message["text"]
        for r in await rows(rapport, OutboxMessage)
        if "📋 Pulse survey" in r.message["text"]
    )
    assert "<!channel>" not in invitation and "@here" not in invitation
    out = await talk(
        'bob clicks pulse.write 1:3\nbob submits pulse.text answer="<!channel> <b>hi</b>"'
    )
    assert "2 of 4 questions answered, 2 left." in out
    [comment] = [a["comment"] for a in await ballots(rapport) if a["comment"]]
    assert comment == "‹!channel› ‹b›hi‹/b›"


async def test_help_lists_the_commands_and_thresholds(talk: Talk) -> None:
    out = await talk("bob in #general: /pulse help")
    assert "/pulse optout" in out and "/pulse results ID [by department]" in out
    assert "Groups smaller than 5 answers (5 for comments) are never shown." in out
    assert "`/pulse`: /pulse help" in await talk("bob in #general: /help")


class Crash(BaseException):
    """Stands for the process dying (kill -9): no `except Exception` in the bot catches it."""


async def test_a_crash_mid_fan_out_resumes_with_exactly_one_dm_each(
    talk: Talk, rapport: Assembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    await talk("\n".join(f"user w{i} dept=Engineering tz=Europe/London" for i in range(20)))
    invitation = delivery.render.invitation
    calls: Counter[str] = Counter()

    def dying(*args: Any) -> Any:
        calls["made"] += 1
        if calls["made"] == 8:
            raise Crash
        return invitation(*args)

    monkeypatch.setattr(delivery.render, "invitation", dying)
    with pytest.raises(Crash):
        await talk(create(audience="departments: Engineering, Community"))
    monkeypatch.setattr(delivery.render, "invitation", invitation)
    # The crash took the whole batch of deliveries with it (SCHEDULER_BATCH_SIZE, 20): all of
    # them wait, and no DM of theirs was written.
    work = [w for w in await rows(rapport, DueWork) if w.kind == delivery.DELIVER]
    assert Counter(w.status for w in work) == {"pending": 23}

    await rapport.db.engine.dispose()  # the process is gone, and its connections with it
    await Runtime(rapport.bot, "b").settle()

    sent = await dms(rapport, "📋 Pulse survey")
    assert set(sent) == {"ann", "bob", "dan", *(f"w{i}" for i in range(20))}
    assert all(len(times) == 1 for times in sent.values())
    shown = [line for line in rapport.shell.platform.lines if "Pulse survey: Weekly" in line]
    assert len(shown) == 23


FAN_OUT = 400  # benchmarks/pulse_fanout.py runs 10,000; this keeps the suite quick


async def test_fan_out_is_one_unit_and_one_dm_per_person(talk: Talk, rapport: Assembly) -> None:
    now = rapport.bot.clock.now()
    platform = rapport.shell.platform
    async with rapport.db.session() as session:
        workspace_id = (await session.exec(select(Person.workspace_id))).first()
        session.add_all(
            Person(
                workspace_id=workspace_id or 0,
                platform_user_id=f"p{i}",
                timezone="Europe/London",
                department="Field",
                created_at=now,
            )
            for i in range(FAN_OUT)
        )
    platform.users.update(
        {f"p{i}": platform.users["bob"].model_copy(update={"id": f"p{i}"}) for i in range(FAN_OUT)}
    )
    await talk(create(audience="departments: Field"))
    [run] = await rows(rapport, PulseRun)
    assert run.invited == FAN_OUT
    field = sorted(str(p.id) for p in await rows(rapport, Person) if p.department == "Field")
    units = [w for w in await rows(rapport, DueWork) if w.kind == delivery.DELIVER]
    assert sorted(w.recipient for w in units) == field
    assert {w.status for w in units} == {"done"}
    users = Counter(d.destination.user for d in platform.sends if d.destination.kind == "dm")
    assert sorted(u for u in users if u.startswith("p")) == sorted(f"p{i}" for i in range(FAN_OUT))
    assert set(users.values()) == {1}
