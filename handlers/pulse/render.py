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
from bot.kit.i18n import (
    SHIPPED,
    current,
    format_datetime,
    format_list,
    format_number,
    format_percent,
    language_name,
)
from bot.kit.tallies import department_label
from handlers.pulse import reading
from handlers.pulse.chart import trend_pngs
from handlers.pulse.i18n import _, ngettext
from handlers.pulse.responses import Receipt, shown
from handlers.pulse.results import (
    CSV_HEADER,
    ExportRow,
    GroupResult,
    QuestionReport,
    Report,
    RunFacts,
    Summary,
    csv_row,
)
from handlers.pulse.spec import QuestionSpec, SurveySpec, schedule_help
from handlers.pulse.tables import PulseAnswer, PulseRun, PulseSurvey


def sentences(first: str, *others: str) -> str:
    """Sentences one after the other, as the language writes them (Japanese: no space)."""
    for then in others:
        # Translators: one sentence after another; write "{first}{then}" where sentences
        # follow each other without a space.
        first = _("{first} {then}").format(first=first, then=then)
    return first


def not_enough() -> str:
    return _("not enough responses")


def help_notes(scores: int, comments: int) -> str:
    return ngettext(
        "Groups smaller than {scores} answer ({comments} for comments) are never shown.",
        "Groups smaller than {scores} answers ({comments} for comments) are never shown.",
        scores,
    ).format(scores=format_number(scores), comments=format_number(comments))


def when(moment: datetime, timezone: str) -> str:
    """The day and time in the reader's language, with the zone's abbreviation (`GMT`)."""
    # Translators: a Babel date pattern (EEE weekday, dd day, MMM month, HH:mm time); write
    # the order and separators your language uses, e.g. "EEE d MMM HH:mm".
    pattern = _("EEE dd MMM HH:mm")
    zone = moment.astimezone(ZoneInfo(timezone)).strftime("%Z")
    return f"{format_datetime(moment, pattern, timezone)} {zone}"


def _languages() -> list[Option]:
    return [Option(value=code, label=language_name(code, own=True)) for code in SHIPPED]


