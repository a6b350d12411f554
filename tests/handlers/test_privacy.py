"""Export and erasure of one person, driven through every feature on the local platform.

Zed is created by the script, uses kudos, ideas, Q&A, mentoring, coffee and an attributed
pulse survey, then asks for their data and for erasure. The erasure check reads every table
in SQLModel.metadata, so tables added later are checked without touching this file.
"""

import json
import re
from typing import Any

from sqlalchemy import func, select
from sqlmodel import SQLModel, col

from bot.models import AuditEntry, OutboxMessage, Person
from bot.wiring.assembly import Assembly
from handlers.ideas.tables import Idea, IdeaVote
from handlers.kudos.tables import Kudos
from handlers.privacy.references import Identifiers, is_text, person_columns
from handlers.pulse.tables import PulseAnswer
from tests.handlers.conftest import Talk

ZED = 'user zed name="Zed Quill" tz=Europe/London dept=Engineering email=zed@example.com\n'

EVERYTHING = (
    ZED + "cara in #hr: /pulse new\n"
    'cara submits pulse.new title="Team check" questions="scale: How was your week?" '
    'audience="everyone" schedule="once" timezone=Europe/London anonymous=no close=5\n'
    "advance 1h\n"
    "zed clicks pulse.answer 1:0:4\n"
    "bob clicks pulse.answer 1:0:2\n"
    "zed in #general: /kudos @bob thanks for fixing the flaky build pipeline\n"
    "bob in #general: /kudos @zed thanks for the careful code review\n"
    "zed in #general: /idea Team lunch on Fridays -- a shared table for everyone\n"
    "bob in #general: /idea Standing desks -- for the second floor\n"
    "zed clicks ideas.vote 2\n"
    "bob clicks ideas.vote 1\n"
    "zed in #general: /expert add payroll\n"
    "ann in #general: /ask when is #payroll run this month?\n"
    "zed clicks qa.claim 1\n"
    "zed dm: /answer 1 Payroll runs on the 25th, or the Friday before.\n"
    "zed in #general: /ask how do I book #travel for a conference?\n"
    "zed in #general: /mentor\n"
    'zed submits mentor.profile role=mentee skills="" goals="python" capacity=\n'
    "ann in #general: /mentor\n"
    'ann submits mentor.profile role=mentor skills="python" goals="" capacity=2\n'
    "ann in #general: /mentor round\n"
    "zed in #general: /coffee join\n"
    "bob in #general: /coffee join\n"
    "ann in #general: /coffee now\n"
)


def attachment(rapport: Assembly, user: str, name_start: str) -> tuple[str, bytes]:
    """Text and file of the latest message to `user` carrying a file named `name_start...`."""
    for posted in reversed(list(rapport.shell.platform.posted.values())):
        for file in posted.message.attachments:
            if posted.where == f"dm @{user}" and file.name.startswith(name_start):
                return posted.message.text, file.data
    raise AssertionError(f"no file {name_start}* sent to {user}")


async def zed_id(rapport: Assembly) -> int:
    async with rapport.db.session() as session:
        found = (
            await session.exec(select(Person.id).where(Person.platform_user_id == "zed"))
        ).one()
        return int(found[0])


