""".env.example documents every setting, and names none that does not exist; a setting that
does not fit stops a command at start, naming it and what it allows."""

import re
from pathlib import Path
from typing import Any

import pytest
from annotated_types import Ge, Gt, Le, Lt

from adapters.discord.settings import SECTION as DISCORD
from adapters.slack.settings import SECTION as SLACK
from adapters.teams.settings import SECTION as TEAMS
from bot.contract.errors import UserError
from bot.kit.feature_settings import Section, with_value
from bot.models import Workspace
from bot.wiring.features import build_router
from bot.wiring.settings_check import BadSettings, configured, env_names
from handlers.dashboard.settings import SECTION as DASHBOARD
from handlers.digest.settings import SECTION as DIGEST
from handlers.kudos.settings import SECTION as KUDOS
from handlers.pulse.settings import SECTION as PULSE
from handlers.qa.settings import SECTION as QA

EXAMPLE = Path(__file__).parents[1] / ".env.example"
ASSIGNMENT = re.compile(r"^#?\s*([A-Z0-9_]+)=", re.MULTILINE)
SECTIONS = list(build_router().sections.values())


def documented() -> set[str]:
    return set(ASSIGNMENT.findall(EXAMPLE.read_text()))


def test_every_setting_is_in_env_example() -> None:
    missing = sorted(env_names(SECTIONS) - documented())
    assert not missing, f"add these to .env.example with a comment: {missing}"


def test_env_example_names_only_real_settings() -> None:
    assert documented() <= env_names(SECTIONS), sorted(documented() - env_names(SECTIONS))


def test_every_feature_registers_its_settings() -> None:
    assert {section.name for section in SECTIONS} == {
        "kudos",
        "ideas",
        "qa",
        "pulse",
        "mentoring",
        "digest",
        "dashboard",
        "teams",
        "discord",
        "slack",
        "people",
    }


def bad(env_file: Path, text: str) -> list[str]:
    env_file.write_text(text)
    with pytest.raises(BadSettings) as stopped:
        configured(SECTIONS, str(env_file))
    return stopped.value.problems


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            "KUDOS_UNDO_MINUTES=120",
            "KUDOS_UNDO_MINUTES=120: it must be a whole number from 0 to 60",
        ),
        (
            "IDEAS_VOTE_HALF_LIFE_DAYS=400",
            "IDEAS_VOTE_HALF_LIFE_DAYS=400: it must be a number more than 0 and at most 365",
        ),
        (
            "QA_ANSWER_WORKING_DAYS=90",
            "QA_ANSWER_WORKING_DAYS=90: it must be a number more than 0 and at most 60",
        ),
        (
            "PULSE_THRESHOLD=2",
            "PULSE_THRESHOLD=2: it must be a whole number at least 3",
        ),
        (
            "IDEAS_CHANNEL=",
            "IDEAS_CHANNEL=: it must be text of 1 to 100 characters",
        ),
        ("DIGEST_DAY=someday", "DIGEST_DAY=someday: day must be one of mon, tue, wed"),
        ("PULSE_REMINDER_DAYS=2,4", "PULSE_REMINDER_DAYS: not valid JSON"),
        ("DATABASE_POOL_SIZE=0", "DATABASE_POOL_SIZE=0: it must be a whole number at least 1"),
        (
            "RETENTION_SURVEY_COMMENTS_DAYS=-1",
            "RETENTION_SURVEY_COMMENTS_DAYS=-1: it must be a whole number at least 0",
        ),
        (
            "RETENTION_TEAMS_MESSAGES_DAYS=a month",
            "RETENTION_TEAMS_MESSAGES_DAYS=a month: it must be a whole number at least 0",
        ),
        (
            "DASHBOARD_LINK_MINUTES=0",
            "DASHBOARD_LINK_MINUTES=0: it must be a whole number from 1 to 1,440",
        ),
    ],
)
def test_a_setting_that_does_not_fit_is_named_with_what_it_allows(
    tmp_path: Path, line: str, problem: str
) -> None:
    problems = bad(tmp_path / ".env", line + "\n")
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_every_setting_that_does_not_fit_is_named_at_once(tmp_path: Path) -> None:
    problems = bad(tmp_path / ".env", "KUDOS_UNDO_MINUTES=120\nMENTORING_CHECKIN_DAYS=0\n")
    assert [p.split("=")[0] for p in problems] == ["KUDOS_UNDO_MINUTES", "MENTORING_CHECKIN_DAYS"]


def test_the_environment_sets_the_defaults_and_chat_keeps_its_own_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("KUDOS_UNDO_MINUTES=30\nDIGEST_DAY=Friday\n")
    monkeypatch.setenv("QA_CHANNEL", "ask-here")
    features = configured(SECTIONS, str(tmp_path / ".env")).features
    assert features.of(KUDOS).undo_minutes == 30
    assert features.of(DIGEST).day == "fri"
    assert features.of(QA).channel == "ask-here"
    assert features.of(KUDOS).leaderboards and not features.of(DIGEST).enabled


