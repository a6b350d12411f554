"""Per-workspace feature settings: environment defaults that admins override in chat.

A feature declares its settings once, as a pydantic model whose fields carry their defaults
and bounds, and registers it with its router as a `Section`. The environment (or `.env`)
changes a default as `<SECTION>_<FIELD>`, checked against the model's bounds when a command
starts; admins change a value per workspace in chat, checked by the same model, and it is kept
under the section's name in `Workspace.settings`. One model, so the bounds cannot drift apart.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError, create_model
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import UserError
from bot.models import Workspace

M = TypeVar("M", bound=BaseModel)


class ChatOnly:
    """Marks a setting that admins set in chat and the environment does not (`enabled` of the
    digest: it means nothing until someone chose channels): `Annotated[bool, CHAT_ONLY]`."""


CHAT_ONLY = ChatOnly()


class _Environment(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")


@dataclass(frozen=True)
class Section(Generic[M]):
    """A feature's settings: `name` is the key in `Workspace.settings` and the prefix of the
    environment names; every field of `model` has a default."""

    name: str
    model: type[M]

    def env_name(self, field: str) -> str:
        return f"{self.name}_{field}".upper()

    def env_fields(self) -> list[str]:
        """The fields the environment sets, as `env_name` names them."""
        return [
            name
            for name, field in self.model.model_fields.items()
            if not any(isinstance(rule, ChatOnly) for rule in field.metadata)
        ]

    def from_environment(self, env_file: str | None = ".env") -> M:
        """The defaults as the environment sets them; ValidationError (or pydantic-settings'
        SettingsError for unreadable JSON) when one does not fit the model."""
        fields: dict[str, Any] = {
            name: (self.model.model_fields[name].annotation, self.model.model_fields[name])
            for name in self.env_fields()
        }
        reader = create_model(f"{self.model.__name__}Environment", __base__=_Environment, **fields)
        found = reader(_env_prefix=f"{self.name}_", _env_file=env_file)
        return self.model.model_validate(found.model_dump())

    def load(self, workspace: Workspace, defaults: "FeatureDefaults") -> M:
        chosen = workspace.settings.get(self.name, {})
        return self.model.model_validate({**defaults.of(self).model_dump(), **chosen})

    def save(self, workspace: Workspace, value: M) -> None:
        # A new dict, so SQLAlchemy sees the JSON column change.
        workspace.settings = {**workspace.settings, self.name: value.model_dump()}


class FeatureDefaults:
    """Each section's defaults as the environment set them when the command started; a
    section not read from the environment (tests, tools) has its model's own defaults."""

    def __init__(self, read: Mapping[str, BaseModel] | None = None) -> None:
        self._read = dict(read or {})

    def of(self, section: Section[M]) -> M:
        value = self._read.get(section.name)
        return value if isinstance(value, section.model) else section.model()


def with_value(current: M, field: str, value: object, *, name: str, typed: str) -> M:
    """`current` with one field changed and checked by the model; a friendly error naming the
    setting as the person called it (`name`) and the value as they typed it otherwise."""
    try:
        return current.model_validate({**current.model_dump(), field: value})
    except ValidationError as invalid:
        problem = invalid.errors()[0]["msg"]
        raise UserError(f"{typed!r} doesn't work for {name}: {problem}.") from invalid
