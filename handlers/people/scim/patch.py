"""SCIM PATCH (RFC 7644 §3.5.2) applied to a rendered User, which is then saved like a PUT.

Paths: `active`, `emails[type eq "work"].value`, `name.givenName`, the enterprise extension's
`urn:…:enterprise:2.0:User:manager` (with Entra ID's plain-string manager id), and no path at
all with an object of attributes (Okta's `{"active": false}`). Operation names ignore case
(Entra ID sends `Replace`).
"""

import copy
import re
from typing import Any

from handlers.people.i18n import _
from handlers.people.scim import filters
from handlers.people.scim.errors import ScimError
from handlers.people.scim.filters import get
from handlers.people.scim.schemas import ENTERPRISE, PATCH, USER

_PATH = re.compile(r"^(?P<name>[^\[.]+)(?:\[(?P<filter>[^\]]*)\])?(?:\.(?P<sub>.+))?$")


def apply(resource: dict[str, Any], body: Any) -> dict[str, Any]:
    """The resource after every operation of the PatchOp `body`."""
    if not isinstance(body, dict) or PATCH not in (body.get("schemas") or []):
        raise ScimError(
            400, _("a PATCH body names the schema {schema}").format(schema=PATCH), "invalidSyntax"
        )
    operations = get(body, "Operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, _("a PATCH body lists its Operations"), "invalidSyntax")
    changed = copy.deepcopy(resource)
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, _("each operation is an object"), "invalidSyntax")
        kind = str(get(operation, "op") or "").lower()
        if kind not in ("add", "replace", "remove"):
            raise ScimError(400, _("unknown operation {op}").format(op=repr(kind)), "invalidSyntax")
        path = get(operation, "path")
        value = get(operation, "value")
        if path:
            _at(changed, kind, str(path), value)
        elif kind == "remove":
            raise ScimError(400, _("remove needs a path"), "noTarget")
        elif isinstance(value, dict):
            for name, each in value.items():
                _at(changed, kind, name, each)
        else:
            message = _("an operation without a path takes an object")
            raise ScimError(400, message, "invalidValue")
    return changed


def _at(resource: dict[str, Any], kind: str, path: str, value: Any) -> None:
    container = resource
    lowered = path.lower()
    if lowered == ENTERPRISE.lower():
        _set(resource, ENTERPRISE, kind, value)
        return
    if lowered.startswith(ENTERPRISE.lower() + ":"):
        container = resource.setdefault(ENTERPRISE, {})
        path = path[len(ENTERPRISE) + 1 :]
    elif lowered.startswith(USER.lower() + ":"):
        path = path[len(USER) + 1 :]
    match = _PATH.match(path)
    if match is None:
        raise ScimError(
            400, _("cannot read the path {path}").format(path=repr(path)), "invalidPath"
        )
    name, condition, sub = match.group("name"), match.group("filter"), match.group("sub")
    key = _key(container, name)
    if condition is None and sub is None:
        _set(container, key, kind, value)
        return
    current = container.get(key)
    targets: list[dict[str, Any]]
    if condition is None:
        if current is None:
            current = container[key] = [{}] if key.lower() == "emails" else {}
        listed = current if isinstance(current, list) else [current]
        targets = [item for item in listed if isinstance(item, dict)]
    else:
        if not isinstance(current, list):
            current = container[key] = []
        test = filters.parse(condition)
        targets = [item for item in current if isinstance(item, dict) and test(item)]
        if not targets and key.lower() == "emails":
            # One address is kept, without a type: `emails[type eq "work"]` means it.
            targets = [item for item in current[:1] if isinstance(item, dict)]
        if not targets and kind != "remove":
            current.append({})
            targets = current[-1:]
    for target in targets:
        if sub is not None:
            _set(target, _key(target, sub), kind, value)
        elif kind == "remove":
            container[key] = [item for item in container[key] if item is not target]
        elif isinstance(value, dict):
            target.update(value)


def _key(container: dict[str, Any], name: str) -> str:
    return next((key for key in container if key.lower() == name.lower()), name)


def _set(container: dict[str, Any], key: str, kind: str, value: Any) -> None:
    if kind == "remove":
        container.pop(key, None)
        return
    current = container.get(key)
    if key.lower() == "emails":
        # One address is kept: an added one takes the place of the old.
        container[key] = value
    elif kind == "add" and isinstance(current, list) and isinstance(value, list):
        container[key] = current + value
    elif isinstance(current, dict) and isinstance(value, dict):
        container[key] = {**current, **value}
    else:
        container[key] = value