def new_form(timezone: str, close_after_days: int, language: str) -> Form:
    return Form(
        form_id="pulse.new",
        title=_("New pulse survey"),
        submit_label=_("Create"),
        inputs=[
            Input(name="title", label=_("Title"), max_length=200),
            Input(
                name="questions",
                label=_(
                    "Questions, one per line: scale:, enps:, choice: (options after |) or text:"
                ),
                kind="textarea",
                placeholder=_(
                    "scale: How was your week?\nchoice: What helps most? | Focus | Pairing"
                ),
            ),
            Input(
                name="audience",
                label=_("Audience: everyone, #channel, or departments: A, B"),
                initial="everyone",
            ),
            Input(
                name="schedule", label=_("Schedule"), initial="once", placeholder=schedule_help()
            ),
            Input(name="timezone", label=_("Time zone"), initial=timezone),
            Input(
                name="anonymous",
                label=_("Anonymous?"),
                kind="select",
                options=[Option(value="yes", label=_("Yes")), Option(value="no", label=_("No"))],
                initial="yes",
            ),
            Input(
                name="reminders",
                label=_("Reminders (anonymous surveys)"),
                kind="select",
                options=[
                    Option(value="targeted", label=_("Targeted: only to who has not answered")),
                    Option(
                        value="strict", label=_("Strict: to everyone; no record of who answered")
                    ),
                ],
                initial="targeted",
            ),
            Input(
                name="close",
                label=_("Close after (days)"),
                kind="number",
                initial=str(close_after_days),
            ),
            Input(
                name="language",
                label=_("Language the survey is written in (`/pulse translate` adds more)"),
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
        title=_("Survey #{id} in {language}").format(
            id=survey.id, language=language_name(language, own=True)
        ),
        submit_label=_("Save"),
        metadata=f"{survey.id}:{language}",
        inputs=[
            Input(
                name="title",
                label=_("Title"),
                max_length=200,
                placeholder=spec.title,
                initial=written.title if written else "",
                required=False,
            ),
            Input(
                name="questions",
                label=_("Questions, one per line in the same order; a choice's options after |"),
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
        return _("Pulse survey #{id} “{title}” no longer has texts in {language}.").format(
            id=survey.id, title=survey.title, language=name
        )
    spoken = format_list((language_name(code) for code in spec.languages), style="or")
    return _(
        "Pulse survey #{id} “{title}” now has its texts in {language} too. People read it in "
        "their language where it is one of these: {languages}; the others read {default}."
    ).format(
        id=survey.id,
        title=survey.title,
        language=name,
        languages=spoken,
        default=language_name(spec.language),
    )


def _privacy(survey: PulseSurvey, spec: SurveySpec) -> str:
    if spec.strict:
        return _(
            "Anonymous, strict: your answers are stored without your name and shown only in "
            "groups, and I keep no record of who answered, so reminders go to everyone. Keep "
            "this message: its buttons are your only way to answer."
        )
    if survey.anonymous:
        return _(
            "Anonymous: your answers are stored without your name and shown only in groups. "
            "Until the survey closes I note who has answered (never what), to remind only the "
            "others."
        )
    return _("Attributed: your answers are stored with your name.")


def _buttons(run: PulseRun, index: int, question: QuestionSpec, ticket: str) -> Actions:
    ref = f"{run.id}:{index}"
    if question.kind == "text":
        value = f"{ref}::{ticket}" if ticket else ref
        write = Button(action_id="pulse.write", label=_("Write an answer"), value=value)
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
    if question.kind == "scale":
        return _(" (1 = very poor, 5 = excellent)")
    if question.kind == "enps":
        return _(" (0 = not at all likely, 10 = extremely likely)")
    return ""


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
    done = {i: reading.choice(spec.questions[i], shown) for i, shown in (answered or {}).items()}
    spec = spec.read_in(current())
    head = _("📋 Pulse survey: {title}. Open until {closes}.").format(
        title=spec.title, closes=when(run.closes_at, timezone)
    )
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
        return _("✓ Answered (stored without your name, so not shown here)")
    return _("✓ Your answer: {answer}").format(answer=answer)


def progress(answered: int, questions: int) -> str:
    left = questions - answered
    if not left:
        return _("All answered. Thank you!")
    return ngettext(
        "{answered} of {count} question answered, {left} left.",
        "{answered} of {count} questions answered, {left} left.",
        questions,
    ).format(
        answered=format_number(answered), count=format_number(questions), left=format_number(left)
    )


def reminder(survey: PulseSurvey, spec: SurveySpec, run: PulseRun, timezone: str) -> Message:
    message = invitation(survey, spec, run, timezone)
    text = _(
        "⏰ Reminder: the pulse survey “{title}” is open until {closes}. A minute of your time "
        "helps. (`/pulse optout` stops reminders.)"
    ).format(title=spec.read_in(current()).title, closes=when(run.closes_at, timezone))
    return Message(text=text, blocks=[Section(text=text), *message.blocks[1:]])


def strict_reminder(spec: SurveySpec, run: PulseRun, timezone: str) -> Message:
    """To everyone invited: nobody knows who has answered, so it is worded for both."""
    text = _(
        "⏰ Reminder: the pulse survey “{title}” is open until {closes}. If you have already "
        "answered, thank you! If not, please use the buttons in the survey message I sent you: "
        "I keep no record of who has answered, so this reminder goes to everyone. "
        "(`/pulse optout` stops reminders.)"
    ).format(title=spec.read_in(current()).title, closes=when(run.closes_at, timezone))
    return Message(text=text, blocks=[Section(text=text)])


def receipt(done: Receipt) -> str:
    if done.anonymous:
        recorded = _(
            "Thanks, your answer to question {number} is recorded. It carries no name."
        ).format(number=done.index + 1)
    else:
        recorded = _("Thanks, your answer to question {number} is recorded.").format(
            number=done.index + 1
        )
    if done.answered is None:  # strict: nobody counts what this person answered
        return recorded
    left = done.questions - done.answered
    if not left:
        more = _("That's all, thank you!")
    else:
        counted = ngettext("{count} question left.", "{count} questions left.", left)
        more = counted.format(count=format_number(left))
    return sentences(recorded, more)


def text_form(question: QuestionSpec, ref: str, limit: int) -> Form:
    return Form(
        form_id="pulse.text",
        title=_("Your answer"),
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


def _questions(count: int) -> str:
    return ngettext("{count} question", "{count} questions", count).format(
        count=format_number(count)
    )


def _people(count: int) -> str:
    return ngettext("{count} person", "{count} people", count).format(count=format_number(count))


def _privacy_word(survey: PulseSurvey, spec: SurveySpec) -> str:
    if spec.strict:
        return _("anonymous (strict: no record of who answered)")
    return _("anonymous") if survey.anonymous else _("attributed")


def created(survey: PulseSurvey, spec: SurveySpec, first: datetime | None, size: int) -> str:
    scheduled = _(
        "Pulse survey #{id} “{title}” is scheduled ({schedule}, {timezone}) for {audience}: "
        "{questions}, {privacy}, closes {days} after each run opens."
    ).format(
        id=survey.id,
        title=survey.title,
        schedule=spec.schedule.text,
        timezone=spec.timezone,
        audience=spec.audience.describe(),
        questions=_questions(len(spec.questions)),
        privacy=_privacy_word(survey, spec),
        days=ngettext("{count} day", "{count} days", spec.close_after_days).format(
            count=format_number(spec.close_after_days)
        ),
    )
    if first is None:
        return sentences(scheduled, audience_now(size))
    first_run = _("First run: {moment}.").format(moment=when(first, spec.timezone))
    return sentences(scheduled, first_run, audience_now(size))


def audience_now(size: int) -> str:
    return _("It goes to {people} as of now.").format(people=_people(size))


def closed_notice(survey: PulseSurvey, run: PulseRun) -> str:
    return _(
        "Pulse survey #{id} “{title}” has closed: {responded} of {people} answered. "
        "`/pulse results {id}` shows the results."
    ).format(
        id=survey.id,
        title=reading.title(survey),
        responded=format_number(run.responded),
        people=_people(run.invited),
    )


def survey_list(surveys: list[PulseSurvey]) -> str:
    if not surveys:
        return _("No pulse surveys yet. `/pulse new` creates one.")
    lines = [
        _("#{id} {title}: {schedule}, {kind}, {state}").format(
            id=s.id,
            title=s.title,
            schedule=s.spec["schedule"]["text"],
            kind=_kind(s),
            state=_("active") if s.active else _("stopped"),
        )
        for s in surveys
    ]
    return "\n".join([_("Pulse surveys:"), *lines])


def _kind(survey: PulseSurvey) -> str:
    if not survey.anonymous:
        return _("attributed")
    if survey.spec.get("reminders") == "strict":
        return _("anonymous, strict")
    return _("anonymous")


def _summary(summary: Summary | None, question: QuestionSpec) -> str:
    if summary is None:
        return not_enough()
    parts = [
        ngettext("{count} answer", "{count} answers", summary.n).format(
            count=format_number(summary.n)
        )
    ]
    if summary.enps is not None:
        parts.append(_("eNPS {score}").format(score=f"{summary.enps:+d}"))
    if summary.mean is not None:
        parts.append(_("mean {mean}").format(mean=format_number(summary.mean, 2)))
    if question.kind != "enps":
        parts.append(" ".join(f"{k}: {v}" for k, v in summary.distribution.items()))
    return ", ".join(parts)


def _groups(groups: list[GroupResult], question: QuestionSpec) -> list[str]:
    return [f"  {department_label(g.name)}: {_summary(g.summary, question)}" for g in groups]


def _point(label: str, summary: Summary | None) -> str:
    if summary is None:
        return f"{label} –"
    if summary.enps is not None:
        return f"{label} {summary.enps:+d}"
    if summary.mean is not None:
        return f"{label} {format_number(summary.mean, 2)}"
    return f"{label} n={summary.n}"


def _question(index: int, part: QuestionReport, by_department: bool) -> list[str]:
    question = part.question
    lines = [f"{index}. {question.prompt}"]
    if question.kind == "text":
        if part.comments is None:
            lines.append("  " + _("comments: {shown}").format(shown=not_enough()))
            return lines
        if part.themes:
            lines.append("  " + _("themes: {themes}").format(themes=", ".join(part.themes)))
        lines.extend(f"  “{c}”" for c in part.comments)
        return lines
    lines.append("  " + _summary(part.summary, question))
    if by_department:
        lines.extend(_groups(part.groups, question) if part.summary else [])
    if len(part.trend) > 1:
        points = " → ".join(_point(label, summary) for label, summary in part.trend)
        lines.append("  " + _("trend: {points}").format(points=points))
    return lines


def _open_run(live: RunFacts) -> str:
    return _(
        "Run of {label} is open: {responded} of {invited} answered so far. Its results appear "
        "when it closes."
    ).format(
        label=live.label,
        responded=format_number(live.responded),
        invited=format_number(live.invited),
    )


def _rate(outcome: Report) -> str:
    return "–" if outcome.participation is None else format_percent(outcome.participation)


def results(
    survey: PulseSurvey, outcome: Report, by_department: bool, share_in: str = ""
) -> Message:
    """The results, in the texts of whoever reads them; with `share_in`, a button that posts
    them in that channel."""
    title = reading.title(survey)
    outcome = reading.report(outcome)
    head = _("Results of pulse survey #{id} “{title}”").format(id=survey.id, title=title)
    lines: list[str] = []
    if outcome.open_run is not None:
        lines.append(_open_run(outcome.open_run))
    if outcome.run is None:
        lines.append(_("No run has closed yet."))
    else:
        run = outcome.run
        lines.append(
            _("Run of {label}: {responded} of {invited} answered (participation {rate}).").format(
                label=run.label,
                responded=format_number(run.responded),
                invited=format_number(run.invited),
                rate=_rate(outcome),
            )
        )
        if by_department:
            lines.append(_("By department (groups too small to show: not enough responses)."))
        for index, part in enumerate(outcome.questions, start=1):
            lines.extend(_question(index, part, by_department))
    text = head + "\n" + "\n".join(lines)
    blocks = _results_card(head, outcome, by_department)
    if share_in and outcome.run is not None:
        grouping = "department" if by_department else ""
        share = Button(
            action_id="pulse.share",
            label=_("Post in #{channel}").format(channel=share_in),
            value=f"{survey.id}:{share_in}:{grouping}",
        )
        blocks.append(Actions(elements=[share]))
    return Message(text=text, blocks=blocks, attachments=trend_pngs(title, outcome))


def _results_card(head: str, outcome: Report, by_department: bool) -> list[Block]:
    """The same results as a card: a header, the run's figures as fields, then each question
    under a divider, its prompt in bold."""
    blocks: list[Block] = [Header(text=head)]
    if outcome.open_run is not None:
        blocks.append(Context(texts=[_open_run(outcome.open_run)]))
    if outcome.run is None:
        return [*blocks, Section(text=_("No run has closed yet."))]
    run = outcome.run
    figures = [
        _("Run: {label}").format(label=run.label),
        _("Answered: {responded} of {invited}").format(
            responded=format_number(run.responded), invited=format_number(run.invited)
        ),
        _("Participation: {rate}").format(rate=_rate(outcome)),
    ]
    blocks.append(Section(text="", fields=figures))
    if by_department:
        blocks.append(
            Context(
                texts=[
                    _("By department; a group too small to show reads “{hidden}”.").format(
                        hidden=not_enough()
                    )
                ]
            )
        )
    for index, part in enumerate(outcome.questions, start=1):
        prompt, *details = _question(index, part, by_department)
        body = "\n".join([f"*{prompt}*", *(line.strip() for line in details)])
        blocks.extend([Divider(), Section(text=body)])
    return blocks


def export(survey: PulseSurvey, rows: list[ExportRow]) -> str:
    """Aggregated results as CSV text (quoted where needed), ready to paste into a sheet,
    in the texts of whoever asked for them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_row(reading.export_row(row)) for row in rows)
    head = _("Pulse survey #{id} “{title}”, aggregated results:").format(
        id=survey.id, title=reading.title(survey)
    )
    return f"{head}\n```\n{buffer.getvalue()}```"


def own_answers(survey: PulseSurvey, rows: list[tuple[PulseRun, PulseAnswer]]) -> str:
    if not rows:
        return _("You have no recorded answers to pulse survey #{id}.").format(id=survey.id)
    spec = SurveySpec.model_validate(survey.spec)
    lines = [f"{run.period[:10]} · {_own(spec.questions[a.question], a)}" for run, a in rows]
    head = _("Your answers to “{title}”:").format(title=reading.title_of(spec))
    return "\n".join([head, *lines])


def _own(asked: QuestionSpec, answer: PulseAnswer) -> str:
    """A question and its owner's answer, in the texts of the owner's language."""
    return f"{reading.question(asked).prompt}: {reading.choice(asked, shown(answer))}"
