"""What pulse surveys look like in chat, as neutral UI."""

import csv
import io
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.contract.ui import (
    Actions,
    Block,
    Button,
    Context,
    Divider,
    Form,
    Header,
    Input,
    Message,
    Option,
    Section,
)
from bot.kit.i18n import SHIPPED, current, language_name
from bot.kit.wording import counted
from handlers.pulse.chart import trend_pngs
from handlers.pulse.responses import Receipt, shown
from handlers.pulse.results import CSV_HEADER, GroupResult, QuestionReport, Report, Summary
from handlers.pulse.spec import SCHEDULE_HELP, QuestionSpec, SurveySpec
from handlers.pulse.tables import PulseAnswer, PulseRun, PulseSurvey

NOT_ENOUGH = "not enough responses"


def help_notes(scores: int, comments: int) -> str:
    return f"Groups smaller than {scores} answers ({comments} for comments) are never shown."


def when(moment: datetime, timezone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(timezone)):%a %d %b %H:%M %Z}"


def _languages() -> list[Option]:
    return [Option(value=code, label=language_name(code, own=True)) for code in SHIPPED]


def new_form(timezone: str, close_after_days: int, language: str) -> Form:
    return Form(
        form_id="pulse.new",
        title="New pulse survey",
        submit_label="Create",
        inputs=[
            Input(name="title", label="Title", max_length=200),
            Input(
                name="questions",
                label="Questions, one per line: scale:, enps:, choice: (options after |) or text:",
                kind="textarea",
                placeholder="scale: How was your week?\nchoice: What helps most? | Focus | Pairing",
            ),
            Input(
                name="audience",
                label="Audience: everyone, #channel, or departments: A, B",
                initial="everyone",
            ),
            Input(name="schedule", label="Schedule", initial="once", placeholder=SCHEDULE_HELP),
            Input(name="timezone", label="Time zone", initial=timezone),
            Input(
                name="anonymous",
                label="Anonymous?",
                kind="select",
                options=[Option(value="yes", label="Yes"), Option(value="no", label="No")],
                initial="yes",
            ),
            Input(
                name="reminders",
                label="Reminders (anonymous surveys)",
                kind="select",
                options=[
                    Option(value="targeted", label="Targeted: only to who has not answered"),
                    Option(value="strict", label="Strict: to everyone; no record of who answered"),
                ],
                initial="targeted",
            ),
            Input(
                name="close",
                label="Close after (days)",
                kind="number",
                initial=str(close_after_days),
            ),
            Input(
                name="language",
                label="Language the survey is written in (`/pulse translate` adds more)",
                kind="select",
                options=_languages(),
                initial=language,
            ),
        ],
    )


def translate_form(survey: PulseSurvey, spec: SurveySpec, language: str) -> Form:
    """The survey's texts in one more language, filled with what is written in it so far;
    each placeholder is the survey's own text, line for line."""
    written = spec.read_in(language) if language in spec.languages else None
    return Form(
        form_id="pulse.translate",
        title=f"Survey #{survey.id} in {language_name(language, own=True)}",
        submit_label="Save",
        metadata=f"{survey.id}:{language}",
        inputs=[
            Input(
                name="title",
                label="Title",
                max_length=200,
                placeholder=spec.title,
                initial=written.title if written else "",
                required=False,
            ),
            Input(
                name="questions",
                label="Questions, one per line in the same order; a choice's options after |",
                kind="textarea",
                placeholder="\n".join(_line(q) for q in spec.questions),
                initial="\n".join(_line(q) for q in written.questions) if written else "",
                required=False,
            ),
        ],
    )


def _line(question: QuestionSpec) -> str:
    return " | ".join([question.prompt, *question.options])


def translated(survey: PulseSurvey, spec: SurveySpec, language: str) -> str:
    name = language_name(language)
    if language not in spec.languages:
        return f"Pulse survey #{survey.id} “{survey.title}” no longer has texts in {name}."
    spoken = ", ".join(language_name(code) for code in spec.languages)
    return (
        f"Pulse survey #{survey.id} “{survey.title}” now has its texts in {name} too. People "
        f"read it in their language where it is one of these: {spoken}; the others read "
        f"{language_name(spec.language)}."
    )


