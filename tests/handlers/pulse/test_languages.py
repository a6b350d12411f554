"""Surveys in several languages: each person reads their own, and every answer counts together.

Demo workspace (everyone reads English) plus three French readers and a German one, all in
Engineering with ann and bob. The clock starts on Monday 2027-01-04 at 09:00 UTC.
"""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import inspect
from sqlmodel import SQLModel, select

from bot.contract.errors import FormInvalid, UserError
from bot.kit.i18n import speaking
from bot.wiring.assembly import Assembly
from bot.wiring.config import Settings
from handlers.pulse import authoring, render
from handlers.pulse.authoring import SpecFileError, spec_from_yaml
from handlers.pulse.spec import SurveySpec
from handlers.pulse.tables import PulseAnswer, PulseBallot, PulseRespondent, PulseSurvey
from tests.handlers.conftest import Talk
from tests.handlers.test_home import open_home

M = TypeVar("M", bound=SQLModel)
SETTINGS = Settings(_env_file=None)
FRENCH = ["fr1", "fr2", "fr3"]
ENGLISH = ["ann", "bob", "en1"]
QUESTIONS = (
    "scale: How was your week?; enps: Would you recommend us?; "
    "choice: What helps most? | Focus time | Pairing; text: What should we change?"
)
EN_FR = (
    "cara in #hr: /pulse translate 1 fr\n"
    'cara submits pulse.translate title="Le pouls de la semaine" '
    "questions=\"Comment s'est passée votre semaine ?; Nous recommanderiez-vous ?; "
    "Qu'est-ce qui aide le plus ? | Du temps pour se concentrer | Le travail en binôme; "
    'Que devrions-nous changer ?"\n'
)


def create(schedule: str = "once on 2027-01-05 at 09:00", close: int = 5) -> str:
    return (
        "cara in #hr: /pulse new\n"
        f'cara submits pulse.new title="Weekly pulse" questions="{QUESTIONS}" '
        f'audience="departments: Engineering" schedule="{schedule}" '
        f"timezone=Europe/London anonymous=yes close={close} language=en\n"
    )


async def people(talk: Talk) -> None:
    await talk(
        "\n".join(
            [
                *(f"user {h} dept=Engineering tz=Europe/Paris lang=fr" for h in FRENCH),
                "user de1 dept=Engineering tz=Europe/Berlin lang=de",
                "user en1 dept=Engineering tz=Europe/London",
                "user ann dept=Engineering",
                "user bob dept=Engineering",
            ]
        )
    )


async def rows(rapport: Assembly, model: type[M]) -> Sequence[M]:
    async with rapport.db.session() as session:
        return (await session.exec(select(model))).all()


def dm(out: str, handle: str) -> str:
    """The first DM to `handle` in a transcript's output."""
    chunk = out.split(f"[dm @{handle}]", 1)[1]
    return chunk.split("\n[", 1)[0]


def answers(handles: Sequence[str], run: int, scale: int, enps: int, choice: int) -> str:
    return "\n".join(
        f"{h} clicks pulse.answer {run}:0:{scale}\n{h} clicks pulse.answer {run}:1:{enps}\n"
        f"{h} clicks pulse.answer {run}:2:{choice}"
        for h in handles
    )


async def test_each_person_reads_their_language_and_the_answers_count_together(
    talk: Talk, rapport: Assembly
) -> None:
    await people(talk)
    await talk(create())
    out = await talk(EN_FR)
    assert "now has its texts in French too" in out
    out = await talk("advance 1d")

    french = dm(out, "fr1")
    assert "Le pouls de la semaine" in french and "Comment s'est passée votre semaine ?" in french
    assert "[Du temps pour se concentrer] pulse.answer 1:2:0" in french
    assert "How was your week?" not in french
    english = dm(out, "ann")
    assert "Weekly pulse" in english and "[Focus time] pulse.answer 1:2:0" in english
    # No German texts: the survey's own language.
    assert "How was your week?" in dm(out, "de1")

    # The card a French reader's answer updates stays in French.
    out = await talk("fr1 clicks pulse.answer 1:0:4")
    assert "Comment s'est passée votre semaine ?" in out and "How was" not in out

    await talk(answers(FRENCH[1:], 1, 4, 10, 0) + "\nfr1 clicks pulse.answer 1:1:10")
    await talk("fr1 clicks pulse.answer 1:2:0")
    await talk(answers(ENGLISH, 1, 2, 0, 1))
    await talk("advance 5d")
    out = await talk("cara in #hr: /pulse results 1")
    # Three French and three English answers, one question each.
    assert "6 answers, mean 3.00, 1: 0 2: 3 3: 0 4: 3 5: 0" in out
    assert "6 answers, eNPS +0, mean 5.00" in out
    assert "6 answers, Focus time: 3 Pairing: 3" in out


