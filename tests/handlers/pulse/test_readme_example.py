"""The pulse transcript in README.md, run exactly as written, shows results."""

from pathlib import Path

from tests.handlers.conftest import Talk

README = Path(__file__).parents[3] / "README.md"


def pulse_transcript() -> str:
    """The first fenced block of the README's "Pulse surveys" section."""
    section = README.read_text().split("\n## Pulse surveys\n", 1)[1].split("\n## ", 1)[0]
    return section.split("\n```\n", 2)[1]


async def test_the_readme_pulse_example_shows_results(talk: Talk) -> None:
    script = pulse_transcript()
    assert script.startswith("cara in #hr: /pulse new\n")
    out = await talk(script)
    assert "It goes to 6 people as of now." in out
    assert out.count("is recorded. It carries no name.") == 5
    assert "has closed: 5 of 6 people answered" in out
    assert "Run of 2027-01-04: 5 of 6 answered (participation 83%)." in out
    assert "5 answers, mean 3.60, 1: 0 2: 1 3: 1 4: 2 5: 1" in out
