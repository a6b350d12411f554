"""A local fake of Discord's gateway: the websocket discord.py connects to after GET /gateway/bot.

It speaks the documented opcodes in JSON text frames: HELLO (10) on connect, IDENTIFY (2)
answered by READY then GUILD_CREATE, HEARTBEAT (1) answered by HEARTBEAT_ACK (11), and RESUME
(6) answered by replaying the dispatches the client missed, then RESUMED. A test can close the
current websocket with a close code (4000: resumable), hold reconnections back, and send
dispatches; every frame the client sent is recorded.
"""

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.adapters.discord import payloads
from tests.adapters.discord.fake_discord import API, APP_ID, BOT_ID, GUILD_ID, user

IDENTIFY, RESUME, HEARTBEAT = 2, 6, 1
SESSION = "fake-session-1"


@dataclass
class FakeGateway:
    """Mount with `mount(app)` on the fake REST app, before it starts."""

    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    # Every dispatch sent, as (sequence, event name, data), for replays on RESUME.
    dispatched: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    connections: int = 0
    open_now: asyncio.Event = field(default_factory=asyncio.Event)
    accepting: asyncio.Event = field(default_factory=asyncio.Event)
    guilds: list[dict[str, Any]] = field(default_factory=list)
    _socket: web.WebSocketResponse | None = None

    def __post_init__(self) -> None:
        self.accepting.set()
        self.guilds = [payloads.guild_create([payloads.text_channel()])]

    def mount(self, app: web.Application) -> None:
        app.router.add_get(API + "/gateway/bot", self._gateway_bot)
        app.router.add_get("/gateway", self._websocket)

    def ops(self, op: int) -> list[dict[str, Any]]:
        return [frame for frame in self.received if frame.get("op") == op]

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a dispatch now (or, while nobody is connected, keep it for the replay)."""
        sequence = len(self.dispatched) + 1
        self.dispatched.append((sequence, event, data))
        if self._socket is not None and not self._socket.closed:
            await self._send(self._socket, sequence, event, data)

    async def drop(self, code: int = 4000) -> None:
        """Close the client's websocket, as Discord does when it restarts a gateway node."""
        socket = self._socket
        assert socket is not None
        self.open_now.clear()
        self._socket = None
        await socket.close(code=code, message=b"fake gateway restarting")

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return web.json_response({"url": self.url, "shards": 1, "session_start_limit": limit})

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        await self.accepting.wait()
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.connections += 1
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                break
            await self._answer(socket, json.loads(frame.data))
        return socket

    async def _answer(self, socket: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        self.received.append(frame)
        match frame.get("op"):
            case 1:
                await socket.send_str(json.dumps({"op": 11, "d": None}))
            case 2:
                self._socket = socket
                self.open_now.set()
                await self.dispatch("READY", self._ready())
                for guild in self.guilds:
                    await self.dispatch("GUILD_CREATE", guild)
            case 6:
                self._socket = socket
                self.open_now.set()
                missed = [d for d in self.dispatched if d[0] > (frame["d"].get("seq") or 0)]
                for sequence, event, data in missed:
                    await self._send(socket, sequence, event, data)
                await self.dispatch("RESUMED", {})

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": user(BOT_ID, "Rapport", bot=True),
            "guilds": [{"id": g["id"], "unavailable": True} for g in self.guilds],
            "session_id": SESSION,
            "resume_gateway_url": self.url,
            "application": {"id": APP_ID, "flags": 0},
            "private_channels": [],
        }

    async def _send(
        self, socket: web.WebSocketResponse, sequence: int, event: str, data: dict[str, Any]
    ) -> None:
        await socket.send_str(json.dumps({"op": 0, "t": event, "s": sequence, "d": data}))


__all__ = ["GUILD_ID", "FakeGateway"]
