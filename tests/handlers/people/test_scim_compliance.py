"""The SCIM service passes an independent compliance checker (scim2-tester) over HTTP."""

import asyncio
from collections.abc import AsyncIterator

import httpx2
import pytest
from aiohttp.test_utils import TestClient, TestServer
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from bot.wiring.assembly import Assembly
from bot.wiring.web import make_web_app
from handlers.people.settings import SECTION as PEOPLE

TOKEN = "scim-test-token"


@pytest.fixture
async def scim(rapport: Assembly) -> AsyncIterator[str]:
    """The bot's web app on a local port with SCIM on; its /scim/v2 URL."""
    rapport.bot.settings = rapport.bot.settings.with_section(PEOPLE, scim_token=TOKEN)
    client: TestClient[object, object] = TestClient(
        TestServer(make_web_app(rapport.bot), host="127.0.0.1")
    )
    await client.start_server()
    yield str(client.make_url("/scim/v2"))
    await client.close()


def _check(url: str) -> list[str]:
    """Every check the tester runs, as `status title: reason` for those that did not pass."""
    with httpx2.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        results = check_server(SyncSCIMClient(http))
    assert len(results) > 20
    return [
        f"{result.status.name} {result.title}: {result.reason}"
        for result in results
        if result.status not in (Status.SUCCESS, Status.SKIPPED)
    ]


async def test_the_compliance_checker_passes(scim: str) -> None:
    # The checker is synchronous: it runs in a thread while the loop serves its requests.
    failures = await asyncio.to_thread(_check, scim)
    assert failures == []
