"""A survey's results in their reader's language: the one place that picks which texts
(title, prompts, option labels) the results, the export, the digest, the dashboard, the home
tab and `/pulse mine` show.

Each of them is written in the language being spoken (bot.kit.i18n.current): the asker's in
chat, the workspace's in a channel post or the digest, the page's on the dashboard. The texts
come from that language where HR wrote them, else from the survey's own (`SurveySpec.read_in`).
Answers are counted against the survey's own texts (a choice is stored as its option in the
survey's language), so only the words change here: numbers, order and counts stay as counted.
"""

from dataclasses import replace

from bot.kit.i18n import current
from handlers.pulse.results import ExportRow, QuestionReport, Report, Summary
from handlers.pulse.spec import QuestionSpec, SurveySpec
from handlers.pulse.tables import PulseSurvey


def title(found: PulseSurvey) -> str:
    """The survey's title as its reader reads it."""
    return title_of(SurveySpec.model_validate(found.spec))


def title_of(spec: SurveySpec) -> str:
    """`title`, for a caller that has read the survey's spec already."""
    return spec.read_in(current()).title


def question(asked: QuestionSpec) -> QuestionSpec:
    """`asked` (the survey's own) with its prompt and options as its reader reads them."""
    return asked.read_in(current())


def choice(asked: QuestionSpec, stored: str) -> str:
    """A choice as stored (its option in the survey's own language) as its reader reads it."""
    if stored not in asked.options:
        return stored
    return question(asked).options[asked.options.index(stored)]


def summary(counted: Summary | None, asked: QuestionSpec) -> Summary | None:
    """`counted` (answers to `asked`, the survey's own question) with each choice named as
    its reader reads it; the counts stay as they are."""
    if counted is None or asked.kind != "choice":
        return counted
    return replace(
        counted,
        distribution={choice(asked, label): n for label, n in counted.distribution.items()},
    )


def report(outcome: Report) -> Report:
    return replace(outcome, questions=[_part(part) for part in outcome.questions])


def _part(part: QuestionReport) -> QuestionReport:
    asked = part.question
    return replace(
        part,
        question=question(asked),
        summary=summary(part.summary, asked),
        groups=[replace(group, summary=summary(group.summary, asked)) for group in part.groups],
        trend=[(label, summary(shown, asked)) for label, shown in part.trend],
    )


def export_row(row: ExportRow) -> ExportRow:
    return replace(row, question=question(row.question), summary=summary(row.summary, row.question))
