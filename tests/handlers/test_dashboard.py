"""The dashboard over HTTP: one-time links, session cookies, roles, audit entries, anonymity."""

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.contract.dashboard import Card, Trend, View
from bot.kit.i18n import speaking
from bot.kit.interactions import Edge, forget_interactions, record_interactions
from bot.models import AuditEntry, Person, Workspace
from bot.time.weeks import complete_weeks
from bot.wiring.assembly import Assembly
from bot.wiring.web import make_web_app
from handlers.dashboard import draw, pages, routes
from handlers.dashboard.links import token_hash
from handlers.dashboard.tables import DashboardLink
from handlers.insights import dashboard as network_part
from handlers.insights import network_view as data
from handlers.insights.network_cache import NetworkCache
from handlers.pulse import dashboard as pulse_part
from handlers.pulse import results
from handlers.pulse.spec import QuestionSpec
from handlers.pulse.tables import PulseSurvey
from tests.handlers.conftest import Talk

LINK = re.compile(r"(http://\S+/dashboard/login/(\S+))")


@pytest.fixture
async def http(rapport: Assembly) -> AsyncIterator[TestClient[object, object]]:
    client: TestClient[object, object] = TestClient(
        TestServer(make_web_app(rapport.bot), host="127.0.0.1")
    )
    await client.start_server()
    rapport.bot.settings.public_base_url = str(client.make_url("")).rstrip("/")
    yield client
    await client.close()


async def link_for(talk: Talk, handle: str) -> tuple[str, str]:
    """Ask for a dashboard link as `handle`; (path, token) from the DM."""
    out = await talk(f"{handle} in #general: /rapport dashboard")
    assert "I've sent you a sign-in link to the dashboard by DM." in out
    found = LINK.search(out)
    assert found, out
    assert f"[dm @{handle}]" in out.split(found[1])[0].splitlines()[-1]
    return "/dashboard/login/" + found[2], found[2]


async def audit(rapport: Assembly) -> list[AuditEntry]:
    async with rapport.db.session() as session:
        return list((await session.exec(select(AuditEntry).order_by(AuditEntry.id))).all())  # type: ignore[arg-type]


async def test_members_get_no_link(talk: Talk, http: TestClient[object, object]) -> None:
    out = await talk("bob in #general: /rapport dashboard")
    assert "only people with the community manager role" in out.lower()
    assert "/dashboard/login/" not in out


