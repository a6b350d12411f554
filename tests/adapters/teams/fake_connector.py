"""A local Bot Connector: the REST API Teams offers bots, recording every call made to it."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Call:
    method: str
    path: str
    body: Any
    authorization: str | None


@dataclass
class FakeConnector:
    channels: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    # Statuses (with headers) to answer the next sends with, before answering normally.
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    # Upload id -> (Content-Range, bytes): files put to the OneDrive upload URLs handed out.
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # Conversation id -> its roster, listed `members_page` at a time (pagedmembers).
    members: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    members_page: int = 2
    # Once this many activities are posted, further posts are recorded (Teams has shown them)
    # but left unanswered until `answer_all`: sends whose outcome the bot cannot know.
    hold_after: int | None = None
    _answer: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("/"))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_get("/v3/teams/{team}/conversations", self._channel_list)
        app.router.add_get("/v3/conversations/{conversation}/pagedmembers", self._paged_members)
        app.router.add_put("/upload/{upload}", self._upload)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    async def _record(self, request: web.Request) -> web.Response | None:
        body = await request.json() if request.can_read_body else None
        self.calls.append(
            Call(request.method, request.path, body, request.headers.get("Authorization"))
        )
        if request.method != "GET" and self.failures:
            status, headers = self.failures.pop(0)
            return web.json_response(
                {"error": {"code": str(status)}}, status=status, headers=headers
            )
        return None

    async def _create(self, request: web.Request) -> web.Response:
        failed = await self._record(request)
        if failed is not None:
            return failed
        return web.json_response({"id": f"a:chat-{next(self._ids)}"})

    async def _send(self, request: web.Request) -> web.Response:
        failed = await self._record(request)
        if self.hold_after is not None and len(self.sent()) > self.hold_after:
            await self._answer.wait()
        return failed or web.json_response({"id": f"act-{next(self._ids)}"}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        failed = await self._record(request)
        return failed or web.json_response({"id": request.match_info["activity"]})

    def held(self) -> int:
        """Posts recorded but not answered yet (see `hold_after`)."""
        if self.hold_after is None or self._answer.is_set():
            return 0
        return max(len(self.sent()) - self.hold_after, 0)

    def answer_all(self) -> None:
        """Answer the held posts (to whoever still listens) and every post from now on."""
        self._answer.set()

    def upload_url(self, upload: str) -> str:
        """Where a file consent's accept says to upload (OneDrive's role, played here)."""
        assert self._server is not None
        return str(self._server.make_url(f"/upload/{upload}"))

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        self.uploads[request.match_info["upload"]] = (request.headers["Content-Range"], data)
        return web.json_response({"id": request.match_info["upload"]}, status=201)

    async def _channel_list(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.json_response(
            {"conversations": self.channels.get(request.match_info["team"], [])}
        )

    async def _paged_members(self, request: web.Request) -> web.Response:
        await self._record(request)
        roster = self.members.get(request.match_info["conversation"])
        if roster is None:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        start = int(request.query.get("continuationToken") or 0)
        page = roster[start : start + self.members_page]
        more = start + self.members_page < len(roster)
        token = {"continuationToken": str(start + self.members_page)} if more else {}
        return web.json_response({"members": page, **token})

    def sent(self, conversation: str | None = None) -> list[Call]:
        """Activities posted (not edits), optionally to one conversation."""
        return [
            call
            for call in self.calls
            if call.method == "POST"
            and "/activities" in call.path
            and (conversation is None or call.path.split("/")[3] == conversation)
        ]

    def edits(self) -> list[Call]:
        return [call for call in self.calls if call.method == "PUT"]

    def created(self) -> list[Call]:
        return [
            call
            for call in self.calls
            if call.method == "POST" and call.path == "/v3/conversations"
        ]