async def test_export_holds_everything_a_person_did(talk: Talk, rapport: Assembly) -> None:
    out = await talk(EVERYTHING)
    assert "Your question #2" in out or "question #2" in out, out
    out = await talk("zed in #general: /rapport my-data")
    assert "I've sent you a DM with everything I hold about you." in out
    assert "[file: rapport-my-data-" in out
    summary, data = attachment(rapport, "zed", "rapport-my-data-")
    assert "not included" in summary and "kudos given: 1" in summary
    export = json.loads(data)
    assert export["profile"]["display_name"] == "Zed Quill"
    assert export["profile"]["email"] == "zed@example.com"
    assert "anonymous" in export["anonymous_survey_answers"]
    sections = export["data"]
    assert sections["kudos given"][0]["receiver_name"] == "Bob Stone"
    assert "flaky build pipeline" in sections["kudos given"][0]["reason"]
    assert sections["kudos received"][0]["giver_name"] == "Bob Stone"
    assert sections["ideas you wrote"][0]["title"].startswith("Team lunch on Fridays")
    assert sections["idea votes"][0]["idea_title"].startswith("Standing desks")
    assert [q["text"] for q in sections["questions you asked"]] == [
        "how do I book #travel for a conference?"
    ]
    assert "25th" in sections["answers you wrote"][0]["text"]
    assert sections["questions you claimed"][0]["id"] == 1
    assert [t["topic"] for t in sections["expertise"]] == ["payroll"]
    assert sections["mentoring profile"][0]["goals"] == ["python"]
    assert sections["mentoring pairs (as mentee)"][0]["mentor_name"] == "Ann Lee"
    assert {e["kind"] for e in sections["interactions you started"]} >= {"kudos"}
    assert {e["target_name"] for e in sections["interactions you started"]} >= {"Bob Stone"}
    assert sections["interactions with you"]
    assert sections["coffee pairing membership"][0]["active"] is True
    assert sections["coffee groups"][0]["with"]
    (answer,) = sections["attributed survey answers"]
    assert (answer["survey"], answer["question"], answer["score"]) == (
        "Team check",
        "How was your week?",
        4,
    )

    await talk("zed dm: /rapport my-data")
    _, data = attachment(rapport, "zed", "rapport-my-data-")
    audit = json.loads(data)["data"]["audit log entries about you"]
    assert [entry["action"] for entry in audit] == ["privacy.export"]


async def aggregates(rapport: Assembly) -> dict[str, Any]:
    async with rapport.db.session() as session:

        async def one(query: Any) -> Any:
            return (await session.exec(query)).all()

        return {
            "kudos": await one(select(func.count()).select_from(Kudos)),
            "kudos by receiver department": sorted(
                await one(
                    select(Person.department, func.count())
                    .join(Kudos, col(Kudos.receiver_id) == col(Person.id))
                    .group_by(Person.department)
                )
            ),
            "people by department": sorted(
                await one(select(Person.department, func.count()).group_by(Person.department)),
                key=str,
            ),
            "votes per idea": sorted(
                await one(
                    select(IdeaVote.idea_id, func.count())
                    .where(col(IdeaVote.active))
                    .group_by(col(IdeaVote.idea_id))
                )
            ),
            "ideas": await one(select(func.count()).select_from(Idea)),
            "pulse": sorted(
                await one(
                    select(
                        PulseAnswer.question, func.count(), func.avg(PulseAnswer.score)
                    ).group_by(col(PulseAnswer.question))
                )
            ),
        }


async def leftovers(rapport: Assembly, person_id: int, words: list[str]) -> list[str]:
    """Every place in every table that still points at or names the person."""
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])", re.I)
    found: list[str] = []
    async with rapport.db.session() as session:
        connection = await session.connection()
        for table in SQLModel.metadata.sorted_tables:
            rows = (await connection.execute(table.select())).mappings().all()
            for row in rows:
                for column in person_columns(table):
                    if row[column.name] == person_id:
                        found.append(f"{table.name}.{column.name} = {person_id}")
                for column in table.columns:
                    if is_text(column) and row[column.name]:
                        text = json.dumps(row[column.name], ensure_ascii=False)
                        if pattern.search(text):
                            found.append(f"{table.name}.{column.name}: {text[:200]}")
    return found


async def test_forget_me_leaves_nothing_and_keeps_aggregates(talk: Talk, rapport: Assembly) -> None:
    await talk(EVERYTHING)
    person_id = await zed_id(rapport)
    before = await aggregates(rapport)
    found = await leftovers(rapport, person_id, ["zed", "Zed Quill", "zed@example.com"])
    assert {place.split(" ")[0].rstrip(":") for place in found} >= {
        "kudos.giver_id",
        "idea_vote.person_id",
        "outbox_message.message",
        "person.display_name",
    }
    out = await talk("zed in #general: /rapport forget-me")
    assert "[Erase] privacy.forget" in out and "[Cancel] privacy.cancel" in out
    out = await talk("zed clicks privacy.cancel")
    assert "Nothing was erased." in out
    out = await talk(f"zed clicks privacy.forget {person_id}")
    assert "everything Rapport held about you is erased" in out
    await rapport.runtime.settle()

    assert await leftovers(rapport, person_id, ["zed", "Zed Quill", "zed@example.com"]) == []
    assert await aggregates(rapport) == before
    out = await talk("bob in #general: /kudos me")
    assert "Zed" not in out
    # The stand-in is nobody to address: a new survey is not sent to it.
    out = await talk(
        "cara in #hr: /pulse new\n"
        'cara submits pulse.new title="After" questions="scale: How is it?" '
        'audience="everyone" schedule="once" timezone=Europe/London anonymous=yes close=5\n'
        "advance 1h"
    )
    assert "Pulse survey: After" in out
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    users = {str(row[0].destination.get("user")) for row in rows}
    assert not any(user.startswith("former-") for user in users)
    out = await talk(f"zed clicks privacy.forget {person_id}")
    assert "There is nothing left to erase." in out


