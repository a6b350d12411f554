"""The weekly digest, as conversations on the local platform over a scripted week."""

import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.kit.interactions import Edge, record_interactions
from bot.models import AuditEntry, OutboxMessage, Person, Schedule, Workspace
from bot.wiring.assembly import Assembly
from handlers.insights.store import weekly_insights
from handlers.qa.digest import past_sla
from tests.conftest import START
from tests.fake_openai import FakeOpenAI, serving
from tests.handlers.conftest import Talk

SENSITIVE = (
    "Cara Diaz",
    "Gus Hale",
    "no interactions for",
    "back and forth",
    "own team",
    "little recognised",
    "isolated",
)


async def edges(rapport: Assembly, links: list[tuple[str, str, str]], day: int) -> None:
    """Interactions between demo people (by handle) on day `day` of the scripted week."""
    async with rapport.db.session() as session:
        people = {p.platform_user_id: p.id for p in (await session.exec(select(Person))).all()}
        workspace = (await session.exec(select(Workspace))).one()
        assert workspace.id is not None
        found = [
            Edge(people[a] or 0, people[b] or 0, kind, f"{kind}:{day}:{n}")
            for n, (a, b, kind) in enumerate(links)
        ]
        await record_interactions(session, workspace.id, found, START + timedelta(days=day))


WEEK = """\
user gus name="Gus Hale" dept=Sales tz=Europe/London
ann in #general: /kudos @bob thanks for the release demo #customer
eve in #general: /kudos @fay great pairing on the pitch #teamwork
bob in #general: /kudos @eve helped me with the sales deck #teamwork
bob in #general: /idea Quarterly hack day -- one day to build anything
eve clicks ideas.vote 1
fay clicks ideas.vote 1
bob in #general: /expert add payroll
ann in #general: /ask when is #payroll run this month?
bob clicks qa.claim 1
advance 3h
bob dm: /answer 1 Payroll runs on the 25th, or the Friday before.
fay in #general: /ask who books the offsite venue?
ann in #general: /coffee join
bob in #general: /coffee join
eve in #general: /coffee join
fay in #general: /coffee join
ann in #general: /coffee now
"""

NETWORK = [
    ("ann", "bob", "kudos"),
    ("eve", "fay", "kudos"),
    ("bob", "eve", "kudos"),
    ("bob", "ann", "answer"),
    ("ann", "eve", "coffee"),
    ("dan", "ann", "reply"),
    ("dan", "ann", "vote"),
    ("dan", "bob", "vote"),
    ("dan", "eve", "reply"),
    ("gus", "fay", "reply"),
]


async def top_connectors(rapport: Assembly, start: datetime, end: datetime) -> list[str]:
    """The insights' own top three connectors for the window (the digest must name these)."""
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        found = await weekly_insights(session, workspace.id or 0, start, end)
    return [p.name for p in found.connectors(3)]


async def channel_texts(rapport: Assembly) -> list[str]:
    """Every message the bot ever queued for a channel or a thread (not DMs, not ephemeral)."""
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    return [
        str(row.message) for row in rows if row.destination.get("kind") in ("channel", "thread")
    ]


def block(out: str, where: str, needle: str = "") -> str:
    """The first message printed to `where` (holding `needle`), with its continuation lines."""
    lines = out.splitlines()
    start = next(
        i
        for i, line in enumerate(lines)
        if line.startswith(f"[{where}]") and needle in "\n".join(lines[i : i + 3])
    )
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    return "\n".join(lines[start:end])


async def test_community_managers_configure_the_digest(talk: Talk, rapport: Assembly) -> None:
    out = await talk("advance 1h\nbob in #general: /rapport digest channels #community")
    assert "only people with the community manager role" in out.lower()
    out = await talk("dan in #general: /rapport digest")
    assert "Weekly digest: off, posted to no channel on Monday at 09:00 (Europe/London)" in out
    out = await talk("dan in #general: /rapport digest channels #community <#C42|general>")
    assert "Weekly digest: on, posted to #community and #C42 on Monday at 09:00" in out
    assert "The next one: 1/11/27, 9:00\u202fAM (Europe/London)." in out
    out = await talk("dan in #general: /rapport digest at fri 16:30")
    assert (
        "on Friday at 16:30" in out and "The next one: 1/8/27, 4:30\u202fPM (Europe/London)." in out
    )
    out = await talk("dan in #general: /rapport digest at someday 25:00")
    assert "day must be one of mon, tue" in out
    out = await talk("dan in #general: /rapport digest channels #bad!name")
    assert "isn't a channel" in out
    out = await talk("dan in #general: /rapport digest sideways")
    assert "I don't know `/rapport digest sideways`" in out
    await talk("dan in #general: /rapport digest off")
    async with rapport.db.session() as session:
        live = (await session.exec(select(Schedule).where(Schedule.kind == "digest.weekly"))).all()
    assert [s.enabled for s in live] == [False, False]


