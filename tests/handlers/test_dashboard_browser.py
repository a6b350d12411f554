"""The dashboard in a real browser: headless Chromium (Debian's package) driven by Playwright.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_CHROMIUM=1 (CI sets it). The
screenshots are kept, at desktop and phone sizes (dashboard-<page>-<size>-<backend>.png): in
$DASHBOARD_SCREENSHOT_DIR when set (.ci/run sets test-artifacts/), else in the test's tmp_path.
"""

import os
import random
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import Page, ViewportSize
from sqlalchemy import insert, text
from sqlmodel import select

from bot.kit.interactions import Edge, record_interactions
from bot.models import AuditEntry, Interaction, Person, Workspace
from bot.wiring.assembly import Assembly
from bot.wiring.web import make_web_app
from tests.handlers.conftest import Talk
from tests.handlers.test_dashboard import WEEKLY_PULSE

CHROMIUM = Path("/usr/bin/chromium")
SIZES: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("REQUIRE_CHROMIUM") == "1":
        pytest.fail(reason + " and REQUIRE_CHROMIUM=1", pytrace=False)
    pytest.skip(reason + "; set REQUIRE_CHROMIUM=1 to fail instead of skipping")


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("DASHBOARD_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
async def served(rapport: Assembly) -> AsyncIterator[str]:
    """The bot's web app on a real port; dashboard links point at it."""
    runner = web.AppRunner(make_web_app(rapport.bot))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    rapport.bot.settings.public_base_url = base
    yield base
    await runner.cleanup()


async def busy_weeks(talk: Talk, rapport: Assembly) -> None:
    """A few weeks of kudos and interactions, so the charts have something to draw."""
    for _ in range(3):
        await talk(
            "ann in #general: /kudos @bob thanks for the careful code review\n"
            "eve in #general: /kudos @fay great pairing on the customer pitch\n"
            "advance 7d"
        )
    async with rapport.db.session() as session:
        ids = {p.platform_user_id: p.id or 0 for p in (await session.exec(select(Person))).all()}
        workspace = (await session.exec(select(Workspace))).one()
        pairs = [("ann", "bob"), ("bob", "eve"), ("eve", "fay"), ("dan", "eve"), ("cara", "ann")]
        edges = [Edge(ids[a], ids[b], "kudos", f"kudos:{a}:{b}") for a, b in pairs]
        await record_interactions(session, workspace.id or 0, edges, rapport.bot.clock.now())
    await talk("advance 1h")


async def test_the_dashboard_in_headless_chromium(
    talk: Talk, rapport: Assembly, served: str, shots: Path, backend: str
) -> None:
    _require_chromium()
    from playwright.async_api import async_playwright

    await busy_weeks(talk, rapport)
    out = await talk("dan in #general: /rapport dashboard")
    link = re.search(r"(http://\S+/dashboard/login/\S+)", out)
    assert link, out
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = await browser.new_page(viewport=SIZES["desktop"])
            await page.goto(link[1])
            await page.click("#sign-in")
            await page.wait_for_url(f"{served}/dashboard")
            assert await page.title() == "Trends · Rapport"
            assert await page.locator(".card").count() == 2  # kudos, open questions
            # Every chart names itself for screen readers.
            charts = page.locator("figure svg")
            assert await charts.count() >= 1  # kudos; empty charts are a line of text
            for number in range(await charts.count()):
                chart = charts.nth(number)
                assert await chart.get_attribute("role") == "img"
                assert await chart.locator("title").count() == 1
                assert await chart.locator("desc").count() == 1
            assert "Signed in as Dan Okafor" in await page.inner_text("header")
            await shoot(page, shots / f"dashboard-trends-desktop-{backend}.png")
            await page.select_option("select[name=period]", "4")
            await page.click("button[type=submit]")
            await page.wait_for_url(re.compile(r".*period=4.*"))
            kudos = page.locator("details", has_text="people recognised").first
            assert await kudos.locator("tr").count() == 5  # a header and four weeks

            await page.click("text=Network")
            await page.wait_for_url(f"{served}/dashboard/network")
            assert "Who works with whom" in await page.content()
            assert await page.locator("table td", has_text="Eve Martin").count() >= 1
            await shoot(page, shots / f"dashboard-network-desktop-{backend}.png")

            phone = await browser.new_page(viewport=SIZES["phone"])
            await phone.context.add_cookies(await page.context.cookies())
            for name, path in (("trends", "/dashboard"), ("network", "/dashboard/network")):
                await phone.goto(served + path)
                # The viewport tag: the page is laid out for the phone, not shrunk.
                width = await phone.evaluate("document.documentElement.clientWidth")
                assert width == SIZES["phone"]["width"]
                await shoot(phone, shots / f"dashboard-{name}-phone-{backend}.png")

            again = await page.goto(link[1])
            assert again is not None and again.status == 410
            assert "already been used" in await page.inner_text("main")
        finally:
            await browser.close()
    for size in SIZES:
        assert (shots / f"dashboard-trends-{size}-{backend}.png").stat().st_size > 10_000
    async with rapport.db.session() as session:
        actions = [e.action for e in (await session.exec(select(AuditEntry))).all()]
    assert actions == ["dashboard.sign_in", "dashboard.read", "dashboard.read"]


async def shoot(page: Page, path: Path) -> None:
    await page.screenshot(path=str(path), full_page=True)


async def big_organisation(rapport: Assembly, people: int = 2000, departments: int = 40) -> None:
    """`people` more in the workspace, in departments of uneven size, three in four of their
    interactions inside their own department, over the last three weeks."""
    rng = random.Random(7)
    now = rapport.bot.clock.now()
    shares = [1 / (d + 1) for d in range(departments)]
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        first = 10_000
        department = {
            first + n: f"Dept {rng.choices(range(departments), shares)[0]:02d}"
            for n in range(people)
        }
        connection = await session.connection()
        await connection.execute(
            insert(Person),
            [
                {
                    "id": person,
                    "workspace_id": workspace.id,
                    "platform_user_id": f"u{person}",
                    "display_name": f"Person {person}",
                    "timezone": "UTC",
                    "department": name,
                    "roles": [],
                    "preferences": {},
                    "is_bot": False,
                    "created_at": now,
                }
                for person, name in department.items()
            ],
        )
        members: dict[str, list[int]] = {}
        for person, name in department.items():
            members.setdefault(name, []).append(person)
        everyone = list(department)
        edges = []
        for n in range(people * 4):
            source = rng.choice(everyone)
            inside = rng.random() < 0.75
            target = rng.choice(members[department[source]] if inside else everyone)
            edges.append(
                {
                    "workspace_id": workspace.id,
                    "source_id": source,
                    "target_id": target,
                    "kind": "kudos",
                    "ref": f"big:{n}",
                    "weight": 1.0,
                    "occurred_at": now - timedelta(minutes=rng.randrange(3 * 7 * 24 * 60)),
                }
            )
        await connection.execute(insert(Interaction), edges)
        if rapport.db.is_postgres:
            await connection.execute(text("SELECT setval('person_id_seq', 20000)"))


async def test_the_network_of_two_thousand_people_in_headless_chromium(
    talk: Talk, rapport: Assembly, served: str, shots: Path, backend: str
) -> None:
    _require_chromium()
    from playwright.async_api import async_playwright

    await big_organisation(rapport)
    await talk("advance 1h")
    out = await talk("dan in #general: /rapport dashboard")
    link = re.search(r"(http://\S+/dashboard/login/\S+)", out)
    assert link, out
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = await browser.new_page(viewport=SIZES["desktop"])
            await page.goto(link[1])
            await page.click("#sign-in")
            await page.wait_for_url(f"{served}/dashboard")
            await page.goto(f"{served}/dashboard/network")
            chart = page.locator("figure svg")
            assert await chart.locator("title").text_content() == "Ties between departments"
            # Departments, not 2,000 dots: no person is drawn, each department is labelled.
            assert "Person 1" not in await chart.inner_html()
            assert await chart.locator("text", has_text="Dept 00 (").count() == 1
            await shoot(page, shots / f"dashboard-network-2000-desktop-{backend}.png")
            phone = await browser.new_page(viewport=SIZES["phone"])
            await phone.context.add_cookies(await page.context.cookies())
            await phone.goto(f"{served}/dashboard/network")
            await shoot(phone, shots / f"dashboard-network-2000-phone-{backend}.png")

            # One small department: its people one by one.
            await page.select_option("select[name=department]", "Dept 39")
            await page.click("button[type=submit]")
            await page.wait_for_url(re.compile(r".*department=Dept\+39.*"))
            chart = page.locator("figure svg")
            assert await chart.locator("title").text_content() == "Who works with whom"
            await shoot(page, shots / f"dashboard-network-2000-department-{backend}.png")
        finally:
            await browser.close()


async def test_hrs_heatmap_in_headless_chromium(
    talk: Talk, rapport: Assembly, served: str, shots: Path, backend: str
) -> None:
    _require_chromium()
    from playwright.async_api import async_playwright

    await talk(WEEKLY_PULSE)
    out = await talk("cara in #general: /rapport dashboard")
    link = re.search(r"(http://\S+/dashboard/login/\S+)", out)
    assert link, out
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            for size, viewport in SIZES.items():
                page = await browser.new_page(viewport=viewport)
                if size == "desktop":
                    await page.goto(link[1])
                    await page.click("#sign-in")
                    await page.wait_for_url(f"{served}/dashboard")
                    cookies = await page.context.cookies()
                else:
                    await page.context.add_cookies(cookies)
                    await page.goto(f"{served}/dashboard")
                heatmap = page.locator("table.heatmap")
                assert await heatmap.locator("caption").count() == 1
                # Every department hidden (none has the threshold's answers), each says so.
                hidden = heatmap.locator("td.hidden")
                assert await hidden.count() >= 2
                assert await hidden.first.inner_text() == "not enough responses"
                await heatmap.scroll_into_view_if_needed()
                await shoot(page, shots / f"dashboard-heatmap-{size}-{backend}.png")
        finally:
            await browser.close()
