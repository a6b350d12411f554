"""A small fake of the Slack Web API for several bot processes at once: it counts posts.

Every user `U…` exists; a DM with one is channel `D` + their id; the bot is in CHANNELS.
Nothing is deduplicated: a message posted twice is kept twice, so a duplicate send shows.
Posts keep their message metadata and conversations.history returns it, as Slack does with
include_all_metadata.
With `rate` set, chat.postMessage admits that many calls a second (a one-second token
bucket) and answers 429 with a whole-second Retry-After beyond, as Slack does.
"""

import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

TOKEN = "xoxb-test-token"
CHANNELS = ("general", "kudos", "ideas", "help")


@dataclass
class SlackApi:
    rate: float | None = None
    posted: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)
    limited: int = 0
    first_post: float | None = None
    last_post: float | None = None
    server: TestServer | None = None
    _tokens: float = 0.0
    _refilled: float = field(default_factory=time.monotonic)
    _ts: int = 0

    @property
    def api_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/api/"))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        self._tokens = self.rate or 0.0

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def per_channel(self, prefix: str = "D") -> Counter[str]:
        return Counter(
            {name: len(posts) for name, posts in self.posted.items() if name.startswith(prefix)}
        )

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(await request.post())
        if isinstance(args.get("metadata"), str):
            args["metadata"] = json.loads(args["metadata"])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls[method] += 1
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if method == "chat.postMessage" and (wait := self._limit()) is not None:
            self.limited += 1
            headers = {"Retry-After": str(wait)}
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers=headers
            )
        return web.json_response(self._answer(method, await self._args(request)))

    def _limit(self) -> int | None:
        """Seconds to wait if the bucket is empty, else None (and one token is taken)."""
        if self.rate is None:
            return None
        now = time.monotonic()
        self._tokens = min(self.rate, self._tokens + (now - self._refilled) * self.rate)
        self._refilled = now
        if self._tokens < 1:
            return max(1, math.ceil((1 - self._tokens) / self.rate))
        self._tokens -= 1
        return None

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        match method:
            case "auth.test":
                return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T0"}
            case "users.info":
                user = str(args["user"])
                profile = {"display_name": user.lower(), "email": f"{user.lower()}@acme.test"}
                return {
                    "ok": True,
                    "user": {"id": user, "name": user.lower(), "tz": "UTC", "profile": profile},
                }
            case "conversations.list":
                listed = [{"id": "C0" + name.upper(), "name": name} for name in CHANNELS]
                return {"ok": True, "channels": listed, "response_metadata": {"next_cursor": ""}}
            case "conversations.open":
                return {"ok": True, "channel": {"id": "D" + str(args["users"])}}
            case "conversations.history":
                found = self.posted.get(str(args["channel"]), [])
                return {"ok": True, "messages": list(reversed(found)), "has_more": False}
            case "chat.postMessage":
                return self._post(args)
            case "chat.update":
                return {"ok": True, "channel": args["channel"], "ts": args["ts"]}
            case "chat.postEphemeral":
                return {"ok": True, "message_ts": "1"}
        return {"ok": False, "error": "unknown_method"}

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        self._ts += 1
        ts = f"1800000000.{self._ts:06d}"
        channel = str(args["channel"])
        message = {"ts": ts, "text": args.get("text"), "metadata": args.get("metadata")}
        self.posted.setdefault(channel, []).append(message)
        now = time.monotonic()
        self.first_post = self.first_post or now
        self.last_post = now
        return {"ok": True, "channel": channel, "ts": ts}
