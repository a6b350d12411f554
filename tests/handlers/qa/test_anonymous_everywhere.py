"""An anonymous question, followed everywhere it leaves a trace: the expert's chat, the expert's
own data export, the digest, the dashboard and the audit log name nobody (docs/features/qa.md)."""

import json

from sqlmodel import select

from bot.models import Person
from bot.wiring.assembly import Assembly
from tests.handlers.conftest import Talk
from tests.handlers.test_dashboard import http, link_for
from tests.handlers.test_privacy import attachment

__all__ = ["http"]  # the dashboard's HTTP client fixture, used below

ASKED_AND_ANSWERED = (
    "cara in #general: /expert add leave\n"
    "bob in #general: /ask anon how much #leave can I take for a house move?\n"
    "cara clicks qa.claim 1\n"
    "cara dm: /answer 1 One day, agreed with your manager.\n"
    "bob clicks qa.accept 1\n"
)


async def asker_traces(rapport: Assembly) -> list[str]:
    async with rapport.db.session() as session:
        bob = (await session.exec(select(Person).where(Person.platform_user_id == "bob"))).one()
    return ["bob", "Bob Stone", f'"asker_id": {bob.id}']


def naming(texts: list[str], traces: list[str]) -> list[str]:
    return [text for text in texts if any(trace in text for trace in traces)]


async def test_the_expert_who_answered_cannot_find_the_asker_anywhere(
    talk: Talk, rapport: Assembly, http: object
) -> None:
    out = await talk(ASKED_AND_ANSWERED)
    assert "One day, agreed with your manager." in out
    to_others = [m for m in out.split("\n[") if "@bob" not in m.split("]", 1)[0]]
    await talk("cara dm: /rapport my-data")
    _, export = attachment(rapport, "cara", "rapport-my-data-")
    claimed = json.loads(export)["data"]["questions you claimed"]
    assert claimed[0]["asker_id"] is None and "asker_name" not in claimed[0]
    audit = await talk("ann dm: /rapport audit")
    traces = await asker_traces(rapport)
    assert naming([*to_others, export.decode(), audit], traces) == []
    # The digest and the dashboard may list Bob as a colleague (he is quiet this week), but
    # nothing that shows the question shows him.
    shown = [await talk("dan in #general: /rapport digest preview")]
    path, _ = await link_for(talk, "dan")
    client = http
    signed_in = await client.post(path, allow_redirects=False)  # type: ignore[attr-defined]
    for page in ("/dashboard", "/dashboard/network"):
        response = await client.get(page, cookies=signed_in.cookies)  # type: ignore[attr-defined]
        assert response.status == 200
        shown.append(await response.text())
    about_it = [part for text in shown for part in text.split("\n") if "house move" in part]
    assert naming(about_it, traces) == []