async def test_channels_are_named_in_any_script(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        "advance 1m\ndan in #general: /rapport digest channels #général #開発 ＃община"
    )
    assert "Weekly digest: on, posted to #général, #開発, and #община on Monday" in out
    await talk("advance 7d")
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    posted = [row.destination["channel"] for row in rows if row.destination["kind"] == "channel"]
    assert sorted(posted) == sorted(["général", "開発", "община"])


async def test_a_scripted_week_makes_the_digest(talk: Talk, rapport: Assembly) -> None:
    await talk(
        "advance 1m\n"
        "dan in #general: /rapport digest channels #community\n"
        "cara in #hr: /pulse new\n"
        'cara submits pulse.new title="Weekly pulse" questions="scale: How was your week?" '
        'audience="everyone" schedule="once" timezone=Europe/London anonymous=yes close=3\n'
    )
    # Ann's coffee partner is fay, in Los Angeles: their introduction waits for her morning.
    out = await talk(WEEK + "advance 4h")
    group = re.search(r"\[group dm [^]]*@ann\b[^[]*\[We met\] coffee\.met (\d+):yes", out)
    assert group, out
    await talk(
        f"ann clicks coffee.met {group[1]}:yes\n"
        "advance 1h\n"
        "bob clicks pulse.answer 1:0:4\n"
        "ann clicks pulse.answer 1:0:5\n"
        "eve clicks pulse.answer 1:0:3"
    )
    await edges(rapport, NETWORK, 1)
    out = await talk("advance 6d 18h 59m")  # Monday 09:00 London: the digest is due
    digest = block(out, "#community")
    assert "Weekly digest, Jan 4, 2027 – Jan 11, 2027" in digest  # up to 09:00 today
    assert (
        "This week: 3 kudos, 1 new idea, 2 questions asked, 0 new mentoring pairs, "
        "2 coffee groups." in digest
    )
    # The week before had nothing: every figure is new, and none is flagged from nothing.
    assert "• Kudos: 3 (+3 since last week)\n" in digest
    assert "• Participation, Weekly pulse: 50% (nothing to compare with the last run)" in digest
    assert "• Questions waiting past their deadline: 1 (+1 since last week)\n" in digest
    assert "• Questions still unanswered: 1 (+1 since last week)\n" in digest
    assert "New mentoring pairs" not in digest  # none then, none now
    assert "⚠️" not in digest
    assert "*Kudos*: 3 from 3 people to 3 people." in digest
    assert "Values: #teamwork (2) and #customer (1)" in digest
    assert "Bob Stone → Eve Martin: “helped me with the sales deck” #teamwork" in digest
    assert "Top, by trending score: “Quarterly hack day” (1.4, from 2 votes)" in digest
    assert "Moving: “Quarterly hack day” (+2)" in digest
    # Three answers out of six asked: under the threshold of five, so no score is shown.
    assert "Weekly pulse: 50% answered. 1 question: not enough responses to show." in digest
    assert "*Q&A*: 2 questions asked, 1 answered; median time to first answer 3 h;" in digest
    assert "1 waiting past their deadline" in digest
    assert "*Mentoring*: 0 new pairs." in digest
    assert "*Coffee*: 2 groups started; met-rate: 100% met (1 of 1)." in digest
    assert "*Mavens of the week* (most accepted answers): Bob Stone\n" in digest
    assert "*Connectors of the week* (most ties across teams): " in digest
    connectors = digest.split("(most ties across teams): ")[1].splitlines()[0]
    first, second, third = await top_connectors(rapport, START, START + timedelta(weeks=1))
    assert connectors == f"{first}, {second}, and {third}"
    private = block(out, "dm @dan", "For community managers only")
    assert "Cara Diaz (no interactions for 4 weeks)" in private
    assert "Gus Hale (only inside their own team for 4 weeks)" in private
    assert "Active but little recognised: Ann Lee and Dan Okafor" in private
    # Fay's question waits past its deadline: its id, for whoever follows it up.
    assert "• Question #2 (no topic): past its deadline since Wed, Jan 6" in private
    assert "[dm @ann]" not in out  # admins who are not community managers get no private part
    for text in await channel_texts(rapport):
        assert not any(word in text for word in SENSITIVE), text

    out = await talk("advance 1d")
    assert "[#community]" not in out  # one digest a week, whatever runs the scheduler again