def test_a_features_retention_window_keeps_its_environment_name(tmp_path: Path) -> None:
    """Pulse's window is a field of its settings model, read as RETENTION_SURVEY_COMMENTS_DAYS
    like the core's windows and never under the section's prefix; a workspace's chat settings
    do not change it, since one job keeps every workspace's data."""
    assert PULSE.env_name("comments_retention_days") == "RETENTION_SURVEY_COMMENTS_DAYS"
    env_file = tmp_path / ".env"
    env_file.write_text(
        "RETENTION_SURVEY_COMMENTS_DAYS=12\nPULSE_COMMENTS_RETENTION_DAYS=99\nPULSE_THRESHOLD=6\n"
    )
    defaults = configured(SECTIONS, str(env_file)).features
    assert defaults.of(PULSE).comments_retention_days == 12
    chosen = {"pulse": {"comments_retention_days": 1, "threshold": 7}}
    loaded = PULSE.load(Workspace(platform="local", external_id="w", settings=chosen), defaults)
    assert (loaded.comments_retention_days, loaded.threshold) == (12, 7)


def test_the_dashboards_settings_keep_their_names_and_hold_for_the_whole_server(
    tmp_path: Path,
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "DASHBOARD_LINK_MINUTES=5\nDASHBOARD_SESSION_MINUTES=30\nDASHBOARD_SECRET=s3cret\n"
        "RETENTION_DASHBOARD_LINKS_DAYS=2\n"
    )
    defaults = configured(SECTIONS, str(env_file)).features
    read = defaults.of(DASHBOARD)
    assert (read.link_minutes, read.session_minutes, read.secret) == (5, 30, "s3cret")
    assert read.links_retention_days == 2
    chosen = {"dashboard": {"secret": "chosen in chat", "link_minutes": 60}}
    workspace = Workspace(platform="local", external_id="w", settings=chosen)
    assert DASHBOARD.load(workspace, defaults) == read


def test_each_platforms_settings_keep_the_names_operators_set(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        'SLACK_BOT_TOKEN=xoxb-1\nSLACK_COMMANDS={"thanks": "kudos"}\n'
        "DISCORD_TOKEN=d-1\nDISCORD_MEMBERS_INTENT=true\n"
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=app-1\n"
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED=true\n"
        "GRAPH_CLIENT_ID=graph-1\n"
    )
    defaults = configured(SECTIONS, str(env_file)).features
    slack, discord, teams = defaults.of(SLACK), defaults.of(DISCORD), defaults.of(TEAMS)
    assert (slack.bot_token, slack.commands) == ("xoxb-1", {"thanks": "kudos"})
    assert (discord.token, discord.members_intent) == ("d-1", True)
    assert (teams.client_id, teams.anonymous_allowed, teams.graph_client_id) == (
        "app-1",
        True,
        "graph-1",
    )
    chosen = {"slack": {"bot_token": "xoxb-chosen-in-chat"}}
    workspace = Workspace(platform="slack", external_id="T1", settings=chosen)
    assert SLACK.load(workspace, defaults).bot_token == "xoxb-1"


# Per kind of bound: its attribute, then how far from the edge a value just inside and one
# just outside are.
STEPS: dict[type, tuple[str, float, float]] = {
    Ge: ("ge", 0, -1),
    Gt: ("gt", 0.5, 0),
    Le: ("le", 0, 1),
    Lt: ("lt", -0.5, 0),
}


def bounds(section: Section[Any]) -> list[tuple[Section[Any], str, Any, Any]]:
    """(section, field, a value just inside, a value just outside) for every bound."""
    found: list[tuple[Section[Any], str, Any, Any]] = []
    for name in section.env_fields():
        for rule in section.model.model_fields[name].metadata:
            if type(rule) in STEPS:
                attribute, inside, outside = STEPS[type(rule)]
                edge = getattr(rule, attribute)
                found.append((section, name, edge + inside, edge + outside))
    return found


BOUNDS = [bound for section in SECTIONS for bound in bounds(section)]


@pytest.mark.parametrize(
    ("section", "field", "inside", "outside"),
    BOUNDS,
    ids=[f"{section.env_name(field)}={outside}" for section, field, _, outside in BOUNDS],
)
def test_each_setting_allows_the_same_in_the_environment_as_in_chat(
    tmp_path: Path, section: Section[Any], field: str, inside: Any, outside: Any
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"{section.env_name(field)}={inside}\n")
    read = configured([section], str(env_file)).features.of(section)
    assert getattr(read, field) == inside
    changed = with_value(section.model(), field, inside, name=field, typed=str(inside))
    assert getattr(changed, field) == inside
    env_file.write_text(f"{section.env_name(field)}={outside}\n")
    with pytest.raises(BadSettings):
        configured([section], str(env_file))
    with pytest.raises(UserError):
        with_value(section.model(), field, outside, name=field, typed=str(outside))
