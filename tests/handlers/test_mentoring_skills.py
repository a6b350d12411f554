"""Skills meet goals across the forms of a word, in the writer's language."""

import pytest

from bot.wiring.assembly import Assembly
from handlers.mentoring.skills import Goals, meets, read
from tests.handlers.conftest import Talk
from tests.handlers.test_mentoring import ROUND, pairs, profile


@pytest.mark.parametrize(
    ("skill", "skill_language", "goal", "goal_language"),
    [
        ("vélo", "fr", "vélos", "fr"),
        ("Python-Entwicklung", "de", "python", "de"),
        ("python development", "en", "Python", None),
        ("public speaking", "en", "speaking in public", "en"),
        ("Verhandlungen", "de", "Verhandlung", "de"),
        ("liderazgo de equipos", "es", "equipo", "es"),
        ("プロジェクト管理", "ja", "プロジェクトの管理", "ja"),
    ],
)
def test_forms_of_a_skill_meet(
    skill: str, skill_language: str | None, goal: str, goal_language: str | None
) -> None:
    assert meets(read(skill, skill_language), read(goal, goal_language))


@pytest.mark.parametrize(
    ("skill", "goal"),
    [
        ("people management", "product management"),
        ("Datenanalyse", "data analysis"),  # stems compare words, not translations
        ("sql", "python"),
        ("", "python"),
    ],
)
def test_different_skills_do_not_meet(skill: str, goal: str) -> None:
    assert not meets(read(skill, None), read(goal, None))


def test_a_mentor_meets_the_goals_as_mentees_wrote_them() -> None:
    goals = Goals({"vélos": read("vélos", "fr"), "sql": read("sql", "en")})
    assert goals.met_by([read("vélo", "fr"), read("python", "en")]) == {"vélos"}


async def test_a_round_pairs_across_forms_of_a_word(talk: Talk, rapport: Assembly) -> None:
    await talk(
        "user dan lang=de\nuser cara lang=fr\n"
        + profile("dan", "mentor", "Python-Entwicklung, Führung")
        + profile("cara", "mentee", goals="vélos, python")
    )
    out = await talk(ROUND)
    assert await pairs(rapport) == [("dan", "cara", "proposed")]
    # The introduction names the goal as the mentee wrote it.
    assert "Dan Okafor offers python, which Cara Diaz wants to grow in" in out