async def test_a_restart_or_second_replica_posts_the_digest_once(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("advance 1m\ndan in #general: /rapport digest channels #community")
    rapport.bot.clock.set(START + timedelta(weeks=1))
    second = rapport.runtime.__class__(rapport.bot, "replica-two")
    await second.scheduler.fire_due()
    await rapport.runtime.scheduler.fire_due()
    await second.scheduler.run_due()
    await rapport.runtime.settle()
    await second.settle()
    posted = [t for t in await channel_texts(rapport) if "Weekly digest" in t]
    assert len(posted) == 1


async def test_the_preview_is_for_community_managers_only(talk: Talk, rapport: Assembly) -> None:
    out = await talk("eve in #general: /rapport digest preview")
    assert "only people with the community manager role" in out.lower()
    out = await talk("dan in #general: /rapport digest preview")
    # Asked on Monday 04 Jan: the seven days up to now, today included.
    assert "Weekly digest, Dec 28, 2026 – Jan 4, 2027" in block(out, "only @dan sees, in #general")
    private = block(out, "dm @dan")
    assert "For community managers only" in private
    assert "This is a preview: nothing was posted" in private and "went to" not in private
    assert not await channel_texts(rapport)
    async with rapport.db.session() as session:
        [entry] = (await session.exec(select(AuditEntry))).all()
        dan = (await session.exec(select(Person).where(Person.platform_user_id == "dan"))).one()
    assert (entry.action, entry.actor_id) == ("digest.preview", dan.id)


@pytest.fixture
async def fake_openai(rapport: Assembly) -> AsyncIterator[FakeOpenAI]:
    """A local OpenAI-compatible chat server; the bot is pointed at it."""
    reply = "A warm week: three kudos and a hack day idea took off. <!channel> Well done!"
    async with serving(rapport, FakeOpenAI(reply=reply)) as fake:
        yield fake


async def test_with_openai_the_summary_is_written_from_the_channel_facts_only(
    talk: Talk, rapport: Assembly, fake_openai: FakeOpenAI
) -> None:
    await talk("advance 1m\ndan in #general: /rapport digest channels #community\n" + WEEK)
    await edges(rapport, NETWORK, 1)
    out = await talk("advance 7d")
    digest = block(out, "#community")
    assert "A warm week: three kudos and a hack day idea took off. ‹!channel› Well done!" in digest
    assert "This week: " not in digest
    [body] = fake_openai.requests
    sent = body["messages"][-1]["content"]
    assert '"total": 3' in sent and "Quarterly hack day" in sent
    assert not any(word in sent for word in SENSITIVE)

    fake_openai.failing = True
    out = await talk("dan in #general: /rapport digest preview")
    assert "This week: 0 kudos" in out  # the template stands in when the model fails


async def test_the_digest_keeps_its_local_time_across_the_dst_change(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("advance 1m\ndan in #general: /rapport digest channels #community")
    await talk("advance 12w")
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    posted = sorted(
        row.created_at
        for row in rows
        if row.destination.get("kind") == "channel" and "Weekly digest" in str(row.message)
    )
    assert len(posted) == 12
    london = {
        moment.astimezone(ZoneInfo("Europe/London")).strftime("%a %H:%M") for moment in posted
    }
    assert london == {"Mon 09:00"}
    assert {moment.strftime("%H:%M") for moment in posted} == {"09:00", "08:00"}  # GMT, then BST


async def test_past_deadline_counts_what_was_late_at_the_time(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(
        "bob in #general: /expert add payroll\n"
        "ann in #general: /ask when is #payroll run this month?\n"
        "advance 4d\n"
        "bob clicks qa.claim 1\n"
        "bob dm: /answer 1 Payroll runs on the 25th, or the Friday before.\n"
    )
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        settings = rapport.bot.settings

        async def late(moment: datetime) -> int:
            return await past_sla(session, workspace, moment, settings)

        # Asked Monday 09:00 London with two working days to answer: due Wednesday 09:00.
        assert await late(START + timedelta(days=1)) == 0
        assert await late(START + timedelta(days=2, minutes=1)) == 1
        assert await late(START + timedelta(days=3)) == 1  # answered only on Friday
        assert await late(rapport.bot.clock.now()) == 0
