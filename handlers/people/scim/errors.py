"""SCIM error responses (RFC 7644 §3.12), always as application/scim+json."""

import json
from typing import Any

from aiohttp import web

from handlers.people.scim.schemas import ERROR

CONTENT_TYPE = "application/scim+json"


class ScimError(Exception):
    """A request the service refuses; `scim_type` is RFC 7644's keyword, where one fits."""

    def __init__(self, status: int, detail: str, scim_type: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type


def scim_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        text=json.dumps(body),
        status=status,
        content_type=CONTENT_TYPE,
        headers=headers,
    )


def error_response(error: ScimError, headers: dict[str, str] | None = None) -> web.Response:
    body: dict[str, Any] = {"schemas": [ERROR], "status": str(error.status), "detail": error.detail}
    if error.scim_type:
        body["scimType"] = error.scim_type
    return scim_response(body, error.status, headers)
