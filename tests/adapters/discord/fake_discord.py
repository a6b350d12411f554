"""A local fake of Discord's REST API: records every call and answers like Discord does.

It serves the endpoints the adapter uses (login, interaction callbacks, webhook follow-ups,
channel messages, DM channels, guild channels and members, command sync), remembers message
nonces like Discord (with enforce_nonce, a repeated nonce returns the first message) and can
be told to fail the next matching request with a given status.
"""

import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

API = "/api/v10"
APP_ID = "900000000000000001"
BOT_ID = "900000000000000002"
GUILD_ID = "800000000000000001"
GENERAL_ID = "810000000000000001"
KUDOS_ID = "810000000000000002"
IDEAS_ID = "810000000000000004"


def user(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name.lower(),
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


def member(user_payload: dict[str, Any] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "roles": [],
        "joined_at": "2026-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": "2147483647",
    }
    if user_payload is not None:
        found["user"] = user_payload
    return found


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """Discord's exact content type: discord.py parses JSON only when it is exactly this."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


@dataclass
class Call:
    method: str
    path: str
    json: Any
    query: dict[str, str]
    # Files of a multipart request: {"filename", "content_type", "data"}.
    files: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Failure:
    method: str
    path: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    # Matching requests let through before this one fails.
    skip: int = 0


@dataclass
class FakeDiscord:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    nonces: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Member payloads the guild member list returns (needs the members intent), and user id
    # -> role ids for them.
    roles: dict[str, list[str]] = field(default_factory=dict)
    threads: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Guild id -> the user ids who are its members; a guild not listed has every known user.
    memberships: dict[str, set[str]] = field(default_factory=dict)
    base_url: str = ""
    _ids: "itertools.count[int]" = field(default_factory=lambda: itertools.count(1))

    def new_id(self) -> str:
        return str(700000000000000000 + next(self._ids))

    def fail_next(
        self,
        method: str,
        path: str,
        status: int,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        skip: int = 0,
    ) -> None:
        self.failures.append(
            Failure(
                method,
                re.compile(path),
                status,
                body or {"message": "no", "code": 0},
                headers or {},
                skip,
            )
        )

    def find(self, method: str, path: str) -> list[Call]:
        pattern = re.compile(path)
        return [c for c in self.calls if c.method == method and pattern.fullmatch(c.path)]

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._record])
        routes = [
            ("GET", "/users/@me", self._me),
            ("GET", "/oauth2/applications/@me", self._application),
            ("POST", "/interactions/{iid}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app}/{token}", self._webhook),
            ("POST", "/channels/{cid}/messages", self._post_message),
            ("PATCH", "/channels/{cid}/messages/{mid}", self._edit_message),
            ("GET", "/channels/{cid}/messages/{mid}", self._get_message),
            ("POST", "/users/@me/channels", self._dm_channel),
            ("GET", "/guilds/{gid}/channels", self._guild_channels),
            ("GET", "/guilds/{gid}/members/{uid}", self._member),
            ("GET", "/guilds/{gid}/members", self._members),
            ("POST", "/channels/{cid}/messages/{mid}/threads", self._start_thread),
            ("PUT", "/applications/{app}/guilds/{gid}/commands", self._sync),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, API + path, handler)
        return app

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        path = request.path.removeprefix(API)
        payload, files = await _payload(request)
        request["payload"], request["files"] = payload, files
        self.calls.append(Call(request.method, path, payload, dict(request.query), files))
        for failure in self.failures:
            if failure.method == request.method and failure.path.fullmatch(path):
                if failure.skip:
                    failure.skip -= 1
                    continue
                self.failures.remove(failure)
                return _json(failure.body, status=failure.status, headers=failure.headers)
        response: web.StreamResponse = await handler(request)
        return response

    async def _me(self, request: web.Request) -> web.Response:
        return _json(user(BOT_ID, "Rapport", bot=True))

    async def _application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": APP_ID,
                "name": "Rapport",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": user("900000000000000003", "Owner"),
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    async def _callback(self, request: web.Request) -> web.Response:
        body = request["payload"]
        return _json(
            {
                "interaction": {"id": request.match_info["iid"], "type": 2},
                "resource": {"type": body["type"]},
            }
        )

    def _message(
        self,
        channel_id: str,
        body: dict[str, Any],
        author: dict[str, Any],
        files: list[dict[str, Any]] | None = None,
    ) -> Any:
        message = {
            "id": self.new_id(),
            "channel_id": channel_id,
            "author": author,
            "content": body.get("content") or "",
            "timestamp": "2027-01-04T09:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [self._attachment(channel_id, f) for f in files or []],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
        }
        self.messages[message["id"]] = message
        return message

    def _attachment(self, channel_id: str, file: dict[str, Any]) -> dict[str, Any]:
        url = f"https://cdn.discordapp.test/attachments/{channel_id}/{file['filename']}"
        return {
            "id": self.new_id(),
            "filename": file["filename"],
            "size": len(file["data"]),
            "url": url,
            "proxy_url": url,
            "content_type": file["content_type"],
        }

    async def _webhook(self, request: web.Request) -> web.Response:
        body = request["payload"]
        author = user(APP_ID, "Rapport", bot=True)
        message = self._message(GENERAL_ID, body, author, request["files"])
        message["webhook_id"] = APP_ID
        return _json(message)

    async def _post_message(self, request: web.Request) -> web.Response:
        body = request["payload"]
        nonce = body.get("nonce")
        if nonce and body.get("enforce_nonce") and nonce in self.nonces:
            return _json(self.nonces[nonce])
        author = user(BOT_ID, "Rapport", bot=True)
        message = self._message(request.match_info["cid"], body, author, request["files"])
        if nonce:
            self.nonces[nonce] = message
        return _json(message)

    async def _edit_message(self, request: web.Request) -> web.Response:
        message = self.messages.get(request.match_info["mid"])
        if message is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        body = request["payload"]
        message.update({k: v for k, v in body.items() if k in ("content", "embeds", "components")})
        return _json(message)

    async def _get_message(self, request: web.Request) -> web.Response:
        message = self.messages.get(request.match_info["mid"])
        if message is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        return _json(message)

    async def _dm_channel(self, request: web.Request) -> web.Response:
        body = request["payload"]
        recipient = self.users.get(str(body["recipient_id"]))
        if recipient is None:
            return _json({"message": "Invalid Recipient", "code": 50033}, status=400)
        return _json({"id": "82" + recipient["id"][2:], "type": 1, "recipients": [recipient]})

    async def _guild_channels(self, request: web.Request) -> web.Response:
        gid = request.match_info["gid"]
        return _json(
            [
                {"id": GENERAL_ID, "type": 0, "name": "general", "guild_id": gid, "position": 0},
                {"id": KUDOS_ID, "type": 0, "name": "kudos", "guild_id": gid, "position": 1},
                {"id": IDEAS_ID, "type": 0, "name": "ideas", "guild_id": gid, "position": 3},
                {
                    "id": "810000000000000003",
                    "type": 2,
                    "name": "voice",
                    "guild_id": gid,
                    "position": 2,
                },
            ]
        )

    async def _member(self, request: web.Request) -> web.Response:
        found = self.users.get(request.match_info["uid"])
        members = self.memberships.get(request.match_info["gid"])
        if found is None or (members is not None and found["id"] not in members):
            return _json({"message": "Unknown Member", "code": 10007}, status=404)
        return _json(member(found))

    async def _members(self, request: web.Request) -> web.Response:
        """List Guild Members: by user id, `limit` at a time after the id `after`."""
        after = int(request.query.get("after", "0"))
        limit = int(request.query.get("limit", "1"))
        found = sorted((u for u in self.users.values() if int(u["id"]) > after), key=_by_id)
        page = [{**member(u), "roles": self.roles.get(u["id"], [])} for u in found[:limit]]
        return _json(page)

    async def _start_thread(self, request: web.Request) -> web.Response:
        """Start Thread from Message: the thread has the message's id; only once."""
        message_id = request.match_info["mid"]
        if message_id in self.threads:
            body = {"message": "A thread has already been created for this message", "code": 160004}
            return _json(body, status=400)
        name = (await request.json())["name"]
        thread = {
            "id": message_id,
            "type": 11,
            "guild_id": GUILD_ID,
            "parent_id": request.match_info["cid"],
            "owner_id": BOT_ID,
            "name": name,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": "2027-01-04T09:00:00+00:00",
                "locked": False,
            },
            "flags": 0,
        }
        self.threads[message_id] = thread
        return _json(thread, status=201)

    async def _sync(self, request: web.Request) -> web.Response:
        commands = request["payload"]
        return _json(
            [
                {
                    **c,
                    "id": self.new_id(),
                    "application_id": APP_ID,
                    "version": "1",
                    "guild_id": request.match_info["gid"],
                    "default_member_permissions": None,
                }
                for c in commands
            ]
        )


async def _payload(request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
    """The JSON body; with files, discord.py sends multipart: payload_json and files[n]."""
    if request.content_type != "multipart/form-data":
        body = await request.text()
        return (json.loads(body) if body else None), []
    form = await request.post()
    files = [
        {"filename": part.filename, "content_type": part.content_type, "data": part.file.read()}
        for part in form.values()
        if isinstance(part, FileField)
    ]
    raw = form.get("payload_json")
    return (json.loads(str(raw)) if raw is not None else None), files


def _by_id(found: dict[str, Any]) -> int:
    return int(found["id"])