TARGETED = (
    "Anonymous: your answers are stored without your name and shown only in groups. Until "
    "the survey closes I note who has answered (never what), to remind only the others."
)
STRICT = (
    "Anonymous, strict: your answers are stored without your name and shown only in groups, "
    "and I keep no record of who answered, so reminders go to everyone. Keep this message: "
    "its buttons are your only way to answer."
)


def _privacy(survey: PulseSurvey, spec: SurveySpec) -> str:
    if spec.strict:
        return STRICT
    if survey.anonymous:
        return TARGETED
    return "Attributed: your answers are stored with your name."


def _buttons(run: PulseRun, index: int, question: QuestionSpec, ticket: str) -> Actions:
    ref = f"{run.id}:{index}"
    if question.kind == "text":
        value = f"{ref}::{ticket}" if ticket else ref
        write = Button(action_id="pulse.write", label="Write an answer", value=value)
        return Actions(elements=[write])
    if question.kind == "choice":
        labels = list(enumerate(question.options))
    else:
        low, high = (1, 5) if question.kind == "scale" else (0, 10)
        labels = [(n, str(n)) for n in range(low, high + 1)]
    return Actions(
        elements=[
            Button(action_id="pulse.answer", label=label, value=_value(ref, value, ticket))
            for value, label in labels
        ]
    )


def _value(ref: str, value: int, ticket: str) -> str:
    return f"{ref}:{value}:{ticket}" if ticket else f"{ref}:{value}"


def _hint(question: QuestionSpec) -> str:
    return {
        "scale": " (1 = very poor, 5 = excellent)",
        "enps": " (0 = not at all likely, 10 = extremely likely)",
    }.get(question.kind, "")


def invitation(
    survey: PulseSurvey,
    spec: SurveySpec,
    run: PulseRun,
    timezone: str,
    ticket: str = "",
    answered: Mapping[int, str] | None = None,
) -> Message:
    """The survey with its answer buttons; a strict survey's carry the invitee's ticket.

    With `answered` (question index to the answer shown, "" for one stored without a name),
    it is the card after some answers: those questions show their answer instead of buttons,
    and a line says what is left.
    """
    spec = spec.read_in(current())
    head = f"📋 Pulse survey: {spec.title}. Open until {when(run.closes_at, timezone)}."
    done = answered or {}
    blocks: list[Block] = [Section(text=head)]
    for index, question in enumerate(spec.questions):
        blocks.append(Section(text=f"{index + 1}. {question.prompt}{_hint(question)}"))
        if index in done:
            blocks.append(Context(texts=[_your_answer(done[index])]))
        else:
            blocks.append(_buttons(run, index, question, ticket))
    if answered is not None:
        blocks.append(Context(texts=[progress(len(done), len(spec.questions))]))
    blocks.append(Context(texts=[_privacy(survey, spec)]))
    return Message(text=head, blocks=blocks)


def _your_answer(answer: str) -> str:
    if not answer:
        return "✓ Answered (stored without your name, so not shown here)"
    return f"✓ Your answer: {answer}"


def progress(answered: int, questions: int) -> str:
    left = questions - answered
    if not left:
        return "All answered. Thank you!"
    return f"{answered} of {counted(questions, 'question')} answered, {left} left."


def reminder(survey: PulseSurvey, spec: SurveySpec, run: PulseRun, timezone: str) -> Message:
    message = invitation(survey, spec, run, timezone)
    text = (
        f"⏰ Reminder: the pulse survey “{spec.read_in(current()).title}” is open until "
        f"{when(run.closes_at, timezone)}. A minute of your time helps. "
        "(`/pulse optout` stops reminders.)"
    )
    return Message(text=text, blocks=[Section(text=text), *message.blocks[1:]])


