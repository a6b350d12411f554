"""Pulse survey specs and delivery times: schedule phrases, question lines, working hours."""

from datetime import UTC, datetime, time
from typing import Any

import pytest
from pydantic import ValidationError

from bot.models import Person
from bot.time.triggers import first_fire, make_trigger, next_fire
from handlers.pulse.delivery import parse_hours, working_moment
from handlers.pulse.spec import (
    QuestionSpec,
    SurveySpec,
    parse_audience,
    parse_questions,
    parse_schedule,
)

NINE_TO_FIVE = (time(9), time(17))


def fires(phrase: str, start: datetime, count: int, zone: str = "Europe/London") -> list[str]:
    trigger = make_trigger(parse_schedule(phrase)["trigger"], zone)
    moment = first_fire(trigger, start)
    found = []
    while moment is not None and len(found) < count:
        found.append(moment.isoformat())
        moment = next_fire(trigger, moment)
    return found


def test_schedule_phrases_become_triggers_in_the_survey_time_zone() -> None:
    start = datetime(2027, 1, 1, tzinfo=UTC)  # a Friday
    assert fires("weekly on wed at 09:30", start, 2) == [
        "2027-01-06T09:30:00+00:00",
        "2027-01-13T09:30:00+00:00",
    ]
    assert fires("monthly on day 15 at 14:00", start, 2, "America/New_York") == [
        "2027-01-15T14:00:00-05:00",
        "2027-02-15T14:00:00-05:00",
    ]
    assert fires("monthly on the first monday at 10:00", start, 3) == [
        "2027-01-04T10:00:00+00:00",
        "2027-02-01T10:00:00+00:00",
        "2027-03-01T10:00:00+00:00",
    ]
    assert fires("monthly on the last fri", start, 1) == ["2027-01-29T10:00:00+00:00"]
    assert fires("cron 30 8 * * tue", start, 1) == ["2027-01-05T08:30:00+00:00"]
    assert fires("once on 2027-03-29 at 10:00", start, 2) == ["2027-03-29T10:00:00+01:00"]
    assert parse_schedule("Every 3 weeks on Thursday at 11:15")["every_weeks"] == 3


@pytest.mark.parametrize(
    "phrase",
    [
        "fortnightly",
        "weekly on funday",
        "every 20 weeks",
        "monthly on day 31",
        "cron 1 2 3",
        "weekly at 25:00",
        "cron 99 * * * *",
    ],
)
def test_bad_schedule_phrases_are_refused(phrase: str) -> None:
    with pytest.raises((ValueError, ValidationError)):
        SurveySpec.model_validate(
            {
                "title": "Pulse",
                "questions": [{"kind": "text", "prompt": "Hmm?"}],
                "audience": "everyone",
                "schedule": phrase,
            }
        )


def test_question_lines_and_audiences() -> None:
    assert parse_questions(
        "scale: How?\nNPS: Recommend?; choice: Pick | A | B\n\ncomment: More?"
    ) == [
        {"kind": "scale", "prompt": "How?", "options": []},
        {"kind": "enps", "prompt": "Recommend?", "options": []},
        {"kind": "choice", "prompt": "Pick", "options": [" A ", " B"]},
        {"kind": "text", "prompt": "More?", "options": []},
    ]
    with pytest.raises(ValueError, match="question 1 needs a kind"):
        parse_questions("How was your week?")
    assert parse_audience("Everyone") == {"kind": "everyone"}
    assert parse_audience("#design") == {"kind": "channel", "channel": "design"}
    assert parse_audience("dept: Sales, People") == {
        "kind": "departments",
        "departments": ["Sales", "People"],
    }
    with pytest.raises(ValueError):
        parse_audience("the usual crowd")


def test_channels_in_any_script_and_short_titles_fair_to_cjk() -> None:
    assert parse_audience("#général") == {"kind": "channel", "channel": "général"}
    assert parse_audience("＃開発") == {"kind": "channel", "channel": "開発"}
    assert parse_audience("#dev-ops_2") == {"kind": "channel", "channel": "dev-ops_2"}
    for bad in ("#two words", "#<@U1>", "#"):
        with pytest.raises(ValueError, match="is not a channel name"):
            parse_audience(bad)
    survey = {"questions": [{"kind": "scale", "prompt": "調子は？"}], "audience": "everyone"}
    # Two Chinese or Japanese characters are a word; two Latin letters are not.
    for title in ("調査", "설문", "Q&A"):
        assert SurveySpec.model_validate({**survey, "schedule": "once", "title": title}).title
    for title in ("調", "ab"):
        with pytest.raises(ValidationError, match="at least 3 characters"):
            SurveySpec.model_validate({**survey, "schedule": "once", "title": title})


def test_working_moments_respect_each_zone_weekends_and_dst() -> None:
    london = Person(workspace_id=1, platform_user_id="l", timezone="Europe/London")
    los_angeles = Person(workspace_id=1, platform_user_id="la", timezone="America/Los_Angeles")
    friday_evening = datetime(2027, 3, 26, 17, 30, tzinfo=UTC)  # 17:30 in London (GMT)
    # The weekend is skipped, and Monday 09:00 is already BST.
    assert working_moment(london, friday_evening, NINE_TO_FIVE) == datetime(
        2027, 3, 29, 8, 0, tzinfo=UTC
    )
    monday_morning = datetime(2027, 3, 29, 9, 0, tzinfo=UTC)  # 10:00 BST
    assert working_moment(london, monday_morning, NINE_TO_FIVE) == monday_morning
    assert working_moment(los_angeles, monday_morning, NINE_TO_FIVE) == datetime(
        2027, 3, 29, 16, 0, tzinfo=UTC
    )
    # Their own hours and days come first: Tuesday and Thursday afternoons.
    london.preferences = {"working_hours": {"start": "13:00", "end": "17:00"}, "work_days": [1, 3]}
    assert working_moment(london, monday_morning, NINE_TO_FIVE) == datetime(
        2027, 3, 30, 12, 0, tzinfo=UTC
    )
    assert parse_hours("08:30-16:00") == (time(8, 30), time(16))
    for bad in ("17:00-09:00", "9-5", "09:00"):
        with pytest.raises(ValueError):
            parse_hours(bad)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ({"prompt": "ab"}, "at least 3 characters"),
        ({"prompt": "x" * 301}, "at most 300 characters"),
        ({"prompt": "Lequel ?", "options": ["Oui", " Oui "]}, "options must differ"),
        ({"prompt": "Lequel ?", "options": ["o"] * 11}, "at most 10 items"),
        ({"prompt": "Lequel ?", "colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_a_translation_checks_its_texts_as_the_question_does(
    text: dict[str, Any], problem: str
) -> None:
    question = {"kind": "choice", "prompt": "Which one?", "options": ["Yes", "No"]}
    with pytest.raises(ValidationError, match=problem):
        QuestionSpec.model_validate({**question, **text})
    with pytest.raises(ValidationError, match=problem):
        QuestionSpec.model_validate({**question, "translations": {"fr": text}})


def test_a_translation_is_cleaned_as_the_question_is() -> None:
    text = {"prompt": " Lequel ? ", "options": [" Oui", "", "Non "]}
    question = {"kind": "choice", "prompt": " Which one? ", "options": [" Yes", "", "No "]}
    spec = QuestionSpec.model_validate({**question, "translations": {"fr": text}})
    assert (spec.prompt, spec.options) == ("Which one?", ["Yes", "No"])
    assert (spec.read_in("fr").prompt, spec.read_in("fr").options) == ("Lequel ?", ["Oui", "Non"])
