"""Every setting read and checked when a command starts: one that does not fit stops it with
a line naming the environment variable and what it allows, rather than a failure later on
(every kudos answering "something went wrong" because KUDOS_UNDO_MINUTES is 120)."""

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import SettingsError

from bot.kit.feature_settings import FeatureDefaults, Section, plain_problem
from bot.wiring.config import Settings

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
            problems += _explain(
                bad, section.model.model_fields, section.env_name, section.field_named
            )
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
    field_named: Callable[[str], str] = str,
) -> list[str]:
    """One line for each problem in `bad`; `field_named` gives the field a problem's location
    stands for (a setting read under a name of its own is located by that name)."""
    if isinstance(bad, SettingsError):
        # Raised before validation, for a value that is not the JSON its field needs.
        found = _FIELD.search(str(bad))
        field = field_named(found[1]) if found else ""
        return [f"{env_name(field)}: not valid JSON (e.g. [2, 4])"]
    lines = []
    for error in bad.errors():
        field = field_named(str(error["loc"][0])) if error["loc"] else ""
        problem = plain_problem(error, fields.get(field))
        lines.append(f"{env_name(field)}={error['input']}: {problem}")
    return lines