async def test_a_link_works_once_and_only_the_hash_is_kept(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    path, token = await link_for(talk, "dan")
    async with rapport.db.session() as session:
        [stored] = (await session.exec(select(DashboardLink))).all()
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash
    assert stored.expires_at == rapport.bot.clock.now() + timedelta(minutes=15)

    form = await http.get(path)
    assert form.status == 200 and 'id="sign-in"' in await form.text()
    assert (await http.get("/dashboard")).status == 401  # looking at the form signs nobody in

    signed = await http.post(path, allow_redirects=False)
    assert signed.status == 303 and signed.headers["Location"] == "/dashboard"
    cookie = signed.cookies["rapport_dashboard"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    page = await http.get("/dashboard")
    body = await page.text()
    assert page.status == 200 and "Kudos per week" in body and "Signed in as Dan Okafor" in body
    assert page.headers["Cache-Control"] == "no-store"
    assert "<script" not in body

    again = await http.post(path, allow_redirects=False)
    assert again.status == 410 and "already been used" in await again.text()
    assert (await http.get(path)).status == 410
    unknown = await http.post("/dashboard/login/not-a-token")
    assert unknown.status == 403 and "isn't valid" in await unknown.text()


async def test_a_french_reader_gets_french_pages_with_french_numbers_and_dates(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    await talk(
        "user zoe\n"  # in no department
        "dan in #general: /rapport settings language fr\n"
        "fay in #general: /ask who books the offsite venue?\nadvance 1h"
    )
    out = await talk("dan in #general: /rapport dashboard")
    assert "Je vous ai envoyé un lien de connexion au tableau de bord" in out
    assert "Votre lien vers le tableau de bord (utilisable une fois, pendant 15 minutes" in out
    found = LINK.search(out)
    assert found, out
    path = "/dashboard/login/" + found[2]
    # The browser asks for German; the language Dan chose comes first.
    german = {"Accept-Language": "de-DE,de;q=0.9"}
    form = await (await http.get(path, headers=german)).text()
    assert '<html lang="fr">' in form and "Ouvrir le tableau de bord" in form
    await http.post(path, headers=german)
    body = await (await http.get("/dashboard", headers=german)).text()
    assert "<h2>Tendances</h2>" in body and "Connecté en tant que Dan Okafor" in body
    assert '<option value="12" selected>12 semaines</option>' in body
    assert '<option value="(no department)">(sans service)</option>' in body
    assert "▲ +1 par rapport à 0" in body
    # The demo clock stands on Monday 4 January 2027: twelve complete weeks end the day before.
    assert "du 12 octobre 2026 au 3 janvier 2027" in body
    with speaking("fr"):
        assert pages.cell(12345.5) == "12\u202f345,5"
        assert pages.number(-0.5, Card(label="", value=-0.5, previous=None, signed=True)) == "-0,5"


async def test_without_a_language_of_their_own_a_reader_gets_the_browsers_then_the_workspaces(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    path, _ = await link_for(talk, "dan")
    await http.post(path)
    german = {"Accept-Language": "pt-BR, de;q=0.8, fr;q=0.5"}
    assert "<h2>Network</h2>" in await (await http.get("/dashboard/network")).text()
    body = await (await http.get("/dashboard/network", headers=german)).text()
    assert '<html lang="de">' in body and "<h2>Netzwerk</h2>" in body
    await talk("ann in #general: /rapport settings workspace-language es")
    body = await (await http.get("/dashboard/network", headers={"Accept-Language": "pt"})).text()
    assert "<h2>Red</h2>" in body
    refused = await http.post("/dashboard/login/not-a-token", headers={"Accept-Language": "ja"})
    assert refused.status == 403 and "このリンクは無効です" in await refused.text()


async def test_a_link_expires(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    path, _ = await link_for(talk, "ann")
    await talk("advance 15m")
    expired = await http.post(path, allow_redirects=False)
    assert expired.status == 410 and "expired" in await expired.text()
    assert (await http.get("/dashboard")).status == 401


async def test_the_session_is_signed_short_lived_and_follows_roles(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    path, _ = await link_for(talk, "dan")
    await http.post(path, allow_redirects=False)
    value = http.session.cookie_jar.filter_cookies(http.make_url("/dashboard"))[
        "rapport_dashboard"
    ].value
    http.session.cookie_jar.clear()

    async def status(cookie: str) -> int:
        headers = {"Cookie": f"rapport_dashboard={cookie}"}
        return (await http.get("/dashboard", headers=headers)).status

    workspace, person, expires, signature = value.split(".")
    assert await status(value) == 200
    assert await status(f"{workspace}.{int(person) - 1}.{expires}.{signature}") == 401
    assert await status(f"{workspace}.{person}.{int(expires) + 3600}.{signature}") == 401

    await talk("ann in #general: /rapport role @dan -community_manager")
    assert await status(value) == 403
    await talk("ann in #general: /rapport role @dan community_manager")
    assert await status(value) == 200
    await talk("advance 61m")
    assert await status(value) == 401


async def test_reading_the_network_is_audited(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    async with rapport.db.session() as session:
        ids = {p.platform_user_id: p.id or 0 for p in (await session.exec(select(Person))).all()}
        workspace = (await session.exec(select(Workspace))).one()
        edges = [
            Edge(ids["ann"], ids["bob"], "kudos", "kudos:1"),
            Edge(ids["bob"], ids["eve"], "answer", "answer:1"),
            Edge(ids["eve"], ids["fay"], "coffee", "coffee:1"),
        ]
        await record_interactions(session, workspace.id or 0, edges, rapport.bot.clock.now())
    await talk("advance 1h")
    path, _ = await link_for(talk, "dan")
    await http.post(path)
    await http.get("/dashboard")
    assert [e.action for e in await audit(rapport)] == ["dashboard.sign_in"]

    page = await http.get("/dashboard/network")
    body = await page.text()
    assert page.status == 200 and "Who works with whom" in body
    assert "Bob Stone" in body and "Engineering" in body and "Sales" in body
    entries = await audit(rapport)
    assert [e.action for e in entries] == ["dashboard.sign_in", "dashboard.read"]
    read = entries[-1]
    assert read.actor_id == ids["dan"] and read.detail["page"] == "network"
    assert read.detail["read"]["people"] == 6
    await http.get("/dashboard/network")
    assert [e.action for e in await audit(rapport)].count("dashboard.read") == 2


async def test_a_name_with_dollar_signs_is_drawn_as_typed(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    async with rapport.db.session() as session:
        bob = (await session.exec(select(Person).where(Person.platform_user_id == "bob"))).one()
        bob.display_name = r"Sam $\nosuchcommand$"
        session.add(bob)
        await session.commit()
    await seed_edges(
        rapport, [("ann", "bob", "kudos"), ("bob", "eve", "answer"), ("eve", "fay", "coffee")], "a"
    )
    await talk("advance 1h")
    path, _ = await link_for(talk, "dan")
    await http.post(path)
    for address in ("/dashboard", "/dashboard/network"):
        assert (await http.get(address)).status == 200
    body = await (await http.get("/dashboard/network")).text()
    picture = body[body.index("<svg") : body.index("</svg>")]
    assert r">Sam $\nosuchcommand$<" in picture


async def seed_edges(rapport: Assembly, pairs: list[tuple[str, str, str]], ref: str) -> None:
    """(source handle, target handle, kind) edges now, each under its own ref."""
    async with rapport.db.session() as session:
        ids = {p.platform_user_id: p.id or 0 for p in (await session.exec(select(Person))).all()}
        workspace = (await session.exec(select(Workspace))).one()
        edges = [Edge(ids[a], ids[b], kind, f"{ref}:{n}") for n, (a, b, kind) in enumerate(pairs)]
        await record_interactions(session, workspace.id or 0, edges, rapport.bot.clock.now())


async def test_network_views_reuse_the_computation_until_the_data_changes(
    talk: Talk, rapport: Assembly, http: TestClient[object, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The process's cache, fresh: another test's workspace of the same id and equal data
    # would otherwise be a hit.
    monkeypatch.setattr(network_part, "CACHE", NetworkCache())
    await seed_edges(
        rapport, [("ann", "bob", "kudos"), ("bob", "eve", "answer"), ("eve", "fay", "coffee")], "a"
    )
    await talk("advance 1h")
    path, _ = await link_for(talk, "dan")
    await http.post(path)
    cache = network_part.CACHE
    drawings = http.server.app[routes.DRAWINGS]

    async def view() -> str:
        page = await http.get("/dashboard/network")
        assert page.status == 200
        return await page.text()

    first = await view()
    drawn = drawings.drawn
    assert cache.computations == 1
    assert "3 interactions in this window" in first and "Eve Martin" in first
    await talk("advance 10m")
    again = await view()
    assert cache.computations == 1 and again == first
    assert drawings.drawn == drawn  # the chart is kept with the computation
    reads = [e for e in await audit(rapport) if e.action == "dashboard.read"]
    assert len(reads) == 2 and reads[-1].detail["read"] == reads[0].detail["read"] | {
        "since": data.network_since(rapport.bot.clock.now()).isoformat(),
        "until": rapport.bot.clock.now().isoformat(),
    }

    await seed_edges(rapport, [("fay", "ann", "kudos")], "b")
    await talk("advance 1m")  # the window ends just before now
    newer = await view()
    assert cache.computations == 2 and "4 interactions in this window" in newer
    assert drawings.drawn == drawn + 1

    async with rapport.db.session() as session:
        eve = (await session.exec(select(Person).where(Person.platform_user_id == "eve"))).one()
    await talk(f"ann in #general: /rapport forget @eve\nann clicks privacy.forget {eve.id}")
    erased = await view()
    assert cache.computations == 3 and drawings.drawn == drawn + 2
    assert "Eve Martin" not in erased
    assert "Ann Lee" in erased and "Fay Nguyen" in erased
    await view()
    assert cache.computations == 3
    actions = [e.action for e in await audit(rapport)]
    assert actions.count("dashboard.read") == 5


async def test_the_cached_network_follows_the_sliding_window(rapport: Assembly) -> None:
    start = rapport.bot.clock.now()
    await seed_edges(rapport, [("ann", "bob", "kudos")], "a")
    rapport.bot.clock.set(start + timedelta(days=2))
    await seed_edges(rapport, [("eve", "fay", "coffee")], "b")
    cache = NetworkCache()

    async def both(now: datetime) -> data.Network:
        async with rapport.db.session() as session:
            workspace = (await session.exec(select(Workspace))).one()
            fresh = await data.network(session, workspace, now)
            assert await cache.network(session, workspace, now) == fresh
            return fresh

    assert (await both(start + timedelta(weeks=4) - timedelta(hours=1))).interactions == 2
    assert cache.computations == 1
    # The window opens at midnight four weeks back: the next day, the first edge has left the
    # page's weeks, for the growth window before them.
    assert (await both(start + timedelta(weeks=4, hours=1))).interactions == 2
    assert cache.computations == 1
    assert (await both(start + timedelta(weeks=4, days=1))).interactions == 1
    assert cache.computations == 2
    # Nothing on the page comes from the growth window: undoing its edge changes nothing.
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        await forget_interactions(session, workspace.id or 0, "kudos", "a:0")
    await both(start + timedelta(weeks=4, days=1, hours=1))
    assert cache.computations == 2
    assert (await both(start + timedelta(weeks=5))).interactions == 0
    assert cache.computations == 3
    # Back in time: the second edge is ahead of the window (as empty as the last one), then
    # in it again.
    assert (await both(start + timedelta(hours=1))).interactions == 0
    assert cache.computations == 3
    assert (await both(start + timedelta(days=3))).interactions == 1
    assert cache.computations == 4
    async with rapport.db.session() as session:
        fay = (await session.exec(select(Person).where(Person.platform_user_id == "fay"))).one()
        fay.display_name = "Fay Tran"
    assert "Fay Tran" in (await both(start + timedelta(days=3))).names.values()
    assert cache.computations == 5


async def test_pulse_trends_hide_runs_under_the_threshold(talk: Talk, rapport: Assembly) -> None:
    await talk(
        "cara in #hr: /pulse new\n"
        'cara submits pulse.new title="Weekly pulse" questions="scale: How was your week?;'
        ' enps: Would you recommend us?" audience="everyone" schedule="once" '
        "timezone=Europe/London anonymous=yes close=3\n"
        "advance 1h\n"
        + "".join(
            f"{h} clicks pulse.answer 1:0:4\n{h} clicks pulse.answer 1:1:9\n"
            for h in ("ann", "bob", "eve")
        )
        + "advance 4d"
    )
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        now = rapport.bot.clock.now()
        view = View(workspace, rapport.bot.settings, now, complete_weeks(now, 4))
        found = await pulse_part.overview(session, view)
    assert found is not None
    cards = {c.label: c for c in found.cards}
    assert cards["Participation"].value == 50 and cards["Participation"].previous is None
    assert cards["eNPS"].value is None  # three answers: under the threshold
    assert [line.values for f in found.figures if isinstance(f, Trend) for line in f.lines] == [
        [None],
        [None],
        [50.0],
    ]


WEEKLY_SPEC = {
    "title": "Weekly pulse",
    "questions": [{"kind": "scale", "prompt": "How was your week?"}],
    "audience": "everyone",
    "schedule": "once",
}


def facts(departments: dict[str, int]) -> pulse_part.Chosen:
    """One closed run of a scale question, with so many answers (all 4) per department."""
    answers = [
        results.AnswerFacts(0, 0, name, 4, None)
        for name, count in departments.items()
        for _ in range(count)
    ]
    total = sum(departments.values())
    return pulse_part.Chosen(
        PulseSurvey(id=1, workspace_id=1, title="Weekly pulse", spec=WEEKLY_SPEC),
        [QuestionSpec(kind="scale", prompt="How was your week?")],
        [results.RunFacts("2026-01-05", total, total, True)],
        answers,
        "Weekly pulse",
    )


async def test_the_heatmap_hides_departments_exactly_as_the_chat_results(
    rapport: Assembly,
) -> None:
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
    now = rapport.bot.clock.now()
    view = View(workspace, rapport.bot.settings, now, complete_weeks(now, 4))
    chosen = facts({"Engineering": 6, "Sales": 7, "Ops": 2})
    heatmap = pulse_part.heatmap(chosen, view)
    assert heatmap is not None
    # Ops is under the threshold; alone it could be worked out from the total, so the
    # smallest shown department (Engineering) is hidden with it, as in /pulse results.
    chat = results.breakdown(
        chosen.questions[0], {"Engineering": [4] * 6, "Sales": [4] * 7, "Ops": [4] * 2}, 5
    )
    assert heatmap.columns == ["Engineering", "Ops", "Sales"]
    assert heatmap.cells == [[None if g.summary is None else g.summary.mean for g in chat]]
    assert heatmap.cells == [[None, None, 4.0]]
    # A department filter picks from the full breakdown; it never unhides Engineering.
    only = pulse_part.heatmap(chosen, replace(view, department="Engineering"))
    assert only is not None and only.cells == [[None]]


async def test_headline_cards_and_calendar_weeks(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    await talk("fay in #general: /ask who books the offsite venue?\nadvance 1h")
    path, _ = await link_for(talk, "dan")
    await http.post(path)
    body = await (await http.get("/dashboard")).text()
    assert '<meta name="viewport"' in body
    cards = body[body.index('aria-label="Headline figures"') :]
    assert "Open questions" in cards and "▲ +1 from 0" in cards
    assert "Kudos this week" in cards
    assert "Questions per week: nothing in these weeks." in body  # this week is not over
    await talk("advance 7d")
    path, _ = await link_for(talk, "dan")
    await http.post(path)
    body = await (await http.get("/dashboard")).text()
    mondays = re.findall(r"<tr><td>(\d{4}-\d{2}-\d{2})</td>", body)
    assert mondays and all(date.fromisoformat(d).weekday() == 0 for d in mondays)
    assert "overdue at the week&#x27;s end" in body or "overdue at the week's end" in body


def test_a_big_department_draws_the_connectors_and_the_most_connected() -> None:
    everyone = list(range(1, 1001))
    weights = {(a, a + 1): float(a) for a in range(1, 1000)}
    shown = data.drawn_people(weights, {1, 2}, everyone)
    assert len(shown) == data.MAX_PEOPLE and {1, 2, 998, 999} <= shown
    assert 500 not in shown
    edges = data.heaviest_edges(weights, shown)
    assert len(edges) <= data.MAX_EDGES and (998, 999, 998.0) in edges
    assert data.drawn_people(weights, set(), everyone[:10]) == set(everyone[:10])
    # A stand-in for an erased person (not among the people) with the heaviest ties: not drawn.
    weights[(999, 5000)] = 10_000.0
    shown = data.drawn_people(weights, {1, 2}, everyone)
    assert 5000 not in shown and len(shown) == data.MAX_PEOPLE


def organisation(people: int, departments: int) -> data.Network:
    """`people` in `departments`, each tied to the next person and to one three along."""
    ids = range(1, people + 1)
    weights = {(p, p + 1): 1.0 for p in ids if p < people}
    weights |= {(p, p + 3): 2.0 for p in ids if p + 3 <= people}
    return data.Network(
        since=datetime(2026, 1, 1, tzinfo=UTC),
        until=datetime(2026, 1, 29, tzinfo=UTC),
        departments={p: f"dept {p % departments:02d}" for p in ids},
        names={p: f"person {p}" for p in ids},
        weights=weights,
        connector_ids=frozenset({1, 2}),
        connectors=[],
        mavens=[],
        interactions=len(weights),
    )


def test_two_thousand_people_are_drawn_as_departments_and_their_ties() -> None:
    found = organisation(2000, 40)
    picture = found.picture()
    assert isinstance(picture, data.Groups)
    assert len(picture.sizes) == 40 and sum(picture.sizes.values()) == 2000
    assert 0 < len(picture.ties) <= data.MAX_TIES
    assert all(a != b for a, b, _ in picture.ties)  # only ties between departments
    figure = network_part.graph(found, None)
    assert figure.grouped and len(figure.nodes) == 40
    svg = draw.svg(figure, "en")
    assert ">dept 00 (50)<" in svg and "person 1" not in svg
    # One department is few enough to draw one by one, with its connectors.
    one = found.picture("dept 01")
    assert isinstance(one, data.Picture) and set(one.departments.values()) == {"dept 01"}
    assert len(one.departments) == 50 and one.highlighted == {1}
    # A small workspace is drawn one by one.
    assert isinstance(organisation(100, 4).picture(), data.Picture)


WEEKLY_PULSE = (
    "cara in #hr: /pulse new\n"
    'cara submits pulse.new title="Weekly pulse" questions="scale: How was your week?;'
    ' enps: Would you recommend us?" audience="everyone" schedule="once" '
    "timezone=Europe/London anonymous=yes close=3\n"
    "advance 1h\n"
    + "".join(
        f"{h} clicks pulse.answer 1:0:4\n{h} clicks pulse.answer 1:1:9\n"
        for h in ("ann", "bob", "eve", "fay")
    )
    + "advance 4d"
)


async def signed_in(talk: Talk, http: TestClient[object, object], handle: str) -> None:
    http.session.cookie_jar.clear()
    path, _ = await link_for(talk, handle)
    assert (await http.post(path, allow_redirects=False)).status == 303


async def test_each_role_sees_only_its_panels_and_exports_what_it_sees(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    await talk(WEEKLY_PULSE)
    await seed_edges(rapport, [("ann", "bob", "kudos"), ("eve", "fay", "coffee")], "a")
    await talk("advance 1h")

    await signed_in(talk, http, "ann")  # an admin: every panel
    body = await (await http.get("/dashboard")).text()
    assert "Pulse by department: Weekly pulse" in body and "not enough responses" in body
    csv = await (await http.get("/dashboard/trends.csv")).text()
    assert csv.splitlines()[0] == "panel,figure,row,column,value"
    assert "How was your week?,Engineering,not enough responses" in csv
    assert "Kudos,headline,Kudos this week,now,0" in csv

    await signed_in(talk, http, "dan")  # a community manager: no breakdown by department
    body = await (await http.get("/dashboard")).text()
    assert "Pulse: Weekly pulse" in body and "by department" not in body.lower()
    csv = await (await http.get("/dashboard/trends.csv")).text()
    assert "Engineering" not in csv and "Pulse: Weekly pulse,headline,Participation,now" in csv
    assert [e.action for e in await audit(rapport)].count("dashboard.export") == 0

    exported = await http.get("/dashboard/network.csv?junk=%3Cb%3E")
    assert exported.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in exported.headers["Content-Disposition"]
    csv = await exported.text()
    assert "Who works with whom,Ann Lee,Bob Stone,1.0" in csv
    [entry] = [e for e in await audit(rapport) if e.action == "dashboard.export"]
    assert entry.detail["page"] == "network" and entry.detail["read"]["people"] == 6
    assert entry.detail["filters"] == {"period": "12"}  # what the page offers, nothing else


async def test_filters_narrow_every_panel(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    await talk(
        "ann in #general: /kudos @bob thanks for the careful code review\n"
        "dan in #general: /kudos @fay great pairing on the customer pitch\n"
        "advance 1h"
    )
    await signed_in(talk, http, "dan")
    everyone = await (await http.get("/dashboard/trends.csv")).text()
    assert "Kudos,headline,Kudos this week,now,2" in everyone
    sales = await (await http.get("/dashboard/trends.csv?department=Sales")).text()
    assert "Kudos,headline,Kudos this week,now,1" in sales
    page = await (await http.get("/dashboard?department=Sales&period=4")).text()
    assert '<option value="Sales" selected>' in page and '<option value="4" selected>' in page
    assert "department=Sales" in page  # the export link keeps the filters
    # An unknown department or period falls back to everyone and twelve weeks.
    odd = await (await http.get("/dashboard/trends.csv?department=Nowhere&period=999")).text()
    assert odd == everyone


async def test_a_survey_filter_chooses_the_survey(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    await talk(WEEKLY_PULSE)
    await talk(
        "cara in #hr: /pulse new\n"
        'cara submits pulse.new title="Team health" questions="scale: How is the team?"'
        ' audience="everyone" schedule="once" timezone=Europe/London anonymous=yes close=3\n'
        "advance 4d"
    )
    await signed_in(talk, http, "dan")
    latest = await (await http.get("/dashboard")).text()
    assert "Pulse: Team health" in latest and '<option value="1">#1 Weekly pulse' in latest
    chosen = await (await http.get("/dashboard?survey=1")).text()
    assert "Pulse: Weekly pulse" in chosen and "Pulse: Team health" not in chosen


async def test_hr_reads_the_survey_breakdown_but_not_the_network(
    talk: Talk, rapport: Assembly, http: TestClient[object, object]
) -> None:
    await talk(WEEKLY_PULSE)
    await signed_in(talk, http, "cara")
    body = await (await http.get("/dashboard")).text()
    assert "Pulse by department: Weekly pulse" in body and "Signed in as Cara Diaz" in body
    # Hidden is not "nothing": the page says why a survey's scores are not drawn.
    assert "eNPS: Weekly pulse: too few answers in every closed run to show it" in body
    network = await (await http.get("/dashboard/network")).text()
    assert "Who works with whom" not in network and "Connectors" not in network
    csv = await (await http.get("/dashboard/network.csv")).text()
    assert csv.strip() == "panel,figure,row,column,value"
    assert [e.action for e in await audit(rapport)] == ["dashboard.sign_in"]


async def test_pulse_pages_read_the_survey_in_the_pages_language(
    talk: Talk, http: TestClient[object, object]
) -> None:
    german = (
        "cara in #hr: /pulse translate 1 de\n"
        'cara submits pulse.translate title="Wochenpuls" '
        'questions="Wie war deine Woche?; Würdest du uns empfehlen?"\n'
    )
    await talk(WEEKLY_PULSE.replace("advance 1h\n", german + "advance 1h\n", 1))
    await signed_in(talk, http, "cara")  # HR, with no language of her own: the browser's
    for language, texts, others in (
        ("de", ("Wochenpuls", "Wie war deine Woche?"), ("Weekly pulse", "How was your week?")),
        # No French texts: the survey's own, on a French page.
        ("fr", ("Weekly pulse", "How was your week?"), ("Wochenpuls", "Wie war deine Woche?")),
    ):
        headers = {"Accept-Language": language}
        body = await (await http.get("/dashboard", headers=headers)).text()
        csv = await (await http.get("/dashboard/trends.csv", headers=headers)).text()
        assert f'<html lang="{language}">' in body
        for shown in (body, csv):
            assert all(t in shown for t in texts) and not any(t in shown for t in others)
