"""A local fake of the Slack Web API: records every call and answers like Slack does.

It also checks Block Kit as Slack does (fake_block_kit.py): a message's bad blocks are answered
`invalid_blocks`, a bad view `invalid_arguments`, each with Slack's messages saying where, so a
test that passes here would not be refused there for oversized or misshapen content.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.adapters.slack.fake_block_kit import message_problems, view_problems

BOT_USER = "UBOT"
TEAM = "T0ACME"
MEMBERS_PAGE = 2


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    status: int = 200
    error: str | None = None
    token: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None


@dataclass
class FakeSlack:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    history: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    member_of: set[str] = field(default_factory=set)
    archived: set[str] = field(default_factory=set)
    # channel id -> its members' user ids, listed MEMBERS_PAGE at a time.
    members: dict[str, list[str]] = field(default_factory=dict)
    rate_limit_every: int | None = None
    retry_after: int = 1
    # method -> how many calls to it in a row answer 429 (per-method limits).
    limited_methods: dict[str, int] = field(default_factory=dict)
    # (method, cursor) -> how many calls for that page in a row answer 429, so that a read can
    # be limited halfway through its pages.
    limited_pages: dict[tuple[str, str], int] = field(default_factory=dict)
    # bot token -> its workspace; OAuth installs add theirs.
    tokens: dict[str, str] = field(default_factory=lambda: {"xoxb-test-token": TEAM})
    # Bot tokens revoked (the app uninstalled): every call with one answers token_revoked.
    revoked: set[str] = field(default_factory=set)
    # OAuth code -> (team id, team name, installing user), for oauth.v2.access.
    grants: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    # Enterprise Grid: OAuth code -> (org id, org name, installing admin) for org-wide installs,
    # whose token serves every team of the org; and team -> its org, for team-level installs.
    org_grants: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    grid: dict[str, str] = field(default_factory=dict)
    # Workspaces whose installs get expiring tokens and a refresh token (token rotation).
    rotating: set[str] = field(default_factory=set)
    token_seconds: int = 12 * 3600
    # refresh token -> its workspace, its name and the generation of tokens it gets; used once.
    refresh_tokens: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    # How long a refresh takes, so that refreshes from two replicas can overlap.
    refresh_delay: float = 0.0
    socket_url: str = ""
    calls: list[Call] = field(default_factory=list)
    # file id -> what files.getUploadURLExternal announced, the bytes uploaded, where shared.
    uploads: dict[str, dict[str, Any]] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)
    # Timestamps of messages only their viewer sees: chat.update cannot find them.
    ephemeral: set[str] = field(default_factory=set)
    server: TestServer | None = None
    _count: int = 0
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def user(self, user_id: str, name: str, tz: str = "UTC", **extra: Any) -> None:
        self.users[user_id] = {
            "id": user_id,
            "name": name,
            "real_name": name.title(),
            "tz": tz,
            "is_bot": False,
            "deleted": False,
            "profile": {"display_name": name, "email": f"{name}@acme.test"},
            **extra,
        }

    @property
    def api_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/api/"))

    def response_url(self, name: str) -> str:
        assert self.server is not None
        return str(self.server.make_url(f"/response/{name}"))

    def ok(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method and c.ok]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls if c.ok]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def _next_ts(self) -> str:
        return f"1800000000.{next(self._ts):06d}"

    async def _respond(self, request: web.Request) -> web.Response:
        self.responses.append({"url": request.match_info["name"], **await request.json()})
        return web.Response(text="ok")

    def shared(self, channel: str) -> list[dict[str, Any]]:
        """Files completed into `channel`, in order."""
        return [u for u in self.uploads.values() if u.get("channel") == channel]

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal hands out: takes the raw bytes."""
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="no such upload")
        upload["data"] = await request.read()
        return web.Response(text=f"OK - {len(upload['data'])}")

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(await request.post())
        for key in ("blocks", "view", "files"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        self._count += 1
        if self.rate_limit_every and self._count % self.rate_limit_every == 0:
            self.calls.append(Call(method, args, status=429))
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(self.retry_after)},
            )
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        page = (method, str(args.get("cursor") or ""))
        if self.limited_pages.get(page):
            self.limited_pages[page] -= 1
            self.calls.append(Call(method, args, status=429, token=token))
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(self.retry_after)},
            )
        if self.limited_methods.get(method):
            self.limited_methods[method] -= 1
            self.calls.append(Call(method, args, status=429, token=token))
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(self.retry_after)},
            )
        if method == "oauth.v2.access" and args.get("grant_type") == "refresh_token":
            await asyncio.sleep(self.refresh_delay)
            secret = _basic_secret(request.headers.get("Authorization", ""))
            return self._answer(method, args, self._refresh(args, secret), token)
        if method == "oauth.v2.access":
            return self._answer(method, args, self._oauth_access(args), token)
        if method == "apps.connections.open":
            body = {"ok": True, "url": self.socket_url} if token.startswith("xapp-") else None
            return self._answer(method, args, body or _fail("invalid_auth"), token)
        if token in self.revoked:
            return self._answer(method, args, _fail("token_revoked"), token)
        if token not in self.tokens:
            return self._answer(method, args, _fail("invalid_auth"), token)
        return self._answer(method, args, self._method(method, args, self.tokens[token]), token)

    def _answer(
        self, method: str, args: dict[str, Any], body: dict[str, Any], token: str
    ) -> web.Response:
        error = None if body["ok"] else body["error"]
        self.calls.append(Call(method, args, error=error, token=token))
        return web.json_response(body)

    def _oauth_access(self, args: dict[str, Any]) -> dict[str, Any]:
        """oauth.v2.access: a code from an install becomes that workspace's bot token, once."""
        org_grant = self.org_grants.pop(args.get("code", ""), None)
        if org_grant is not None:
            return self._org_grant(*org_grant)
        grant = self.grants.pop(args.get("code", ""), None)
        if grant is None:
            return _fail("invalid_code")
        team, name, user = grant
        if team in self.rotating:
            return {**self._rotated(team, name, 1), "authed_user": {"id": user}}
        token = f"xoxb-{team.lower()}"
        self.tokens[token] = team
        return {**self._bot_grant(team, name, token), "authed_user": {"id": user}}

    def _org_grant(self, org: str, name: str, user: str) -> dict[str, Any]:
        """An org-wide install: the token belongs to the org, and no team is named."""
        token = f"xoxb-{org.lower()}"
        self.tokens[token] = org
        return {
            **self._bot_grant(org, name, token),
            "team": None,
            "enterprise": {"id": org, "name": name},
            "is_enterprise_install": True,
            "authed_user": {"id": user},
        }

    def _bot_grant(self, team: str, name: str, token: str) -> dict[str, Any]:
        org = self.grid.get(team)
        return {
            "ok": True,
            "app_id": "A0RAPPORT",
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": BOT_USER,
            "team": {"id": team, "name": name},
            "enterprise": None if org is None else {"id": org, "name": org.title()},
            "is_enterprise_install": False,
        }

    def _rotated(self, team: str, name: str, generation: int) -> dict[str, Any]:
        """An expiring token and the refresh token that gets the next generation."""
        token = f"xoxe.xoxb-{team.lower()}-{generation}"
        refresh = f"xoxe-1-{team.lower()}-{generation}"
        self.tokens[token] = team
        self.refresh_tokens[refresh] = (team, name, generation + 1)
        granted = self._bot_grant(team, name, token)
        return {**granted, "refresh_token": refresh, "expires_in": self.token_seconds}

    def _refresh(self, args: dict[str, Any], secret: str) -> dict[str, Any]:
        """oauth.v2.access with grant_type=refresh_token: Slack revokes a refresh token once
        used, so a second use (or a revoked one) is refused."""
        if args.get("client_secret", secret) != "client-secret-for-tests":
            return _fail("bad_client_secret")
        found = self.refresh_tokens.pop(args.get("refresh_token", ""), None)
        if found is None:
            return _fail("invalid_refresh_token")
        return self._rotated(*found)

    def revoke_refresh_tokens(self, team: str) -> None:
        for refresh, (owner, _, _) in list(self.refresh_tokens.items()):
            if owner == team:
                del self.refresh_tokens[refresh]

    def refreshes(self) -> list[Call]:
        """Every refresh asked for, granted or refused."""
        return [
            c
            for c in self.calls
            if c.method == "oauth.v2.access" and c.args.get("grant_type") == "refresh_token"
        ]

    def _method(self, method: str, args: dict[str, Any], team: str = TEAM) -> dict[str, Any]:
        match method:
            case "auth.test":
                found = {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": team}
                if team.startswith("E"):
                    found |= {"enterprise_id": team, "is_enterprise_install": True}
                return found
            case "users.list":
                return self._users(args)
            case "users.info":
                user = self.users.get(args["user"])
                if user and str(args.get("include_locale")).lower() not in {"true", "1"}:
                    # Slack leaves the locale out unless it is asked for.
                    user = {k: v for k, v in user.items() if k != "locale"}
                return {"ok": True, "user": user} if user else _fail("user_not_found")
            case "conversations.list" if team.startswith("E") and not args.get("team_id"):
                return _fail("missing_argument")  # an org's token must name the workspace
            case "conversations.list":
                listed = [{"id": i, "name": n} for n, i in self.channels.items()]
                return {"ok": True, "channels": listed, "response_metadata": {"next_cursor": ""}}
            case "conversations.open":
                users = str(args["users"]).split(",")
                if not all(user in self.users for user in users):
                    return _fail("user_not_found")
                if len(users) == 1:
                    return {"ok": True, "channel": {"id": "D" + users[0]}}
                group = "G" + "".join(sorted(users))  # a multi-person IM the bot is in
                self.member_of.add(group)
                return {"ok": True, "channel": {"id": group}}
            case "conversations.members":
                return self._members(args)
            case "conversations.join":
                self.member_of.add(args["channel"])
                return {"ok": True, "channel": {"id": args["channel"]}}
            case "conversations.history" | "conversations.replies":
                found = self.history.get((args["channel"], args.get("latest", args.get("ts"))))
                return {"ok": True, "messages": [found] if found else []}
            case "chat.update" if args.get("ts") in self.ephemeral:
                return _fail("message_not_found")
            case "chat.postMessage" | "chat.update":
                return self._post(args, method == "chat.update")
            case "chat.postEphemeral":
                if args["channel"] not in self.member_of:
                    return _fail("not_in_channel")
                problems = message_problems(args.get("blocks") or [])
                return _checked("invalid_blocks", problems, {"ok": True, "message_ts": "1"})
            case "views.publish":
                problems = view_problems(args.get("view"))
                return _checked("invalid_arguments", problems, {"ok": True, "view": {"id": "VH"}})
            case "files.getUploadURLExternal":
                return self._upload_url(args)
            case "files.completeUploadExternal":
                return self._complete_upload(args)
            case "views.open":
                problems = view_problems(args.get("view"))
                return _checked("invalid_arguments", problems, {"ok": True, "view": {"id": "V1"}})
        return _fail("unknown_method")

    def _users(self, args: dict[str, Any]) -> dict[str, Any]:
        listed = list(self.users.values())
        start = int(args.get("cursor") or 0)
        page = listed[start : start + MEMBERS_PAGE]
        more = start + MEMBERS_PAGE < len(listed)
        cursor = str(start + MEMBERS_PAGE) if more else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": cursor}}

    def _members(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args["channel"]
        if channel not in self.members:
            return _fail("channel_not_found")
        start = int(args.get("cursor") or 0)
        page = self.members[channel][start : start + MEMBERS_PAGE]
        more = start + MEMBERS_PAGE < len(self.members[channel])
        cursor = str(start + MEMBERS_PAGE) if more else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": cursor}}

    def _upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return _fail("invalid_arguments")
        file_id = f"F{len(self.uploads) + 1:08d}"
        self.uploads[file_id] = {"filename": args["filename"], "length": int(args["length"])}
        assert self.server is not None
        url = str(self.server.make_url(f"/upload/{file_id}"))
        return {"ok": True, "file_id": file_id, "upload_url": url}

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        """Each file must have been uploaded in full; then it is shared in channel_id."""
        channel = args.get("channel_id")
        if channel and not channel.startswith("D") and channel not in self.member_of:
            return _fail("not_in_channel")
        done = []
        for file in args["files"]:
            upload = self.uploads.get(file["id"])
            if upload is None or len(upload.get("data") or b"") != upload["length"]:
                return _fail("file_not_found")
            upload.update(channel=channel, title=file.get("title"), thread_ts=args.get("thread_ts"))
            done.append({"id": file["id"], "title": file.get("title"), "name": upload["filename"]})
        return {"ok": True, "files": done}

    def _post(self, args: dict[str, Any], update: bool) -> dict[str, Any]:
        channel = args["channel"]
        if channel in self.archived:
            return _fail("is_archived")
        if not channel.startswith("D") and channel not in self.member_of:
            return _fail("not_in_channel")
        if not args.get("text") and not args.get("blocks"):
            return _fail("no_text")
        ts = args["ts"] if update else self._next_ts()
        problems = message_problems(args.get("blocks") or [])
        return _checked("invalid_blocks", problems, {"ok": True, "channel": channel, "ts": ts})


def _basic_secret(authorization: str) -> str:
    """The client secret of HTTP Basic credentials, as slack_sdk sends the app's."""
    if not authorization.startswith("Basic "):
        return ""
    decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
    return decoded.partition(":")[2]


def _fail(error: str) -> dict[str, Any]:
    return {"ok": False, "error": error}


def _checked(error: str, problems: list[str], answer: dict[str, Any]) -> dict[str, Any]:
    """`answer`, or Slack's refusal of a call with bad blocks or a bad view, naming each
    problem found."""
    if not problems:
        return answer
    return {**_fail(error), "response_metadata": {"messages": problems}}