async def test_trends_merge_the_languages_of_every_run(talk: Talk) -> None:
    await people(talk)
    await talk(create(schedule="weekly on tue at 09:00", close=2))
    await talk(EN_FR + "advance 1d")
    await talk(answers(FRENCH, 1, 5, 10, 0) + "\n" + answers(ENGLISH[:2], 1, 5, 10, 0))
    await talk("advance 7d")
    await talk(answers(FRENCH, 2, 3, 6, 1) + "\n" + answers(ENGLISH[:2], 2, 1, 0, 1))
    await talk("advance 2d")
    out = await talk("cara in #hr: /pulse results 1")
    assert "trend: 2027-01-05 5.00 → 2027-01-12 2.20" in out
    assert "trend: 2027-01-05 +100 → 2027-01-12 -100" in out


async def closed_in_two_languages(talk: Talk) -> str:
    """The survey in English and French, answered by three French and three English
    readers, its run closed: three of each choice. What the close printed."""
    await people(talk)
    await talk(create() + EN_FR + "advance 1d")
    await talk(answers(FRENCH, 1, 4, 10, 0) + "\n" + answers(ENGLISH, 1, 2, 0, 1))
    return await talk("advance 5d")


FRENCH_TEXTS = (
    "Le pouls de la semaine",
    "Comment s'est passée votre semaine ?",
    "Nous recommanderiez-vous ?",
    "Qu'est-ce qui aide le plus ?",
)
ENGLISH_TEXTS = ("Weekly pulse", "How was your week?", "Would you recommend us?", "What helps")


def reads(out: str, texts: Sequence[str], others: Sequence[str]) -> bool:
    return all(t in out for t in texts) and not any(t in out for t in others)


async def test_results_and_their_post_read_the_survey_in_their_readers_language(
    talk: Talk,
) -> None:
    await talk("cara in #general: /rapport settings language fr")
    closing = await closed_in_two_languages(talk)
    # HR's notice that the run closed names the survey as its results will.
    assert "« Le pouls de la semaine »" in dm(closing, "cara")
    await talk("ann in #general: /rapport settings workspace-language de")
    out = await talk("cara in #hr: /pulse results 1")
    assert reads(out, FRENCH_TEXTS, ENGLISH_TEXTS), out
    # The same counts, under the French names of the choices.
    assert "Du temps pour se concentrer: 3 Le travail en binôme: 3" in out

    # Posted in #hr, the results read the workspace's language: German, which the survey
    # has no texts in, so its own (English) ones.
    out = await talk("cara clicks pulse.share 1:hr:")
    posted = out.split("[#hr]")[1].split("\n[")[0]
    assert "Ergebnisse der Pulse-Umfrage #1" in posted
    assert reads(posted, ENGLISH_TEXTS, FRENCH_TEXTS), posted
    assert "Focus time: 3 Pairing: 3" in posted

    out = await talk(
        "cara in #general: /rapport settings language de\ncara in #hr: /pulse results 1"
    )
    assert reads(out, ENGLISH_TEXTS, FRENCH_TEXTS) and "Focus time: 3 Pairing: 3" in out


async def test_the_export_reads_the_survey_in_the_askers_language(talk: Talk) -> None:
    await closed_in_two_languages(talk)
    out = await talk(
        "cara in #general: /rapport settings language fr\ncara in #hr: /pulse export 1"
    )
    assert "run,question,group,answers,mean,enps,distribution" in out
    assert "2027-01-05,Comment s'est passée votre semaine ?,all,6,3.00,," in out
    assert "2027-01-05,Qu'est-ce qui aide le plus ?,all,6,,,Du temps pour se concentrer:3 " in out
    assert reads(out, FRENCH_TEXTS, ENGLISH_TEXTS), out
    out = await talk(
        "cara in #general: /rapport settings language de\ncara in #hr: /pulse export 1"
    )
    assert "2027-01-05,What helps most?,all,6,,,Focus time:3 Pairing:3" in out
    assert reads(out, ENGLISH_TEXTS, FRENCH_TEXTS), out


