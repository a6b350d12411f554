"""Per-workspace feature settings: environment defaults that admins override in chat.

A feature describes its settings as a pydantic model and keeps them under one section of
`Workspace.settings`; each field defaults to the environment setting `<section>_<field>`
when there is one, else to the model's own default.
"""

from typing import TypeVar

from pydantic import BaseModel, ValidationError

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
        problem = invalid.errors()[0]["msg"]
        raise UserError(f"{typed!r} doesn't work for {name}: {problem}.") from invalid