async def test_admin_forgets_someone_who_left_and_it_is_audited(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(EVERYTHING)
    person_id = await zed_id(rapport)
    out = await talk("bob in #general: /rapport forget @zed")
    assert "nly people with the admin role can do that." in out
    out = await talk(f"bob clicks privacy.forget {person_id}")
    assert "nly people with the admin role can do that." in out
    out = await talk("ann in #general: /rapport forget @zed")
    assert "Erase everything Rapport holds about Zed Quill?" in out
    out = await talk(f"ann clicks privacy.forget {person_id}")
    assert "Done: erased." in out
    assert await leftovers(rapport, person_id, ["zed", "Zed Quill", "zed@example.com"]) == []
    async with rapport.db.session() as session:
        entries = (await session.exec(select(AuditEntry))).all()
    (entry,) = [e[0] for e in entries if e[0].action == "privacy.forget"]
    ann = await talk("ann in #general: /rapport audit")
    assert "privacy.forget" in ann and "Ann Lee" in ann
    assert entry.detail["deleted"] > 0 and entry.detail["kept_anonymised"] > 0


async def test_admins_list_and_export_the_audit_log_and_members_cannot(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(ZED + "zed dm: /rapport my-data\nbob dm: /rapport my-data")
    out = await talk("bob in #general: /rapport audit")
    assert "nly people with the admin role can do that." in out
    out = await talk("bob clicks privacy.audit.more 30:0")
    assert "nly people with the admin role can do that." in out
    out = await talk("ann in #general: /rapport audit 7")
    assert "Audit log, last 7 days: entries 1–2 of 2, newest first." in out
    assert "Bob Stone · privacy.export · about Bob Stone" in out
    out = await talk("ann in #general: /rapport audit lots")
    assert "Usage: `/rapport audit [days]`" in out
    for _ in range(15):
        await talk("cara dm: /rapport my-data")
    out = await talk("ann in #general: /rapport audit")
    assert "entries 1–15 of 18" in out and "[Older] privacy.audit.more 30:15" in out
    out = await talk("ann clicks privacy.audit.more 30:15")
    assert "entries 16–19 of 19" in out
    out = await talk("ann in #general: /rapport audit export json")
    assert "I've sent you the audit log by DM." in out
    _, data = attachment(rapport, "ann", "rapport-audit-")
    rows = json.loads(data)
    assert [r["action"] for r in rows].count("audit.list") == 3
    assert rows[-1]["action"] == "audit.list" and rows[-1]["actor"] == "Ann Lee"
    await talk("ann dm: /rapport audit export 30 csv")
    _, data = attachment(rapport, "ann", "rapport-audit-")
    lines = data.decode().splitlines()
    assert lines[0] == "time,actor,action,subject,detail"
    assert "Ann Lee,audit.export" in lines[-1]


def test_a_name_that_is_also_a_word_is_only_erased_as_written() -> None:
    will = Identifiers("U0WILL", "Will", "will@example.com").pattern()
    text = "I will help. Thanks Will, <@U0WILL> and will@example.com; WILL do."
    assert will.sub("X", text) == "I will help. Thanks X, X and X; WILL do."
    quill = Identifiers("U0ZED", "Zed Quill", None).pattern()
    assert quill.sub("X", "Zed Quill met u0zed about a quill") == "X met X about a quill"
