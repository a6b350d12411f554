"""What is wrong with a survey's data, said in the reader's language.

Pydantic explains a failed check in English; the checks a survey runs into are said here in
the same words through the catalog, and a check of our own (a ValueError raised in
handlers.pulse.spec) is translated already where it is raised.
"""

from typing import Any

from pydantic_core import ErrorDetails

from bot.kit.i18n import format_number
from handlers.pulse.i18n import _, ngettext


def _counted(kind: str, context: dict[str, Any]) -> str | None:
    match kind:
        case "string_too_short":
            n = int(context["min_length"])
            return ngettext(
                "String should have at least {count} character",
                "String should have at least {count} characters",
                n,
            ).format(count=format_number(n))
        case "string_too_long":
            n = int(context["max_length"])
            return ngettext(
                "String should have at most {count} character",
                "String should have at most {count} characters",
                n,
            ).format(count=format_number(n))
        case "too_short":
            n = int(context["min_length"])
            return ngettext(
                "List should have at least {count} item after validation, not {actual}",
                "List should have at least {count} items after validation, not {actual}",
                n,
            ).format(count=format_number(n), actual=format_number(context["actual_length"]))
        case "too_long":
            n = int(context["max_length"])
            return ngettext(
                "List should have at most {count} item after validation, not {actual}",
                "List should have at most {count} items after validation, not {actual}",
                n,
            ).format(count=format_number(n), actual=format_number(context["actual_length"]))
    return None


def _bounded(kind: str, context: dict[str, Any]) -> str | None:
    match kind:
        case "greater_than_equal":
            return _("Input should be greater than or equal to {bound}").format(bound=context["ge"])
        case "less_than_equal":
            return _("Input should be less than or equal to {bound}").format(bound=context["le"])
        case "literal_error":
            return _("Input should be {expected}").format(expected=context["expected"])
    return None


def _plain(kind: str) -> str | None:
    match kind:
        case "missing":
            return _("Field required")
        case "extra_forbidden":
            return _("Extra inputs are not permitted")
        case "int_parsing" | "int_type":
            return _("Input should be a valid integer")
        case "string_type":
            return _("Input should be a valid string")
        case "list_type":
            return _("Input should be a valid list")
        case "bool_parsing" | "bool_type":
            return _("Input should be a valid boolean")
    return None


def problem(error: ErrorDetails) -> str:
    """One failed check as a sentence: ours as raised, pydantic's in the reader's language
    (in English for a check no survey field makes)."""
    kind, context = error["type"], dict(error.get("ctx") or {})
    said = _counted(kind, context) or _bounded(kind, context) or _plain(kind)
    message = said or str(error["msg"]).removeprefix("Value error, ")  # not translated: pydantic's
    return message[0].upper() + message[1:]