async def test_the_digest_reads_the_survey_in_its_own_language(talk: Talk) -> None:
    await talk(
        "ann in #general: /rapport settings workspace-language fr\n"
        "dan in #general: /rapport digest channels #community"
    )
    await closed_in_two_languages(talk)
    out = await talk("advance 1d")  # Monday 09:00: the digest of the week the run closed in
    posted = out.split("[#community]")[1].split("\n[")[0]
    assert "Digest hebdomadaire" in posted
    assert "Comment s'est passée votre semaine ? (Le pouls de la semaine)" in posted
    assert (
        "Comment s'est passée votre semaine ? 3,0/5; Nous recommanderiez-vous ? eNPS +0" in posted
    )
    assert reads(posted, FRENCH_TEXTS[:3], ENGLISH_TEXTS), posted

    # German has no texts of the survey: a German reader's preview falls back to English.
    out = await talk(
        "dan in #general: /rapport settings language de\ndan in #general: /rapport digest preview"
    )
    assert "How was your week? (Weekly pulse)" in out
    assert reads(out, ENGLISH_TEXTS[:3], FRENCH_TEXTS), out


async def test_own_answers_and_the_home_tab_read_the_survey_in_their_language(
    talk: Talk, rapport: Assembly
) -> None:
    await people(talk)
    await talk(create().replace("anonymous=yes", "anonymous=no") + EN_FR + "advance 1d")
    await talk(
        "\n".join(
            f"{h} clicks pulse.answer 1:0:4\n{h} clicks pulse.answer 1:2:0" for h in ("fr1", "de1")
        )
    )
    # The card an answer updates names the choice as its reader read it.
    out = await talk("fr1 clicks pulse.answer 1:1:9")
    assert "Du temps pour se concentrer" in out and "Focus time" not in out
    out = await talk("fr1 in #general: /pulse mine 1")
    assert "Vos réponses à « Le pouls de la semaine »" in out
    assert "Qu'est-ce qui aide le plus ?: Du temps pour se concentrer" in out
    # No German texts: the survey's own.
    out = await talk("de1 in #general: /pulse mine 1")
    assert "What helps most?: Focus time" in out and "How was your week?: 4" in out
    assert "Weekly pulse" in await open_home(rapport, "de1", "home-de1")
    assert "Le pouls de la semaine" in await open_home(rapport, "fr1", "home-fr1")


async def test_nothing_stored_says_which_language_an_answer_was_given_in(
    talk: Talk, rapport: Assembly
) -> None:
    await people(talk)
    await talk(create() + EN_FR + "advance 1d")
    await talk(
        "fr1 clicks pulse.answer 1:2:1\n"
        "fr1 clicks pulse.write 1:3\n"
        'fr1 submits pulse.text answer="Moins de réunions"'
    )
    # A French reader's choice is kept as the option in the survey's own language, so a
    # choice's text cannot tell a small group of French readers from the rest.
    [choice, comment] = sorted(
        (json.loads(b.sealed) for b in await rows(rapport, PulseBallot)), key=str
    )
    assert choice["choice"] == "Pairing"
    for ballot in (choice, comment):
        assert set(ballot) <= {"score", "choice", "comment", "department", "day"}
    async with rapport.db.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {
                table: {c["name"] for c in inspect(sync).get_columns(table)}
                for table in ("pulse_answer", "pulse_ballot", "pulse_respondent")
            }
        )
    assert columns == {
        "pulse_answer": {"id", "run_id", "question", "department", "score", "choice", "comment"}
        | {"day"},
        "pulse_ballot": {"id", "run_id", "question", "sealed"},
        "pulse_respondent": {"id", "run_id", "person_id", "answered"},
    }
    await talk(answers(ENGLISH, 1, 3, 8, 1) + "\n" + answers(FRENCH[1:], 1, 3, 8, 1))
    await talk("advance 5d")
    stored = await rows(rapport, PulseAnswer)
    assert {a.choice for a in stored if a.question == 2} == {"Pairing"}
    assert await rows(rapport, PulseRespondent) == []
    assert [s.language for s in await rows(rapport, PulseSurvey)] == ["en"]


