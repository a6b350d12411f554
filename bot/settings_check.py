"""Every setting read and checked when a command starts: one that does not fit stops it with
a line naming the environment variable and what it allows, rather than a failure later on
(every kudos answering "something went wrong" because KUDOS_UNDO_MINUTES is 120)."""

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import SettingsError

from bot.config import Settings
from bot.feature_settings import FeatureDefaults, Section

_FIELD = re.compile(r'field "(\w+)"')


class BadSettings(Exception):
    """Settings that do not fit, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def configured(sections: Iterable[Section[Any]], env_file: str | None = ".env") -> Settings:
    """The settings and every section's defaults from the environment and `env_file`;
    BadSettings lists every one that does not fit."""
    problems: list[str] = []
    try:
        settings = Settings(_env_file=env_file)
    except (ValidationError, SettingsError) as bad:
        problems += _explain(bad, Settings.model_fields, str.upper)
    read = {}
    for section in sections:
        try:
            read[section.name] = section.from_environment(env_file)
        except (ValidationError, SettingsError) as bad:
            problems += _explain(bad, section.model.model_fields, section.env_name)
    if problems:
        raise BadSettings(problems)
    return settings.with_features(FeatureDefaults(read))


def env_names(sections: Iterable[Section[Any]]) -> set[str]:
    """Every environment variable Rapport reads as a setting (the list .env.example keeps)."""
    core = {name.upper() for name in Settings.model_fields}
    return core | {section.env_name(name) for section in sections for name in section.env_fields()}


def _explain(
    bad: ValidationError | SettingsError,
    fields: Mapping[str, FieldInfo],
    env_name: Callable[[str], str],
) -> list[str]:
    if isinstance(bad, SettingsError):
        # Raised before validation, for a value that is not the JSON its field needs.
        found = _FIELD.search(str(bad))
        field = found[1] if found else ""
        return [f"{env_name(field)}: not valid JSON{_allows(fields.get(field))}"]
    lines = []
    for error in bad.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        problem = error["msg"].removeprefix("Value error, ")
        lines.append(f"{env_name(field)}={error['input']}: {problem}{_allows(fields.get(field))}")
    return lines


def _allows(field: FieldInfo | None) -> str:
    """`; allowed: from 0 to 60`, from the field's own bounds; empty when it has none."""
    bounds = {type(rule): rule for rule in field.metadata} if field is not None else {}
    low: Any = bounds.get(Ge) or bounds.get(Gt)
    high: Any = bounds.get(Le) or bounds.get(Lt)
    shortest: Any = bounds.get(MinLen)
    longest: Any = bounds.get(MaxLen)
    if low is not None or high is not None:
        return f"; allowed: {_range(low, high)}"
    if shortest is not None or longest is not None:
        unit = "characters" if field is not None and field.annotation is str else "items"
        return f"; allowed: {_length(shortest, longest)} {unit}"
    return ""


def _range(low: Ge | Gt | None, high: Le | Lt | None) -> str:
    floor = (
        ""
        if low is None
        else f"at least {low.ge}"
        if isinstance(low, Ge)
        else f"more than {low.gt}"
    )
    ceiling = (
        ""
        if high is None
        else f"at most {high.le}"
        if isinstance(high, Le)
        else f"less than {high.lt}"
    )
    if isinstance(low, Ge) and isinstance(high, Le):
        return f"from {low.ge} to {high.le}"
    return " and ".join(part for part in (floor, ceiling) if part)


def _length(shortest: MinLen | None, longest: MaxLen | None) -> str:
    if shortest is not None and longest is not None:
        return f"from {shortest.min_length} to {longest.max_length}"
    if shortest is not None:
        return f"at least {shortest.min_length}"
    assert longest is not None
    return f"at most {longest.max_length}"
