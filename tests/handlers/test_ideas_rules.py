"""Ideas rules without chat: parsing what was typed and the local text similarity."""

from datetime import UTC, datetime

import pytest

from bot.contract.errors import UserError
from bot.kit.i18n import speaking
from handlers.ideas import similarity
from handlers.ideas.parsing import (
    Submission,
    campaign_ref,
    idea_ref,
    parse_campaign,
    parse_submission,
)
from handlers.ideas.rules import TITLE_MAX, IdeaRefused, check_submission, from_message
from handlers.ideas.stages import typed_stage

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "title", "details"),
    [
        ("Standing desks — for the second floor", "Standing desks", "for the second floor"),
        ("Standing desks – for the second floor", "Standing desks", "for the second floor"),
        ("Standing desks - for - everyone", "Standing desks", "for - everyone"),
        ("Standing desks -- more", "Standing desks", "more"),
        ("Self-service   expense reports", "Self-service expense reports", ""),
        ("— only details", "", "only details"),
        ("", "", ""),
    ],
)
def test_submissions_split_at_the_first_spaced_dash(text: str, title: str, details: str) -> None:
    submission = parse_submission(text)
    assert (submission.title, submission.details) == (title, details)


@pytest.mark.parametrize(
    ("text", "title", "details"),
    [
        ("Standing desks: for the second floor", "Standing desks", "for the second floor"),
        # The full-width colon of Chinese and Japanese, with or without a space after it.
        ("駐輪場の増設：自転車通勤が増えています", "駐輪場の増設", "自転車通勤が増えています"),
        ("駐輪場の増設： 自転車通勤", "駐輪場の増設", "自転車通勤"),
        # A colon between two words splits even when nobody typed the space.
        ("Standing desks:for the second floor", "Standing desks", "for the second floor"),
        ("Vélos:un abri couvert", "Vélos", "un abri couvert"),
        # Times, ratios and links keep their colon in the title.
        ("Stand-up at 9:30 instead of 10", "Stand-up at 9:30 instead of 10", ""),
        ("A 4:1 ratio of desks", "A 4:1 ratio of desks", ""),
        ("Wiki at https://wiki.example", "Wiki at https://wiki.example", ""),
    ],
)
def test_submissions_split_at_the_first_colon_in_any_script(
    text: str, title: str, details: str
) -> None:
    submission = parse_submission(text)
    assert (submission.title, submission.details) == (title, details)


def test_a_stage_is_typed_in_english_or_in_the_language_spoken() -> None:
    assert typed_stage("under-review") == "under_review"
    with speaking("fr"):
        assert typed_stage("Prévue") == "planned"
        assert typed_stage("in progress") == "in_progress"
        with pytest.raises(UserError, match="n'est pas une étape"):
            typed_stage("bientôt")
    with speaking("ja"):
        assert typed_stage("検討中") == "under_review"
    with speaking("de"):
        assert typed_stage("in Arbeit") == "in_progress"


def test_a_short_title_is_counted_by_what_its_characters_say() -> None:
    assert check_submission(Submission("駐輪場の増設", ""), 10).title == "駐輪場の増設"
    with pytest.raises(IdeaRefused, match="a little short"):
        check_submission(Submission("Bikes", ""), 10)
    with pytest.raises(IdeaRefused, match="a little short"):
        check_submission(Submission("駐輪場", ""), 10)


def test_idea_and_campaign_numbers() -> None:
    assert idea_ref("#12") == 12 and idea_ref("12") == 12
    assert campaign_ref("c3") == 3 and campaign_ref("C3") == 3 and campaign_ref("3") == 3
    with pytest.raises(UserError, match="not an idea number"):
        idea_ref("#twelve")
    with pytest.raises(UserError, match="not a campaign number"):
        campaign_ref("campaign")


def test_a_date_deadline_closes_at_the_end_of_that_day_in_the_workspace_zone() -> None:
    request = parse_campaign('"Cut onboarding time?" 2027-02-01', "America/New_York", NOW)
    assert request.question == "Cut onboarding time?"
    assert request.closes_at == datetime(2027, 2, 2, 5, 0, tzinfo=UTC)
    timed = parse_campaign('"Cut onboarding time?" 2027-02-01 17:30', "Europe/London", NOW)
    assert timed.question == "Cut onboarding time?"
    assert timed.closes_at == datetime(2027, 2, 1, 17, 30, tzinfo=UTC)


def test_similarity_prefers_the_same_topic_and_is_deterministic() -> None:
    documents = [
        "Shorter onboarding checklist: keep the ten items that matter",
        "Bike parking in the garage",
        "Free coffee on Mondays",
    ]
    query = "Our onboarding checklists are far too long"
    scores = similarity.scores(query, documents)
    assert scores == similarity.scores(query, documents)
    assert scores[0] > 0.2
    assert scores[1] == 0.0 and scores[2] == 0.0


def test_similarity_ignores_stop_words_and_folds_plurals() -> None:
    assert similarity.tokens("The meetings we have") == ["meet"]
    assert similarity.tokens("a meeting") == ["meet"]
    assert similarity.scores("", ["anything at all"]) == [0.0]
    assert similarity.scores("Quiet Fridays", ["Quiet fridays!"]) == [pytest.approx(1.0)]


def test_a_message_becomes_an_idea_by_its_first_line() -> None:
    idea = from_message("Shared offsite calendar\n\nIt would stop <b>double</b> bookings\n")
    assert (idea.title, idea.details) == (
        "Shared offsite calendar",
        "It would stop ‹b›double‹/b› bookings",
    )
    long_line = "word " * 100
    idea = from_message(long_line)
    assert len(idea.title) == TITLE_MAX and idea.title.endswith("…")
    assert idea.details == long_line.strip()
    with pytest.raises(UserError, match="no text"):
        from_message("  \n ")
