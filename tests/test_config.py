""".env.example documents every setting, and names none that does not exist."""

import re
from pathlib import Path

from bot.config import Settings

EXAMPLE = Path(__file__).parents[1] / ".env.example"
ASSIGNMENT = re.compile(r"^#?\s*([A-Z0-9_]+)=", re.MULTILINE)


def test_every_setting_is_in_env_example() -> None:
    documented = {name.lower() for name in ASSIGNMENT.findall(EXAMPLE.read_text())}
    missing = sorted(set(Settings.model_fields) - documented)
    assert not missing, f"add these to .env.example with a comment: {missing}"


def test_env_example_names_only_real_settings() -> None:
    documented = {name.lower() for name in ASSIGNMENT.findall(EXAMPLE.read_text())}
    assert documented <= set(Settings.model_fields), sorted(documented - set(Settings.model_fields))
