"""Per-workspace feature settings: environment defaults that admins override in chat.

A feature declares its settings once, as a pydantic model whose fields carry their defaults
and bounds, and registers it with its router as a `Section`. The environment (or `.env`)
changes a default as `<SECTION>_<FIELD>`, checked against the model's bounds when a command
starts; admins change a value per workspace in chat, checked by the same model, and it is kept
under the section's name in `Workspace.settings`. One model, so the bounds cannot drift apart.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import BaseModel, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.contract.errors import UserError

if TYPE_CHECKING:
    from bot.models import Workspace

M = TypeVar("M", bound=BaseModel)


def _(message: str) -> str:
    """`message` in the reader's language. The catalog, and babel under it, load with the
    first value that does not fit: `rapport run` reads the core's settings before it opens
    its port, and most starts have nothing to say."""
    from bot.kit.core_catalog import _ as translated

    return translated(message)


class ChatOnly:
    """Marks a setting that admins set in chat and the environment does not (`enabled` of the
    digest: it means nothing until someone chose channels): `Annotated[bool, CHAT_ONLY]`."""


CHAT_ONLY = ChatOnly()


@dataclass(frozen=True)
class EnvName:
    """Marks a setting that holds for the whole deployment under an environment name of its
    own rather than `<SECTION>_<FIELD>`: a feature's retention window keeps the name every
    other window has (`Annotated[int, EnvName("RETENTION_SURVEY_COMMENTS_DAYS")]`). A
    workspace's chat settings never change it (`Section.load` ignores them), so the feature
    reads it with `FeatureDefaults.of`."""

    name: str


class _Environment(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")


@dataclass(frozen=True)
class Section(Generic[M]):
    """A feature's settings: `name` is the key in `Workspace.settings` and the prefix of the
    environment names; every field of `model` has a default."""

    name: str
    model: type[M]

    def env_name(self, field: str) -> str:
        named = self._env_names().get(field)
        return named or f"{self.name}_{field}".upper()

    def field_named(self, env_name: str) -> str:
        """The field an environment name (as `env_name` gives it, in any case) stands for."""
        fields = {named.lower(): field for field, named in self._env_names().items()}
        return fields.get(env_name.lower(), env_name)

    def _env_names(self) -> dict[str, str]:
        """The fields with an environment name of their own (`EnvName`), and that name."""
        return {
            name: rule.name
            for name, field in self.model.model_fields.items()
            for rule in field.metadata
            if isinstance(rule, EnvName)
        }

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
        named = self._env_names()
        fields: dict[str, Any] = {
            name: (field.annotation, _read_as(field, named.get(name)))
            for name, field in self.model.model_fields.items()
            if name in self.env_fields()
        }
        reader = create_model(f"{self.model.__name__}Environment", __base__=_Environment, **fields)
        found = reader(_env_prefix=f"{self.name}_", _env_file=env_file)
        return self.model.model_validate(found.model_dump())

    def load(self, workspace: "Workspace", defaults: "FeatureDefaults") -> M:
        chosen = {
            field: value
            for field, value in workspace.settings.get(self.name, {}).items()
            if field not in self._env_names()
        }
        return defaults.chosen_in(self, chosen)

    def save(self, workspace: "Workspace", value: M) -> None:
        # A new dict, so SQLAlchemy sees the JSON column change.
        workspace.settings = {**workspace.settings, self.name: value.model_dump()}


def _read_as(field: FieldInfo, env_name: str | None) -> FieldInfo:
    """`field` as the environment reader declares it: under its own name, if it has one (an
    alias, which pydantic-settings reads without the section's prefix)."""
    if env_name is None:
        return field
    return FieldInfo.merge_field_infos(field, validation_alias=env_name)


# Workspaces' settings remembered at most (each distinct set of choices of a section is one).
CHOSEN_REMEMBERED = 1024


class FeatureDefaults:
    """Each section's defaults as the environment set them when the command started; a
    section not read from the environment (tests, tools) has its model's own defaults."""

    def __init__(self, read: Mapping[str, BaseModel] | None = None) -> None:
        self._read = dict(read or {})
        self._chosen: dict[tuple[str, str], BaseModel] = {}

    def of(self, section: Section[M]) -> M:
        value = self._read.get(section.name)
        return value if isinstance(value, section.model) else section.model()

    def chosen_in(self, section: Section[M], chosen: dict[str, Any]) -> M:
        """`section`'s settings with a workspace's `chosen` values over these defaults.

        Remembered by value: a handler asks for its feature's settings several times an
        event, and validating the model each time was a noticeable part of handling a kudos
        (benchmarks/README.md, Slack ingest). Each caller gets a copy of its own to change.
        """
        key = (section.name, repr(sorted(chosen.items())))
        found = self._chosen.get(key)
        if not isinstance(found, section.model):
            found = section.model.model_validate({**self.of(section).model_dump(), **chosen})
            if len(self._chosen) >= CHOSEN_REMEMBERED:
                self._chosen.clear()
            self._chosen[key] = found
        return found.model_copy()

    def changed(self, section: Section[M], **values: Any) -> "FeatureDefaults":
        """These defaults with some of `section`'s replaced, checked by its model (tests and
        tools that build their settings in code)."""
        value = section.model.model_validate({**self.of(section).model_dump(), **values})
        return FeatureDefaults({**self._read, section.name: value})


def with_value(current: M, field: str, value: object, *, name: str, typed: str) -> M:
    """`current` with one field changed and checked by the model; a friendly error naming the
    setting as the person called it (`name`) and the value as they typed it otherwise."""
    try:
        return current.model_validate({**current.model_dump(), field: value})
    except ValidationError as invalid:
        problem = plain_problem(invalid.errors()[0], type(current).model_fields.get(field))
        raise UserError(
            _("{typed} doesn't work for {name}: {problem}.").format(
                typed=repr(typed), name=name, problem=problem
            )
        ) from invalid


def plain_problem(error: ErrorDetails, field: FieldInfo | None) -> str:
    """A validation error in the words of someone setting a value: what the setting takes as
    a whole ("it must be a whole number from 1 to 100"), since pydantic names only the one
    bound that was crossed and speaks of inputs and integers."""
    takes = accepted(field) if field is not None and len(error["loc"]) == 1 else None
    if takes is None:
        # A check across fields or a validator's own message: already written for people.
        return error["msg"].removeprefix("Value error, ")  # not translated: pydantic's prefix
    return _("it must be {takes}").format(takes=takes)


def accepted(field: FieldInfo) -> str | None:
    """What a setting takes, e.g. "a whole number from 1 to 100" or "on or off"; None when
    its rules say nothing a person could act on (a pattern, a list)."""
    if field.annotation is bool:
        return _("on or off")
    kind = "int" if field.annotation is int else "float" if field.annotation is float else "str"
    if kind == "str" and field.annotation is not str:
        return None
    low: tuple[str, object] | None = None
    high: tuple[str, object] | None = None
    for rule in field.metadata:
        match rule:
            case Ge(ge=bound) | MinLen(min_length=bound):
                low = ("ge", bound)
            case Gt(gt=bound):
                low = ("gt", bound)
            case Le(le=bound) | MaxLen(max_length=bound):
                high = ("le", bound)
            case Lt(lt=bound):
                high = ("lt", bound)
    if not (low or high):
        return {"int": _("a whole number"), "float": _("a number")}.get(kind)
    if low and high and low[0] == "ge" and high[0] == "le":
        span = {
            "int": _("a whole number from {low} to {high}"),
            "float": _("a number from {low} to {high}"),
            "str": _("text of {low} to {high} characters"),
        }
        return span[kind].format(low=_number(low[1]), high=_number(high[1]))
    from bot.kit.i18n import format_list

    limits = format_list(_bound(*part) for part in (low, high) if part)
    shaped = {
        "int": _("a whole number {limits}"),
        "float": _("a number {limits}"),
        "str": _("text of {limits} characters"),
    }
    return shaped[kind].format(limits=limits)


def _bound(how: str, bound: object) -> str:
    said = {
        "ge": _("at least {bound}"),
        "gt": _("more than {bound}"),
        "le": _("at most {bound}"),
        "lt": _("less than {bound}"),
    }
    return said[how].format(bound=_number(bound))


def setting_text(value: object) -> str:
    """A setting's value as people read it: on/off, 1,000 and 0.5 rather than True, 1000.0."""
    if isinstance(value, bool):
        return "on" if value else "off"  # not translated: what admins type to set it
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:g}" if isinstance(value, float) else str(value)
