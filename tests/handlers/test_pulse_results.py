"""The anonymity maths of pulse results: thresholds, complementary suppression and eNPS."""

import pytest

from bot.kit.i18n import speaking
from bot.kit.tallies import NO_DEPARTMENT
from handlers.pulse import reading, results
from handlers.pulse.results import AnswerFacts, RunFacts
from handlers.pulse.spec import QuestionSpec

SCALE = QuestionSpec(kind="scale", prompt="How was your week?")
ENPS = QuestionSpec(kind="enps", prompt="Would you recommend us?")
CHOICE = QuestionSpec(kind="choice", prompt="What helps?", options=["Focus", "Pairing"])
TEXT = QuestionSpec(kind="text", prompt="Anything else?")


def test_enps_is_percent_promoters_minus_percent_detractors() -> None:
    assert results.enps([10, 9, 9, 8, 7, 6, 0, 3, 10, 10]) == 20  # (5 - 3) / 10 people
    assert results.enps([9, 10]) == 100
    assert results.enps([0, 6, 5]) == -100
    assert results.enps([7, 8]) == 0  # passives count in the total only
    assert results.enps([9, 6, 7]) == 0
    assert results.enps([9, 9, 6]) == 33  # rounded
    with pytest.raises(ValueError):
        results.enps([])


def test_summaries_give_distribution_mean_and_enps() -> None:
    summary = results.summarise(SCALE, [4, 4, 5, 2, 1])
    assert summary.distribution == {"1": 1, "2": 1, "3": 0, "4": 2, "5": 1}
    assert (summary.n, summary.mean, summary.enps) == (5, 3.2, None)
    nps = results.summarise(ENPS, [10, 9, 0, 7, 8])
    assert (nps.mean, nps.enps) == (6.8, 20)
    assert len(nps.distribution) == 11
    choice = results.summarise(CHOICE, ["Focus", "Focus", "Pairing"])
    assert choice.distribution == {"Focus": 2, "Pairing": 1} and choice.mean is None


def test_a_reader_reads_the_choices_in_their_language_with_the_same_counts() -> None:
    french = {"prompt": "Qu'est-ce qui aide ?", "options": ["Concentration", "Binôme"]}
    asked = QuestionSpec.model_validate({**CHOICE.model_dump(), "translations": {"fr": french}})
    counted = results.summarise(asked, ["Focus", "Focus", "Pairing"])
    with speaking("fr"):
        read = reading.summary(counted, asked)
        assert read is not None and read.distribution == {"Concentration": 2, "Binôme": 1}
        assert reading.question(asked).prompt == "Qu'est-ce qui aide ?"
    with speaking("de"):  # no German texts: the survey's own
        assert reading.summary(counted, asked) == counted
        assert reading.question(asked).prompt == "What helps?"


def test_the_threshold_defaults_to_the_setting_but_never_goes_below_three() -> None:
    assert results.threshold(5) == 5
    assert results.threshold(8) == 8
    assert results.threshold(2) == 3
    assert results.threshold(0) == 3
    assert results.shown(SCALE, [4, 4, 4, 4], 5) is None
    assert results.shown(SCALE, [4, 4, 4, 4, 4], 5) is not None
    # A threshold configured at 1 still hides two answers.
    assert results.shown(SCALE, [1, 5], 1) is None
    assert results.shown(SCALE, [1, 5, 3], 1) is not None


def test_a_lone_small_group_takes_the_smallest_other_group_with_it() -> None:
    # Total 13 is shown; Ops (2) alone could be recovered as 13 - 6 - 5.
    assert results.suppressed({"Engineering": 6, "Sales": 5, "Ops": 2}, 5) == {"Ops", "Sales"}


def test_hidden_groups_that_add_up_to_a_small_group_hide_one_more() -> None:
    # Ops (1) and Legal (2) are both hidden, but together they are 3 < 5: recoverable as a
    # pair, so the smallest shown group (HR, 5) is hidden too.
    hidden = results.suppressed({"Eng": 9, "HR": 5, "Ops": 1, "Legal": 2}, 5)
    assert hidden == {"Ops", "Legal", "HR"}


def test_groups_all_above_the_threshold_are_all_shown() -> None:
    assert results.suppressed({"Eng": 9, "HR": 5, "Sales": 7}, 5) == set()


def test_when_every_group_is_small_all_are_hidden() -> None:
    assert results.suppressed({"A": 2, "B": 1}, 5) == {"A", "B"}
    assert results.suppressed({"A": 4}, 5) == {"A"}


def test_one_large_group_is_not_hidden_for_lack_of_a_partner() -> None:
    # A single group is the total itself: nothing to subtract from.
    assert results.suppressed({"Eng": 8}, 5) == set()


def test_no_shown_group_can_be_used_to_recover_a_hidden_one() -> None:
    counts = {"A": 12, "B": 6, "C": 5, "D": 4, "E": 1, "F": 7}
    hidden = results.suppressed(counts, 5)
    total = sum(counts.values())
    recovered = total - sum(n for name, n in counts.items() if name not in hidden)
    assert len(hidden) >= 2 and recovered >= 5
    assert all(counts[name] >= 5 for name in counts if name not in hidden)


def test_breakdown_marks_hidden_groups_as_not_enough_responses() -> None:
    groups = results.breakdown(SCALE, {"Engineering": [4] * 6, "Sales": [2] * 5, "Ops": [1, 1]}, 5)
    assert [(g.name, g.summary is None) for g in groups] == [
        ("Engineering", False),
        ("Ops", True),
        ("Sales", True),
    ]
    assert groups[0].summary is not None and groups[0].summary.mean == 4.0


def test_participation_is_a_whole_percent() -> None:
    assert results.participation(13, 14) == 93
    assert results.participation(0, 10) == 0
    assert results.participation(0, 0) is None


