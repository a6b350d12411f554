"""`/rapport fairness` through the local platform: for community managers and admins, only
ever shown to the one who asked, and audited."""

from sqlmodel import select

from bot.models import AuditEntry
from bot.wiring.assembly import Assembly
from tests.handlers.conftest import Talk


async def test_community_managers_see_rings_privately_and_it_is_audited(
    talk: Talk, rapport: Assembly
) -> None:
    trading = "".join(
        f"bob in #general: /kudos @eve thanks for the review number {i}\n"
        f"eve in #general: /kudos @bob thanks for the pairing number {i}\n"
        for i in range(3)
    )
    await talk(trading + "ann in #general: /kudos @fay thanks for the lovely offsite")
    out = await talk("bob in #general: /rapport fairness")
    assert "community manager" in out and "Recognition fairness" not in out
    out = await talk("dan in #general: /rapport fairness")
    assert "[only @dan sees, in #general]" in out and "[#general]" not in out
    assert "(4 weeks, 7 kudos)" in out
    assert "Groups trading kudos back and forth:" in out
    assert "went to each other" in out and out.count("• ") >= 3
    async with rapport.db.session() as session:
        entries = (await session.exec(select(AuditEntry))).all()
    assert [(e.action, e.detail) for e in entries if e.action.startswith("insights")] == [
        ("insights.fairness", {"weeks": 4, "rings": 1})
    ]


async def test_a_quiet_window_and_bad_input_get_plain_answers(talk: Talk) -> None:
    out = await talk("ann in #general: /rapport fairness 2")
    assert "No kudos in this window" in out
    for wrong in ("0", "27", "soon"):
        out = await talk(f"dan in #general: /rapport fairness {wrong}")
        assert "Give a number of weeks from 1 to 26" in out
    out = await talk("dan in #general: /rapport fairness help")
    assert "trade kudos back and forth" in out


async def test_the_digest_tells_community_managers_of_kudos_rings_by_dm_only(
    talk: Talk,
) -> None:
    trading = "".join(
        f"bob in #general: /kudos @eve thanks for the review number {i}\n"
        f"eve in #general: /kudos @bob thanks for the pairing number {i}\n"
        for i in range(3)
    )
    await talk(trading + "advance 1d")
    out = await talk("dan in #general: /rapport digest preview")
    private = [line for line in out.splitlines() if "Trading kudos back and forth" in line]
    assert private == [
        "• Trading kudos back and forth (last 4 weeks): Bob Stone and Eve Martin (6 of their 6 "
        "kudos went to each other)"
    ], out
    shown = out.split("[dm @dan]")[0]
    assert "Trading kudos" not in shown
