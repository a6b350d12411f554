"""The SCIM 2.0 service at /scim/v2: identity providers (Okta, Microsoft Entra ID) provision
the people of one workspace.

It is on only when SCIM_TOKEN is set, and every request must carry that token as a bearer
token. SCIM_WORKSPACE names the workspace it provisions (the platform's id of the Slack team,
Teams tenant or Discord guild); it may stay empty while the database holds one workspace.
Every change is written to the audit log with the person it concerns.
"""

import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.app import Bot
from bot.kit.audit import record
from bot.kit.i18n import speaking
from bot.kit.language import workspace_language
from bot.models import Workspace
from handlers.people.i18n import _
from handlers.people.scim import patch, schemas, users
from handlers.people.scim.errors import ScimError, error_response, scim_response
from handlers.people.scim.filters import get, parse
from handlers.people.settings import people_settings

PREFIX = "/scim/v2"
BOT = web.AppKey("scim_bot", Bot)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def mount(app: web.Application, bot: Bot) -> None:
    """Serve SCIM under /scim/v2 when SCIM_TOKEN is set; without it, those paths are 404."""
    if people_settings(bot.settings).scim_token:
        app.add_subapp(PREFIX, scim_app(bot))


def scim_app(bot: Bot) -> web.Application:
    app = web.Application(middlewares=[_guard])
    app[BOT] = bot
    app.router.add_get("/Users", list_users)
    app.router.add_post("/Users", create_user)
    app.router.add_post("/Users/.search", search_users)
    app.router.add_get("/Users/{id}", get_user)
    app.router.add_put("/Users/{id}", replace_user)
    app.router.add_patch("/Users/{id}", patch_user)
    app.router.add_delete("/Users/{id}", delete_user)
    app.router.add_post("/.search", _not_implemented)
    app.router.add_get("/ServiceProviderConfig", _config)
    app.router.add_get("/ResourceTypes", _resource_types)
    app.router.add_get("/ResourceTypes/{id}", _resource_type)
    app.router.add_get("/Schemas", _schemas)
    app.router.add_get("/Schemas/{id}", _schema)
    return app


@web.middleware
async def _guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    bot = request.app[BOT]
    token = people_settings(bot.settings).scim_token
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        with speaking(bot.settings.workspace_language):
            refused = ScimError(401, _("a bearer token is required"))
        return error_response(refused, {"WWW-Authenticate": "Bearer"})
    with speaking(await _language(bot)):
        try:
            return await handler(request)
        except ScimError as refused:
            return error_response(refused)
        except web.HTTPMethodNotAllowed:
            message = _("{method} is not allowed here").format(method=request.method)
            return error_response(ScimError(405, message))
        except web.HTTPNotFound:
            message = _("nothing at {path}").format(path=request.path)
            return error_response(ScimError(404, message))


async def _language(bot: Bot) -> str:
    """The provisioned workspace's language, that of the errors an identity provider shows
    its admins (WORKSPACE_LANGUAGE while there is no single workspace to provision)."""
    async with bot.db.session() as session:
        try:
            return workspace_language(await _workspace(session, bot), bot.settings)
        except ScimError:
            return bot.settings.workspace_language


def _base(request: web.Request) -> str:
    public = request.app[BOT].settings.public_base_url.rstrip("/")
    return (public or str(request.url.origin())) + PREFIX


async def _body(request: web.Request) -> Any:
    try:
        return json.loads(await request.text())
    except ValueError:
        raise ScimError(400, _("the body is not JSON"), "invalidSyntax") from None


async def _workspace(session: AsyncSession, bot: Bot) -> Workspace:
    named = people_settings(bot.settings).scim_workspace
    query = select(Workspace)
    if named:
        query = query.where(Workspace.external_id == named)
    found = list((await session.exec(query.limit(2))).all())
    if len(found) != 1:
        detail = (
            _("SCIM_WORKSPACE {named} names no workspace here").format(named=repr(named))
            if named
            else _("several workspaces are installed: set SCIM_WORKSPACE to the one to provision")
        )
        raise ScimError(503 if named else 500, detail)
    return found[0]


async def _audit(
    session: AsyncSession, workspace: Workspace, action: str, person_id: int | None, bot: Bot
) -> None:
    assert workspace.id is not None
    await record(session, workspace.id, None, action, bot.clock.now(), subject_id=person_id)


def _shown(request: web.Request, resource: dict[str, Any], source: Any = None) -> dict[str, Any]:
    """The resource with only the attributes asked for (`attributes`, `excludedAttributes`)."""
    asked = source if source is not None else request.query
    wanted = _names(get(asked, "attributes"))
    dropped = _names(get(asked, "excludedAttributes"))
    always = {"id", "schemas", "meta"}
    return {
        key: value
        for key, value in resource.items()
        if key in always or ((not wanted or key.lower() in wanted) and key.lower() not in dropped)
    }


def _names(given: Any) -> set[str]:
    if isinstance(given, str):
        given = given.split(",")
    names = set()
    for name in given or []:
        name = str(name).strip().lower()
        if name.startswith(schemas.USER.lower() + ":"):
            name = name[len(schemas.USER) + 1 :]
        if name.startswith(schemas.ENTERPRISE.lower()):
            name = schemas.ENTERPRISE.lower()
        names.add(name.split(".")[0])
    return names