def test_themes_are_words_shared_by_several_comments() -> None:
    comments = ["Fewer meetings please", "meetings run long", "more focus time", "focus!"]
    assert results.themes(comments) == [("focus", 2), ("meetings", 2)]
    assert results.themes(["only one person said this"]) == []


@pytest.mark.parametrize(
    ("comments", "theme"),
    [
        (["Moins de réunions", "Les réunions sont longues", "Une réunion le lundi"], "réunions"),
        (
            ["Weniger Besprechungen", "Die Besprechung dauert", "Besprechungen am Montag"],
            "besprechungen",
        ),
        (["Menos reuniones", "Las reuniones son largas", "Una reunión cada día"], "reuniones"),
        (["会議が多すぎる", "会議室が足りない", "長い会議"], "会議"),
    ],
)
def test_themes_read_each_language_with_its_own_words(comments: list[str], theme: str) -> None:
    # Plural and singular are one theme, shown as the form most often written.
    assert results.themes(comments)[0] == (theme, 3)


def test_themes_across_languages_merge_shared_words_but_never_translations() -> None:
    comments = [
        "The training budget is too small",
        "Le budget de formation est trop petit",
        "Fewer meetings on Mondays",
        "Moins de réunions le lundi",
        "The démo on Friday was great",
        "La demo du vendredi était super",
    ]
    found = dict(results.themes(comments, "en", limit=10))
    assert found == {"budget": 2, "demo": 2}  # meetings and réunions: one comment each


def test_one_word_is_one_theme_even_where_a_short_comment_is_read_in_another_language() -> None:
    # Mostly French: "on" is French as well as English, so the first English comment is
    # read as French and its "meetings" stemmed the French way; the word is still the same.
    comments = [
        "Des réunions plus courtes",
        "Fewer meetings on Mondays",
        "Moins de réunions le lundi",
        "Too many Slack pings during meetings",
        "Trop de messages Slack pendant les réunions",
    ]
    assert results.themes(comments) == [("réunions", 3), ("meetings", 2), ("slack", 2)]


def runs(*closed: bool) -> list[RunFacts]:
    return [RunFacts(f"2027-01-{4 + 7 * i:02d}", 10, 6, done) for i, done in enumerate(closed)]


def test_report_covers_the_latest_closed_run_and_trends_across_runs() -> None:
    answers = [AnswerFacts(0, 0, "Eng", 3, None) for _ in range(5)]
    answers += [AnswerFacts(1, 0, "Eng", 2, None) for _ in range(2)]  # too few that week
    answers += [AnswerFacts(2, 0, "Eng", 5, None) for _ in range(6)]
    answers += [AnswerFacts(3, 0, "Eng", 1, None) for _ in range(6)]  # still open
    report = results.report(
        [SCALE], runs(True, True, True, False), answers, scores_min=5, comments_min=5
    )
    assert report.run is not None and report.run.label == "2027-01-18"
    assert report.open_run is not None and report.open_run.label == "2027-01-25"
    assert report.participation == 60
    [question] = report.questions
    assert question.summary is not None and question.summary.mean == 5.0
    assert [(label, s.mean if s else None) for label, s in question.trend] == [
        ("2027-01-04", 3.0),
        ("2027-01-11", None),
        ("2027-01-18", 5.0),
    ]


def test_open_runs_show_no_numbers() -> None:
    answers = [AnswerFacts(0, 0, "Eng", 4, None) for _ in range(8)]
    report = results.report([SCALE], runs(False), answers, scores_min=5, comments_min=5)
    assert report.run is None and report.questions == [] and report.participation is None


def test_comments_have_their_own_threshold() -> None:
    answers = [AnswerFacts(0, 0, "Eng", 4, None) for _ in range(5)]
    answers += [AnswerFacts(0, 1, "Eng", None, f"comment {i}") for i in range(5)]
    report = results.report([SCALE, TEXT], runs(True), answers, scores_min=5, comments_min=6)
    scores, comments = report.questions
    assert scores.summary is not None and comments.comments is None
    report = results.report([SCALE, TEXT], runs(True), answers, scores_min=6, comments_min=5)
    scores, comments = report.questions
    assert scores.summary is None and comments.comments == [f"comment {i}" for i in range(5)]


def test_export_has_aggregates_of_closed_runs_only_under_the_same_rules() -> None:
    answers = [AnswerFacts(0, 0, "Eng", 4, None) for _ in range(6)]
    answers += [AnswerFacts(0, 0, "Ops", 1, None) for _ in range(2)]
    answers += [AnswerFacts(0, 1, "Eng", None, "a comment") for _ in range(9)]
    answers += [AnswerFacts(1, 0, "Eng", 5, None) for _ in range(9)]  # open run: left out
    rows = results.export_rows([SCALE, TEXT], runs(True, False), answers, 5)
    assert [results.csv_row(row) for row in rows] == [
        ("2027-01-04", SCALE.prompt, "all", "8", "3.25", "", "1:2 2:0 3:0 4:6 5:0"),
        # Eng alone would reveal Ops by subtraction: both hidden.
        ("2027-01-04", SCALE.prompt, "Eng", "not enough responses", "", "", ""),
        ("2027-01-04", SCALE.prompt, "Ops", "not enough responses", "", "", ""),
    ]


def test_answers_without_a_department_group_under_the_kit_key() -> None:
    answers = [AnswerFacts(0, 0, dept, 4, None) for dept in ("Eng", "") for _ in range(5)]
    report = results.report(
        [SCALE], runs(True), answers, scores_min=5, comments_min=5, by_department=True
    )
    [question] = report.questions
    assert {g.name for g in question.groups} == {"Eng", NO_DEPARTMENT}
