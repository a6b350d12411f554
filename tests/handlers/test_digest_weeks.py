"""The digest over several weeks on the local platform and the virtual clock: each figure
against last week, the flag on a large change, and highlights that rotate and never feature
a pair the private part flags for trading kudos."""

import re

from sqlmodel import select

from bot.models import OutboxMessage
from bot.wiring.assembly import Assembly
from tests.handlers.conftest import Talk
from tests.handlers.test_digest import block

ENGINEERS = [f"en{n}" for n in range(1, 15)]
# +50: three promoters, three passives. -7: four promoters, five passives, five detractors.
FIRST_WEEK = [9, 10, 9, 7, 8, 7]
SECOND_WEEK = [9, 10, 9, 10, 7, 8, 7, 8, 7, 3, 5, 6, 4, 2]


def answers(run: int, scores: list[int]) -> str:
    return "\n".join(
        f"{who} clicks pulse.answer {run}:0:{score}"
        for who, score in zip(ENGINEERS, scores, strict=False)
    )


async def test_an_enps_fall_from_plus_50_to_minus_7_is_flagged(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(
        "\n".join(f"user {who} dept=Engineering tz=Europe/London" for who in ENGINEERS)
        + "\nadvance 1m\n"
        "dan in #general: /rapport digest channels #community\n"
        "cara in #hr: /pulse new\n"
        'cara submits pulse.new title="Weekly pulse" questions="enps: Would you recommend us?" '
        'audience="everyone" schedule="weekly on tue at 10:00" timezone=Europe/London '
        "anonymous=yes close=3\n"
        "advance 1d 1h 29m"  # Tuesday 10:30: the first run is open
    )
    await talk(answers(1, FIRST_WEEK))
    out = await talk("advance 6d 22h 30m")  # Monday 09:00: the first digest
    first = block(out, "#community", "Weekly digest")
    assert "• Weekly pulse: 30% answered. Would you recommend us? eNPS +50." in first
    assert "• eNPS, Weekly pulse: +50 (nothing to compare with the last run)" in first
    assert "⚠️" not in first

    await talk("advance 1d 1h 30m")  # Tuesday 10:30: the second run is open
    await talk(answers(2, SECOND_WEEK))
    out = await talk("advance 6d 22h 30m")
    second = block(out, "#community", "Weekly digest")
    assert "• Weekly pulse: 70% answered. Would you recommend us? eNPS -7." in second
    assert "• eNPS, Weekly pulse: -7 (-57 since the last run) ⚠️ large fall, for the worse" in second
    assert (
        "• Participation, Weekly pulse: 70% (+40 pts since the last run) "
        "⚠️ large rise, for the better" in second
    )


async def test_a_small_survey_change_is_shown_unflagged_and_a_hidden_one_not_at_all(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(
        "\n".join(f"user {who} dept=Engineering tz=Europe/London" for who in ENGINEERS)
        + "\nadvance 1m\n"
        "dan in #general: /rapport digest channels #community\n"
        "cara in #hr: /pulse new\n"
        'cara submits pulse.new title="Weekly pulse" questions="enps: Would you recommend us?" '
        'audience="everyone" schedule="weekly on tue at 10:00" timezone=Europe/London '
        "anonymous=yes close=3\n"
        "advance 1d 1h 29m"
    )
    # Four answers: under the threshold of five, so nothing of the first run is shown.
    await talk(answers(1, [10, 10, 10, 10]))
    await talk("advance 7d")
    await talk(answers(2, [9, 10, 9, 7, 8, 7]))
    out = await talk("advance 6d 22h 30m")
    second = block(out, "#community", "Weekly digest")
    # The hidden +100 of the first run never comes back as a difference.
    assert "• eNPS, Weekly pulse: +50 (nothing to compare with the last run)" in second
    assert "Participation, Weekly pulse: 30% (+10 pts since the last run)\n" in second


def featured(digest: str) -> list[str]:
    """The highlight lines of a digest: "• Giver → Receiver: “why”"."""
    return [line for line in digest.splitlines() if line.startswith("• ") and " → " in line]


def people(lines: list[str]) -> set[str]:
    found: set[str] = set()
    for line in lines:
        match = re.match(r"• (.+?) → (.+?): ", line)
        assert match, line
        found |= {match[1], match[2]}
    return found


WEEK_KUDOS = {
    # Gus and Hal thank each other in odd weeks, Ivy and Jon in even ones; Cara and Eve every
    # week, after them; Ann and Bob trade kudos last, so they are always the most recent.
    "odd": "gus in #general: /kudos @hal for the on-call handover",
    "even": "ivy in #general: /kudos @jon for the data fix",
}
EVERY_WEEK = (
    "cara in #general: /kudos @dan for the workshop\n"
    "eve in #general: /kudos @fay for the pitch deck"
)


def ring(times: int) -> str:
    return "\n".join(
        "ann in #general: /kudos @bob for the review\nbob in #general: /kudos @ann for the review"
        for _ in range(times)
    )


async def test_highlights_rotate_and_never_feature_a_flagged_pair(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(
        "user gus name=Gus dept=Ops tz=Europe/London\n"
        "user hal name=Hal dept=Ops tz=Europe/London\n"
        "user ivy name=Ivy dept=Data tz=Europe/London\n"
        "user jon name=Jon dept=Data tz=Europe/London\n"
        "advance 1m\n"
        "dan in #general: /rapport digest channels #community"
    )
    weeks = []
    for week in range(1, 5):
        await talk(
            f"advance 1d\n{WEEK_KUDOS['odd' if week % 2 else 'even']}\n{EVERY_WEEK}\n"
            + ring(3 if week == 1 else 1)
        )
        out = await talk("advance 6d")
        digest = block(out, "#community", "Weekly digest")
        private = block(out, "dm @dan", "For community managers only")
        assert "Trading kudos back and forth (last 4 weeks): Ann Lee and Bob Stone" in private
        lines = featured(digest)
        assert lines, digest
        assert not any("Ann Lee" in line and "Bob Stone" in line for line in lines), digest
        weeks.append(people(lines))
    assert weeks == [
        {"Eve Martin", "Fay Nguyen", "Cara Diaz", "Dan Okafor", "Gus", "Hal"},
        {"Ivy", "Jon"},
        {"Eve Martin", "Fay Nguyen", "Cara Diaz", "Dan Okafor", "Gus", "Hal"},
        {"Ivy", "Jon"},
    ]
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    public = [
        str(row.message) for row in rows if row.destination.get("kind") in ("channel", "thread")
    ]
    assert not any("back and forth" in text for text in public)


async def test_when_nobody_else_qualifies_last_weeks_people_may_return(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("advance 1m\ndan in #general: /rapport digest channels #community")
    for _ in range(2):
        await talk("advance 1d\neve in #general: /kudos @fay for the pitch deck")
        out = await talk("advance 6d")
        assert featured(block(out, "#community", "Weekly digest")) == [
            "• Eve Martin → Fay Nguyen: “for the pitch deck”"
        ]


async def test_a_preview_neither_records_who_it_featured(talk: Talk, rapport: Assembly) -> None:
    await talk(
        "user gus name=Gus dept=Ops tz=Europe/London\n"
        "user hal name=Hal dept=Ops tz=Europe/London\n"
        "advance 1m\n"
        "dan in #general: /rapport digest channels #community\n"
        "eve in #general: /kudos @fay for the pitch deck\n"
        "cara in #general: /kudos @dan for the workshop\n"
        "dan in #general: /rapport digest preview\n"
        "gus in #general: /kudos @hal for the on-call handover"
    )
    # Had the preview counted, the digest would leave out the four people it showed.
    out = await talk("advance 7d")
    assert people(featured(block(out, "#community", "Weekly digest"))) == {
        "Eve Martin",
        "Fay Nguyen",
        "Cara Diaz",
        "Dan Okafor",
        "Gus",
        "Hal",
    }


async def test_what_waits_goes_by_id_to_community_managers_only(
    talk: Talk, rapport: Assembly
) -> None:
    rapport.bot.settings.public_base_url = "https://rapport.example.com/"
    await talk(
        "advance 1m\n"
        "dan in #general: /rapport digest channels #community\n"
        "bob in #general: /idea Bike racks by the entrance — many of us cycle in\n"
        "advance 7d"
    )
    out = await talk("advance 7d")  # a minute short of two weeks: not late yet
    assert "Idea #1" not in block(out, "dm @dan", "For community managers only")
    out = await talk("advance 7d")
    private = block(out, "dm @dan", "For community managers only")
    assert (
        "• Idea #1 “Bike racks by the entrance”: new for 20 days, no decision yet "
        "(`/idea stage #1 under review` or `/idea decline #1 the reason`)" in private
    )
    assert "The dashboard: https://rapport.example.com/dashboard" in private
    digest = block(out, "#community", "Weekly digest")
    assert "• Ideas with no decision after 14 days: 1 (+1 since last week)" in digest
    assert "Idea #1" not in digest and "dashboard" not in digest

    out = await talk("dan in #general: /idea stage #1 under review\nadvance 7d")
    private = block(out, "dm @dan", "For community managers only")
    assert "Idea #1" not in private and "Waiting on someone" not in private
