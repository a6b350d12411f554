"""Which language each reader gets: a person's own choice, else what their platform says,
else their workspace's; channel posts are in the workspace's.

Kept in the JSON columns that already hold such choices, so no column is needed:
`Person.preferences["language"]` (chosen with `/rapport settings language`),
`Person.preferences["platform_language"]` (Slack's profile locale, a Teams activity's, a
Discord interaction's; refreshed when the platform says otherwise) and
`Workspace.settings["language"]` (the admins' choice; WORKSPACE_LANGUAGE until they make one).
"""

from typing import Any

from bot.kit.i18n import SOURCE, shipped
from bot.models import Person, Workspace
from bot.wiring.config import Settings

CHOSEN = "language"
PLATFORM = "platform_language"


def workspace_language(workspace: Workspace, settings: Settings) -> str:
    return shipped((workspace.settings or {}).get(CHOSEN)) or settings.workspace_language


def person_language(person: Person, workspace: Workspace, settings: Settings) -> str:
    return own_language(person) or workspace_language(workspace, settings)


def own_language(person: Person) -> str | None:
    """What they chose or their platform says, None when only the workspace's would answer:
    text matching then looks at the texts themselves (bot.kit.tokenizing)."""
    return chosen_language(person) or shipped((person.preferences or {}).get(PLATFORM))


def chosen_language(person: Person) -> str | None:
    return shipped((person.preferences or {}).get(CHOSEN))


def choose_language(person: Person, tag: str | None) -> None:
    """Their own choice (`tag` a shipped language), or None to follow the platform again."""
    _store(person, CHOSEN, shipped(tag))


def note_platform_language(person: Person, tag: str | None) -> None:
    """What the platform says they read, when it says something Rapport speaks."""
    language = shipped(tag)
    if language is not None and (person.preferences or {}).get(PLATFORM) != language:
        _store(person, PLATFORM, language)


def choose_workspace_language(workspace: Workspace, tag: str) -> None:
    stored: dict[str, Any] = dict(workspace.settings or {})
    stored[CHOSEN] = shipped(tag) or SOURCE
    workspace.settings = stored


def _store(person: Person, key: str, value: str | None) -> None:
    # A new dict: the JSON column notices an assignment, not a change inside it.
    stored: dict[str, Any] = dict(person.preferences or {})
    if value is None:
        stored.pop(key, None)
    else:
        stored[key] = value
    person.preferences = stored