async def list_users(request: web.Request) -> web.Response:
    return await _listed(request, request.query)


async def search_users(request: web.Request) -> web.Response:
    body = await _body(request)
    if not isinstance(body, dict):
        raise ScimError(400, _("the body must be a SearchRequest"), "invalidSyntax")
    return await _listed(request, body)


async def _listed(request: web.Request, asked: Any) -> web.Response:
    bot = request.app[BOT]
    try:
        start = max(1, int(get(asked, "startIndex") or 1))
        count = min(schemas.MAX_RESULTS, max(0, int(get(asked, "count") or schemas.MAX_RESULTS)))
    except ValueError:
        message = _("startIndex and count are whole numbers")
        raise ScimError(400, message, "invalidValue") from None
    test = parse(str(get(asked, "filter"))) if get(asked, "filter") else None
    async with bot.db.session() as session:
        workspace = await _workspace(session, bot)
        base = _base(request)
        found = [users.render(p, a, base) for p, a in await users.accounts(session, workspace)]
    matched = [resource for resource in found if test is None or test(resource)]
    page = matched[start - 1 : start - 1 + count]
    return scim_response(
        {
            "schemas": [schemas.LIST],
            "totalResults": len(matched),
            "startIndex": start,
            "itemsPerPage": len(page),
            "Resources": [_shown(request, resource, asked) for resource in page],
        }
    )


async def get_user(request: web.Request) -> web.Response:
    bot = request.app[BOT]
    async with bot.db.session() as session:
        workspace = await _workspace(session, bot)
        person, account = await users.account_of(session, workspace, request.match_info["id"])
        resource = users.render(person, account, _base(request))
    return scim_response(_shown(request, resource))


async def create_user(request: web.Request) -> web.Response:
    bot = request.app[BOT]
    given = users.read_user(await _body(request))
    async with bot.db.session() as session:
        workspace = await _workspace(session, bot)
        person, account = await users.create(session, workspace, given, bot.clock.now())
        await _audit(session, workspace, "scim.create", person.id, bot)
        resource = users.render(person, account, _base(request))
    return scim_response(resource, 201, {"Location": resource["meta"]["location"]})


async def replace_user(request: web.Request) -> web.Response:
    bot = request.app[BOT]
    given = users.read_user(await _body(request))
    async with bot.db.session() as session:
        workspace = await _workspace(session, bot)
        person, account = await users.account_of(session, workspace, request.match_info["id"])
        await users.save(session, workspace, person, account, given, bot.clock.now())
        await _audit(session, workspace, "scim.replace", person.id, bot)
        resource = users.render(person, account, _base(request))
    return scim_response(resource)


async def patch_user(request: web.Request) -> web.Response:
    bot = request.app[BOT]
    body = await _body(request)
    async with bot.db.session() as session:
        workspace = await _workspace(session, bot)
        person, account = await users.account_of(session, workspace, request.match_info["id"])
        base = _base(request)
        changed = patch.apply(users.render(person, account, base), body)
        given = users.read_user(changed, complete=True)
        await users.save(session, workspace, person, account, given, bot.clock.now())
        await _audit(session, workspace, "scim.patch", person.id, bot)
        resource = users.render(person, account, base)
    return scim_response(resource)


async def delete_user(request: web.Request) -> web.Response:
    """The person is deactivated (nothing reaches them any more) and their SCIM User goes;
    erasing what Rapport holds about them is `/rapport forget`."""
    bot = request.app[BOT]
    async with bot.db.session() as session:
        workspace = await _workspace(session, bot)
        person, account = await users.account_of(session, workspace, request.match_info["id"])
        await users.deactivate(session, person, account, bot.clock.now())
        await _audit(session, workspace, "scim.delete", person.id, bot)
    return web.Response(status=204)


async def _not_implemented(request: web.Request) -> web.Response:
    return error_response(ScimError(501, _("search Users at /Users/.search")))


async def _config(request: web.Request) -> web.Response:
    return scim_response(schemas.service_provider_config(_base(request)))


def _list(resources: list[dict[str, Any]]) -> web.Response:
    return scim_response(
        {
            "schemas": [schemas.LIST],
            "totalResults": len(resources),
            "startIndex": 1,
            "itemsPerPage": len(resources),
            "Resources": resources,
        }
    )


async def _resource_types(request: web.Request) -> web.Response:
    return _list(schemas.resource_types(_base(request)))


async def _resource_type(request: web.Request) -> web.Response:
    return _one(schemas.resource_types(_base(request)), request.match_info["id"])


async def _schemas(request: web.Request) -> web.Response:
    return _list(schemas.schemas(_base(request)))


async def _schema(request: web.Request) -> web.Response:
    return _one(schemas.schemas(_base(request)), request.match_info["id"])


def _one(resources: list[dict[str, Any]], wanted: str) -> web.Response:
    for resource in resources:
        if resource["id"] == wanted:
            return scim_response(resource)
    raise ScimError(404, _("no {wanted} here").format(wanted=wanted))