def strict_reminder(spec: SurveySpec, run: PulseRun, timezone: str) -> Message:
    """To everyone invited: nobody knows who has answered, so it is worded for both."""
    text = (
        f"⏰ Reminder: the pulse survey “{spec.read_in(current()).title}” is open until "
        f"{when(run.closes_at, timezone)}. If you have already answered, thank you! If not, "
        "please use the buttons in the survey message I sent you: I keep no record of who "
        "has answered, so this reminder goes to everyone. (`/pulse optout` stops reminders.)"
    )
    return Message(text=text, blocks=[Section(text=text)])


def receipt(done: Receipt) -> str:
    private = " It carries no name." if done.anonymous else ""
    recorded = f"Thanks, your answer to question {done.index + 1} is recorded.{private}"
    if done.answered is None:  # strict: nobody counts what this person answered
        return recorded
    left = done.questions - done.answered
    plural = "s" if left != 1 else ""
    more = f" {left} question{plural} left." if left else " That's all, thank you!"
    return f"{recorded}{more}"


def text_form(question: QuestionSpec, ref: str, limit: int) -> Form:
    return Form(
        form_id="pulse.text",
        title="Your answer",
        metadata=ref,
        inputs=[
            Input(
                name="answer",
                label=question.read_in(current()).prompt,
                kind="textarea",
                max_length=limit,
            )
        ],
    )


def created(survey: PulseSurvey, spec: SurveySpec, first: datetime | None, size: int) -> str:
    first_text = f" First run: {when(first, spec.timezone)}." if first else ""
    privacy = "anonymous" if survey.anonymous else "attributed"
    if spec.strict:
        privacy += " (strict: no record of who answered)"
    return (
        f"Pulse survey #{survey.id} “{survey.title}” is scheduled ({spec.schedule.text}, "
        f"{spec.timezone}) for {spec.audience.describe()}: "
        f"{counted(len(spec.questions), 'question')}, {privacy}, closes "
        f"{counted(spec.close_after_days, 'day')} after each run opens.{first_text} "
        f"{audience_now(size)}"
    )


def audience_now(size: int) -> str:
    return f"It goes to {counted(size, 'person', 'people')} as of now."


def closed_notice(survey: PulseSurvey, run: PulseRun) -> str:
    return (
        f"Pulse survey #{survey.id} “{survey.title}” has closed: {run.responded} of "
        f"{counted(run.invited, 'person', 'people')} answered. `/pulse results {survey.id}` "
        "shows the results."
    )


def survey_list(surveys: list[PulseSurvey]) -> str:
    if not surveys:
        return "No pulse surveys yet. `/pulse new` creates one."
    lines = [
        f"#{s.id} {s.title}: {s.spec['schedule']['text']}, {_kind(s)}, "
        f"{'active' if s.active else 'stopped'}"
        for s in surveys
    ]
    return "Pulse surveys:\n" + "\n".join(lines)


def _kind(survey: PulseSurvey) -> str:
    if not survey.anonymous:
        return "attributed"
    return "anonymous, strict" if survey.spec.get("reminders") == "strict" else "anonymous"


def _summary(summary: Summary | None, question: QuestionSpec) -> str:
    if summary is None:
        return NOT_ENOUGH
    parts = [counted(summary.n, "answer")]
    if summary.enps is not None:
        parts.append(f"eNPS {summary.enps:+d}")
    if summary.mean is not None:
        parts.append(f"mean {summary.mean:.2f}")
    if question.kind != "enps":
        parts.append(" ".join(f"{k}: {v}" for k, v in summary.distribution.items()))
    return ", ".join(parts)


def _groups(groups: list[GroupResult], question: QuestionSpec) -> list[str]:
    return [f"  {g.name}: {_summary(g.summary, question)}" for g in groups]


