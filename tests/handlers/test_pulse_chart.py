"""The trend chart PNG attached to pulse results: valid, and drawn from thresholded numbers only."""

import struct

from bot.wiring.assembly import Assembly
from handlers.charts import Series, line_chart, render
from handlers.pulse import results
from handlers.pulse.chart import trend_pngs, trend_series
from handlers.pulse.render import results as results_message
from handlers.pulse.results import AnswerFacts, RunFacts
from handlers.pulse.spec import QuestionSpec
from handlers.pulse.tables import PulseSurvey
from tests.handlers.conftest import Talk

SCALE = QuestionSpec(kind="scale", prompt="How was your week?")
ENPS = QuestionSpec(kind="enps", prompt="Would you recommend us?")
PNG = b"\x89PNG\r\n\x1a\n"
LABELS = ["2027-01-04", "2027-01-11", "2027-01-18"]


def runs(count: int) -> list[RunFacts]:
    return [RunFacts(label, 10, 6, True) for label in LABELS[:count]]


def answers() -> list[AnswerFacts]:
    found = [AnswerFacts(0, 0, "Eng", 3, None) for _ in range(5)]
    found += [AnswerFacts(1, 0, "Eng", 2, None) for _ in range(2)]  # under the threshold
    found += [AnswerFacts(2, 0, "Eng", 5, None) for _ in range(4)]
    found += [AnswerFacts(2, 0, "Ops", 4, None) for _ in range(2)]  # a group under it
    found += [AnswerFacts(r, 1, "Eng", 10, None) for r in (0, 2) for _ in range(6)]
    return found


def size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG) and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_results_of_a_recurring_survey_carry_a_png_trend_chart() -> None:
    report = results.report([SCALE, ENPS], runs(3), answers(), scores_min=5, comments_min=5)
    spec = {
        "title": "Weekly pulse",
        "questions": [q.model_dump() for q in (SCALE, ENPS)],
        "audience": "everyone",
        "schedule": "weekly",
    }
    survey = PulseSurvey(id=1, workspace_id=1, title="Weekly pulse", spec=spec, created_at=None)  # type: ignore[arg-type]
    message = results_message(survey, report, False)
    means, enps = message.attachments
    assert (means.name, means.media_type) == ("pulse-trend.png", "image/png")
    assert enps.name == "pulse-enps-trend.png"
    for file in (means, enps):
        width, height = size(file.data)
        assert 300 < width < 2000 and 150 < height < 1000
        assert len(file.data) > 2000


def test_runs_and_groups_under_the_threshold_are_never_drawn() -> None:
    report = results.report([SCALE], runs(3), answers(), scores_min=5, comments_min=5)
    labels, means, scores = trend_series(report)
    assert labels == LABELS and scores == []
    assert [s.values for s in means] == [[3.0, None, 4.67]]
    (drawn,) = trend_pngs("Weekly pulse", report)
    expected = line_chart(
        "Weekly pulse: mean per run",
        LABELS,
        [Series("1. How was your week?", [3.0, None, 4.67])],
        y_range=(1, 5),
    )
    assert drawn.data == render(expected, "png")
    by_department = results.report(
        [SCALE], runs(3), answers(), scores_min=5, comments_min=5, by_department=True
    )
    assert [g.summary for g in by_department.questions[0].groups] == [None, None]
    assert trend_pngs("Weekly pulse", by_department)[0].data == drawn.data


def test_one_run_has_no_chart() -> None:
    report = results.report([SCALE], runs(1), answers(), scores_min=5, comments_min=5)
    assert trend_pngs("Weekly pulse", report) == []


async def test_hr_sees_the_chart_on_results_of_a_survey_with_two_closed_runs(
    talk: Talk, rapport: Assembly
) -> None:
    handles = ["ann", "bob"] + [f"en{i}" for i in range(1, 5)]
    await talk("\n".join(f"user {h} dept=Engineering tz=Europe/London" for h in handles[2:]))
    await talk(
        "cara in #hr: /pulse new\n"
        'cara submits pulse.new title="Weekly pulse" questions="scale: How was your week?" '
        'audience="departments: Engineering" schedule="weekly on mon at 10:00" '
        "timezone=Europe/London anonymous=yes close=5\n"
        "advance 1h"
    )
    await talk("\n".join(f"{h} clicks pulse.answer 1:0:3" for h in handles) + "\nadvance 7d")
    out = await talk("cara in #hr: /pulse results 1")
    assert "[file:" not in out  # one closed run: no trend yet
    await talk("\n".join(f"{h} clicks pulse.answer 2:0:5" for h in handles) + "\nadvance 6d")
    out = await talk("cara in #hr: /pulse results 1")
    assert "trend: 2027-01-04 3.00 → 2027-01-11 5.00" in out
    assert "[file: pulse-trend.png (image/png," in out
    latest = list(rapport.shell.platform.posted.values())[-1].message
    (chart,) = latest.attachments
    width, height = size(chart.data)
    assert width > 300 and height > 150