async def test_translations_are_checked_and_can_be_taken_back(
    talk: Talk, rapport: Assembly
) -> None:
    await people(talk)
    await talk(create())
    out = await talk("cara in #hr: /pulse translate 1 xx")
    assert "'xx' is not a language I speak" in out
    out = await talk("cara in #hr: /pulse translate 1 en")
    assert "The survey is written in English already" in out
    out = await talk("bob in #general: /pulse translate 1 fr")
    assert "pulse.translate" not in out
    out = await talk(
        "cara in #hr: /pulse translate 1 fr\n"
        'cara submits pulse.translate title="Le pouls" questions="Une seule ligne ?"'
    )
    assert "The survey has 4 questions: give one line for each" in out
    out = await talk(
        "cara in #hr: /pulse translate 1 fr\n"
        'cara submits pulse.translate title="Le pouls" questions="Semaine ?; '
        'Recommander ?; Aide ? | Seul; Changer ?"'
    )
    assert "The French text has 1 option where the question has 2" in out
    await talk(EN_FR)
    out = await talk("cara in #hr: /pulse translate 1 FR")
    assert "[form for @cara] pulse.translate “Survey #1 in français”" in out
    out = await talk('cara submits pulse.translate title="" questions=""')
    assert "no longer has texts in French" in out
    [survey] = await rows(rapport, PulseSurvey)
    assert SurveySpec.model_validate(survey.spec).languages == ["en"]

    # HR reads these answers in its own language.
    out = await talk("user cara lang=fr\ncara in #hr: /pulse translate 1 en")
    assert "L'enquête est déjà écrite en anglais" in out


YAML = """\
title:
  en: Weekly pulse
  fr: Le pouls de la semaine
language: en
questions:
  - kind: scale
    prompt:
      en: How was your week?
      fr: Comment s'est passée votre semaine ?
  - kind: choice
    prompt:
      en: What helps most?
      fr: Qu'est-ce qui aide le plus ?
    options:
      - {en: Focus time, fr: Du temps pour se concentrer}
      - {en: Pairing, fr: Le travail en binôme}
audience: everyone
schedule: once
"""


def test_a_yaml_file_gives_each_text_in_several_languages() -> None:
    spec, _ = spec_from_yaml(YAML, SETTINGS)
    assert spec.language == "en" and spec.languages == ["en", "fr"]
    assert spec.title == "Weekly pulse" and spec.questions[1].options == ["Focus time", "Pairing"]
    french = spec.read_in("fr")
    assert french.title == "Le pouls de la semaine"
    assert french.questions[1].options == ["Du temps pour se concentrer", "Le travail en binôme"]
    assert spec.read_in("ja") == spec  # no Japanese texts: the survey's own
    with speaking("fr"):  # a written answer's form, opened by a French reader
        label = render.text_form(spec.questions[0], "1:0", 2000).inputs[0].label
    assert label == "Comment s'est passée votre semaine ?"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("  fr: Le pouls de la semaine\n", "  xx: Le pouls\n"), "line 2: title: 'xx' is not"),
        (("      en: How was your week?\n", ""), "line 8: questions.0.prompt: no text in the"),
        (("language: en", "language: de"), "line 2: title: no text in the survey's language (de)"),
        (("language: en", "language: it"), "line 4: language: 'it' is not a language I speak"),
        (
            ("      - {en: Pairing, fr: Le travail en binôme}\n", "      - {en: Pairing}\n"),
            "line 10: questions.1: The French text has 1 option where the question has 2",
        ),
    ],
)
def test_a_yaml_file_with_a_mistake_in_its_languages_names_the_line(
    change: tuple[str, str], problem: str
) -> None:
    with pytest.raises(SpecFileError) as refused:
        spec_from_yaml(YAML.replace(*change), SETTINGS)
    assert problem in str(refused.value)


def test_the_form_refuses_a_translation_into_the_surveys_own_language() -> None:
    spec, _ = spec_from_yaml(YAML, SETTINGS)
    with pytest.raises(UserError):
        authoring.translate(spec, "en", {"title": "Weekly", "questions": "a; b"})
    with pytest.raises(FormInvalid):
        authoring.translate(spec, "de", {"title": "Woche", "questions": "Wie war die Woche?"})
    german = authoring.translate(
        spec, "de", {"title": "Wochenpuls", "questions": "Wie war die Woche?; Was hilft? | A | B"}
    )
    assert german.languages == ["en", "de", "fr"]
    assert german.read_in("de").questions[1].options == ["A", "B"]


def test_the_documented_file_gives_two_languages() -> None:
    page = (Path(__file__).parents[3] / "docs" / "features" / "pulse.md").read_text()
    documented = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    spec, _ = spec_from_yaml(documented + "audience: everyone\nschedule: once\n", SETTINGS)
    assert spec.languages == ["en", "fr"]
    assert spec.read_in("fr").questions[0].options == ["Du temps calme", "Le binôme"]
