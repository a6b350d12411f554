"""Per-workspace feature settings: environment defaults that admins override in chat.

A feature describes its settings as a pydantic model and keeps them under one section of
`Workspace.settings`; each field defaults to the environment setting `<section>_<field>`
when there is one, else to the model's own default.
"""

from typing import TypeVar

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from bot.config import Settings
from bot.errors import UserError
from bot.models import Workspace

M = TypeVar("M", bound=BaseModel)


def load_section(workspace: Workspace, section: str, model: type[M], settings: Settings) -> M:
    defaults = {
        name: getattr(settings, f"{section}_{name}")
        for name in model.model_fields
        if hasattr(settings, f"{section}_{name}")
    }
    return model.model_validate({**defaults, **workspace.settings.get(section, {})})


def save_section(workspace: Workspace, section: str, value: BaseModel) -> None:
    # A new dict, so SQLAlchemy sees the JSON column change.
    workspace.settings = {**workspace.settings, section: value.model_dump()}


def with_value(current: M, field: str, value: object, *, name: str, typed: str) -> M:
    """`current` with one field changed and checked by the model; a friendly error naming the
    setting as the person called it (`name`) and the value as they typed it otherwise."""
    try:
        return current.model_validate({**current.model_dump(), field: value})
    except ValidationError as invalid:
        problem = plain_problem(invalid.errors()[0], type(current).model_fields.get(field))
        raise UserError(f"{typed!r} doesn't work for {name}: {problem}.") from invalid


def plain_problem(error: ErrorDetails, field: FieldInfo | None) -> str:
    """A validation error in the words of someone setting a value in chat: what the setting
    takes as a whole ("it must be a whole number from 1 to 100"), since pydantic names only
    the one bound that was crossed and speaks of inputs and integers."""
    if field is None or len(error["loc"]) != 1:
        # A check across fields or a validator's own message: already written for people.
        return error["msg"].removeprefix("Value error, ")
    return f"it must be {accepted(field)}"


def accepted(field: FieldInfo) -> str:
    """What a setting takes, e.g. "a whole number from 1 to 100" or "on or off"."""
    if field.annotation is bool:
        return "on or off"
    numeric = field.annotation is int or field.annotation is float
    noun = "a whole number" if field.annotation is int else "a number" if numeric else "text of"
    unit = "" if numeric else " characters"
    low: tuple[str, object] | None = None
    high: tuple[str, object] | None = None
    for rule in field.metadata:
        match rule:
            case Ge(ge=bound) | MinLen(min_length=bound):
                low = ("at least", bound)
            case Gt(gt=bound):
                low = ("more than", bound)
            case Le(le=bound) | MaxLen(max_length=bound):
                high = ("at most", bound)
            case Lt(lt=bound):
                high = ("less than", bound)
    if low and high and low[0] == "at least" and high[0] == "at most":
        span = f"{_number(low[1])} to {_number(high[1])}"
        return f"{noun} from {span}" if numeric else f"text of {span} characters"
    limits = " and ".join(f"{part[0]} {_number(part[1])}" for part in (low, high) if part)
    if not limits:
        return noun if numeric else "text"
    return f"{noun} {limits}{unit}"


def setting_text(value: object) -> str:
    """A setting's value as people read it: on/off, 1,000 and 0.5 rather than True, 1000.0."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:g}" if isinstance(value, float) else str(value)
