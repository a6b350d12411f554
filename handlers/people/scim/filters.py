"""SCIM filters (RFC 7644 §3.4.2.2) on rendered User resources: `userName eq "a@b.c"`,
`emails.value eq …`, `externalId eq …`, with `and`, `or`, `not (…)`, parentheses and the
operators eq, ne, co, sw, ew, gt, ge, lt, le and pr.

A workspace's users are few enough to filter after rendering, which keeps one definition of
every attribute: the one the resource shows.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any

from handlers.people.i18n import _
from handlers.people.scim.errors import ScimError
from handlers.people.scim.schemas import ENTERPRISE, USER

Predicate = Callable[[dict[str, Any]], bool]
_TOKEN = re.compile(
    r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<word>[A-Za-z0-9_$:.\-]+))"
)
_OPERATORS = ("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le")
# Attributes compared exactly (RFC 7643: caseExact); every other string ignores case.
_CASE_EXACT = {"id", "externalid"}


def _tokens(text: str) -> list[str]:
    found: list[str] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None:
            raise ScimError(
                400,
                _("cannot read the filter at {text}").format(text=repr(text[position:][:20])),
                "invalidFilter",
            )
        found.append(match.group().strip())
        position = match.end()
    return found


def parse(text: str) -> Predicate:
    tokens = _tokens(text)
    predicate, rest = _or(tokens)
    if rest:
        raise ScimError(
            400, _("unexpected {text} in the filter").format(text=repr(rest[0])), "invalidFilter"
        )
    return predicate


def _or(tokens: list[str]) -> tuple[Predicate, list[str]]:
    left, rest = _and(tokens)
    while rest and rest[0].lower() == "or":
        right, rest = _and(rest[1:])
        left = (lambda a, b: lambda r: a(r) or b(r))(left, right)
    return left, rest


def _and(tokens: list[str]) -> tuple[Predicate, list[str]]:
    left, rest = _factor(tokens)
    while rest and rest[0].lower() == "and":
        right, rest = _factor(rest[1:])
        left = (lambda a, b: lambda r: a(r) and b(r))(left, right)
    return left, rest


def _factor(tokens: list[str]) -> tuple[Predicate, list[str]]:
    if not tokens:
        raise ScimError(400, _("the filter ends too early"), "invalidFilter")
    if tokens[0].lower() == "not":
        inner, rest = _factor(tokens[1:])
        return (lambda r: not inner(r)), rest
    if tokens[0] == "(":
        inner, rest = _or(tokens[1:])
        if not rest or rest[0] != ")":
            raise ScimError(400, _("a parenthesis is not closed"), "invalidFilter")
        return inner, rest[1:]
    if len(tokens) >= 2 and tokens[1].lower() == "pr":
        path = tokens[0]
        return (lambda r: bool(values(r, path))), tokens[2:]
    if len(tokens) < 3 or tokens[1].lower() not in _OPERATORS:
        raise ScimError(
            400,
            _("expected `attribute operator value` at {text}").format(text=repr(tokens[0])),
            "invalidFilter",
        )
    return _comparison(tokens[0], tokens[1].lower(), _literal(tokens[2])), tokens[3:]


def _literal(token: str) -> Any:
    if token.startswith('"'):
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    lowered = token.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    try:
        return float(token)
    except ValueError:
        message = _("{text} is not a value").format(text=repr(token))
        raise ScimError(400, message, "invalidFilter") from None


def _comparison(path: str, operator: str, wanted: Any) -> Predicate:
    exact = path.lower() in _CASE_EXACT

    def test(found: Any) -> bool:
        if isinstance(found, str) and isinstance(wanted, str) and not exact:
            return _compare(found.lower(), operator, wanted.lower())
        return _compare(found, operator, wanted)

    return lambda resource: any(test(found) for found in values(resource, path) or [None])


def _compare(found: Any, operator: str, wanted: Any) -> bool:
    if operator == "eq":
        return bool(found == wanted)
    if operator == "ne":
        return bool(found != wanted)
    if found is None or wanted is None:
        return False
    if operator in ("co", "sw", "ew"):
        if not isinstance(found, str) or not isinstance(wanted, str):
            return False
        return {
            "co": wanted in found,
            "sw": found.startswith(wanted),
            "ew": found.endswith(wanted),
        }[operator]
    try:
        return bool(
            {
                "gt": found > wanted,
                "ge": found >= wanted,
                "lt": found < wanted,
                "le": found <= wanted,
            }[operator]
        )
    except TypeError:
        return False


def values(resource: dict[str, Any], path: str) -> list[Any]:
    """Every value at `path` (`emails.value`, `meta.lastModified`, an extension's
    `urn:…:department`); names are matched whatever their case."""
    container: Any = resource
    if path.lower().startswith(ENTERPRISE.lower() + ":"):
        container = resource.get(ENTERPRISE, {})
        path = path[len(ENTERPRISE) + 1 :]
    elif path.lower().startswith(USER.lower() + ":"):
        path = path[len(USER) + 1 :]
    found: list[Any] = [container]
    for name in path.split("."):
        found = [
            item
            for parent in found
            for value in [get(parent, name)]
            for item in (value if isinstance(value, list) else [value])
            if item is not None
        ]
    return found


def get(parent: Any, name: str) -> Any:
    """`parent[name]`, the name matched whatever its case; None if absent."""
    if not isinstance(parent, Mapping):
        return None
    lowered = name.lower()
    return next((value for key, value in parent.items() if key.lower() == lowered), None)