def _question(index: int, part: QuestionReport, by_department: bool) -> list[str]:
    question = part.question
    lines = [f"{index}. {question.prompt}"]
    if question.kind == "text":
        if part.comments is None:
            lines.append(f"  comments: {NOT_ENOUGH}")
            return lines
        if part.themes:
            lines.append("  themes: " + ", ".join(part.themes))
        lines.extend(f"  “{c}”" for c in part.comments)
        return lines
    lines.append("  " + _summary(part.summary, question))
    if by_department:
        lines.extend(_groups(part.groups, question) if part.summary else [])
    if len(part.trend) > 1:
        points = []
        for label, summary in part.trend:
            if summary is None:
                points.append(f"{label} –")
            elif summary.enps is not None:
                points.append(f"{label} {summary.enps:+d}")
            elif summary.mean is not None:
                points.append(f"{label} {summary.mean:.2f}")
            else:
                points.append(f"{label} n={summary.n}")
        lines.append("  trend: " + " → ".join(points))
    return lines


def results(
    survey: PulseSurvey, outcome: Report, by_department: bool, share_in: str = ""
) -> Message:
    """The results; with `share_in`, a button that posts them in that channel."""
    head = f"Results of pulse survey #{survey.id} “{survey.title}”"
    lines: list[str] = []
    if outcome.open_run is not None:
        live = outcome.open_run
        lines.append(
            f"Run of {live.label} is open: {live.responded} of {live.invited} answered so far. "
            "Its results appear when it closes."
        )
    if outcome.run is None:
        lines.append("No run has closed yet.")
    else:
        run = outcome.run
        rate = "–" if outcome.participation is None else f"{outcome.participation}%"
        lines.append(
            f"Run of {run.label}: {run.responded} of {run.invited} answered (participation {rate})."
        )
        if by_department:
            lines.append("By department (groups too small to show: not enough responses).")
        for index, part in enumerate(outcome.questions, start=1):
            lines.extend(_question(index, part, by_department))
    text = head + "\n" + "\n".join(lines)
    blocks = _results_card(head, outcome, by_department)
    if share_in and outcome.run is not None:
        grouping = "department" if by_department else ""
        share = Button(
            action_id="pulse.share",
            label=f"Post in #{share_in}",
            value=f"{survey.id}:{share_in}:{grouping}",
        )
        blocks.append(Actions(elements=[share]))
    return Message(text=text, blocks=blocks, attachments=trend_pngs(survey.title, outcome))


def _results_card(head: str, outcome: Report, by_department: bool) -> list[Block]:
    """The same results as a card: a header, the run's figures as fields, then each question
    under a divider, its prompt in bold."""
    blocks: list[Block] = [Header(text=head)]
    if outcome.open_run is not None:
        live = outcome.open_run
        blocks.append(
            Context(
                texts=[
                    f"Run of {live.label} is open: {live.responded} of {live.invited} answered "
                    "so far. Its results appear when it closes."
                ]
            )
        )
    if outcome.run is None:
        return [*blocks, Section(text="No run has closed yet.")]
    run = outcome.run
    rate = "–" if outcome.participation is None else f"{outcome.participation}%"
    figures = [
        f"Run: {run.label}",
        f"Answered: {run.responded} of {run.invited}",
        f"Participation: {rate}",
    ]
    blocks.append(Section(text="", fields=figures))
    if by_department:
        blocks.append(
            Context(texts=[f"By department; a group too small to show reads “{NOT_ENOUGH}”."])
        )
    for index, part in enumerate(outcome.questions, start=1):
        prompt, *details = _question(index, part, by_department)
        body = "\n".join([f"*{prompt}*", *(line.strip() for line in details)])
        blocks.extend([Divider(), Section(text=body)])
    return blocks


def export(survey: PulseSurvey, rows: list[tuple[str, ...]]) -> str:
    """Aggregated results as CSV text (quoted where needed), ready to paste into a sheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(rows)
    head = f"Pulse survey #{survey.id} “{survey.title}”, aggregated results:"
    return f"{head}\n```\n{buffer.getvalue()}```"


def own_answers(survey: PulseSurvey, rows: list[tuple[PulseRun, PulseAnswer]]) -> str:
    if not rows:
        return f"You have no recorded answers to pulse survey #{survey.id}."
    spec = SurveySpec.model_validate(survey.spec)
    lines = [
        f"{run.period[:10]} · {spec.questions[a.question].prompt}: {shown(a)}" for run, a in rows
    ]
    return f"Your answers to “{survey.title}”:\n" + "\n".join(lines)
