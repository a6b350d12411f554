"""Taking an answer: checks, then a ballot (or, attributed, an answer row) and answer-once.

A second answer to the same question is refused rather than replacing the first: in an
anonymous survey nobody (the bot included) can tell which stored answer was theirs. Answer-once
comes from the respondent list (targeted) or from spent tickets (strict, handlers.pulse.tickets).
An anonymous answer is dropped in the ballot box (handlers.pulse.ballot_box), never written as
an answer row in the click's transaction, which also holds rows naming the person.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.errors import UserError
from bot.kit.i18n import format_number
from bot.kit.safety import neutralise
from bot.models import Person
from bot.store.secrets_at_rest import Sealer
from handlers.pulse import ballot_box, tickets
from handlers.pulse.i18n import _
from handlers.pulse.results import AnswerFacts, RunFacts
from handlers.pulse.spec import QuestionSpec, SurveySpec
from handlers.pulse.tables import (
    PulseAnswer,
    PulseAttribution,
    PulseRespondent,
    PulseRun,
    PulseSurvey,
)

COMMENT_LIMIT = 2000


def not_ours() -> UserError:
    return UserError(_("That answer button is not one I made. Please use the survey's buttons."))


@dataclass
class Ref:
    """What an answer button (or a written answer's form) carries."""

    run: int
    question: int
    answer: str = ""
    ticket: str = ""


@dataclass
class Target:
    run: PulseRun
    survey: PulseSurvey
    spec: SurveySpec
    index: int
    question: QuestionSpec
    respondent: PulseRespondent | None  # None in a strict survey: it keeps no such list
    ticket: str = ""


@dataclass
class Receipt:
    index: int
    answered: int | None  # None in a strict survey: nobody counts what a person answered
    questions: int
    anonymous: bool


def parse_ref(value: str) -> Ref:
    """A button value `run:question[:answer[:ticket]]`."""
    run, _sep, rest = value.partition(":")
    question, _sep, rest = rest.partition(":")
    answer, _sep, ticket = rest.partition(":")
    if not (run.isdigit() and question.isdigit()):
        raise not_ours()
    return Ref(int(run), int(question), answer, ticket)


def already(index: int) -> UserError:
    return UserError(
        _(
            "You have already answered question {number}; your first answer counts and "
            "cannot be changed."
        ).format(number=index + 1)
    )


async def target(
    session: AsyncSession, person: Person, ref: Ref, now: datetime, seal: Sealer
) -> Target:
    """The question a person may still answer, or a UserError saying why not."""
    run = await session.get(PulseRun, ref.run)
    if run is None or run.workspace_id != person.workspace_id:
        raise UserError(_("I can't find that survey. It may have been removed."))
    if run.closed_at is not None or now >= run.closes_at:
        raise UserError(
            _("This survey has closed, so it no longer takes answers. Thank you anyway!")
        )
    survey = await session.get(PulseSurvey, run.survey_id)
    assert survey is not None
    spec = SurveySpec.model_validate(survey.spec)
    index = ref.question
    if not 0 <= index < len(spec.questions):
        raise UserError(_("That survey has no such question."))
    if spec.strict:
        if not tickets.valid(seal, run, ref.ticket):
            raise not_ours()
        if await tickets.spent(session, run, ref.ticket, index):
            raise already(index)
        return Target(run, survey, spec, index, spec.questions[index], None, ref.ticket)
    found = await session.exec(
        select(PulseRespondent)
        .where(PulseRespondent.run_id == run.id, PulseRespondent.person_id == person.id)
        .with_for_update()
    )
    respondent = found.first()
    if respondent is None:
        raise UserError(_("This survey wasn't sent to you, so I can't take your answer."))
    if index in respondent.answered:
        raise already(index)
    return Target(run, survey, spec, index, spec.questions[index], respondent)


def check_value(question: QuestionSpec, raw: str) -> dict[str, object]:
    """The answer's column values, or a UserError for a value the question does not take."""
    raw = raw.strip()
    match question.kind:
        case "scale" | "enps":
            top = 5 if question.kind == "scale" else 10
            bottom = 1 if question.kind == "scale" else 0
            if not raw.lstrip("-").isdigit() or not bottom <= int(raw) <= top:
                raise UserError(
                    _("Please answer with a number from {bottom} to {top}.").format(
                        bottom=bottom, top=top
                    )
                )
            return {"score": int(raw)}
        case "choice":
            if not raw.isdigit() or int(raw) >= len(question.options):
                raise UserError(_("Please pick one of the options on the buttons."))
            return {"choice": question.options[int(raw)]}
        case _:
            comment = neutralise(raw)
            if not comment:
                raise UserError(_("The answer was empty, so nothing was recorded."))
            if len(comment) > COMMENT_LIMIT:
                raise UserError(
                    _(
                        "That answer is {length} characters; please keep it to at most {limit}."
                    ).format(length=format_number(len(comment)), limit=format_number(COMMENT_LIMIT))
                )
            return {"comment": comment}


async def record(
    session: AsyncSession, person: Person, found: Target, raw: str, now: datetime, seal: Sealer
) -> Receipt:
    columns = {
        **check_value(found.question, raw),
        "department": person.department or "",
        "day": now.date(),
    }
    run_id = found.run.id or 0
    first, answered = await _answer_once(session, found)
    if found.survey.anonymous:
        ballot_box.cast(session, seal, run_id, found.index, columns)
    else:
        answer = PulseAnswer.model_validate(
            {"id": secrets.token_hex(16), "run_id": run_id, "question": found.index, **columns}
        )
        session.add(answer)
        await session.flush()
        session.add(PulseAttribution(answer_id=answer.id, person_id=person.id or 0))
    if first:
        # An UPDATE ... + 1, not read-modify-write: two people answering at once both count.
        await session.exec(
            update(PulseRun)
            .where(col(PulseRun.id) == found.run.id)
            .values(responded=col(PulseRun.responded) + 1)
        )
    return Receipt(found.index, answered, len(found.spec.questions), found.survey.anonymous)


async def _answer_once(session: AsyncSession, found: Target) -> tuple[bool, int | None]:
    """Mark the question answered: (whether it is this person's first answer in the run, how
    many questions they have answered, None when nobody may know)."""
    respondent = found.respondent
    if respondent is None:
        if not await tickets.spend(session, found.run, found.ticket, found.index):
            raise already(found.index)
        return await tickets.spend(session, found.run, found.ticket, tickets.FIRST), None
    first = not respondent.answered
    respondent.answered = [*respondent.answered, found.index]
    session.add(respondent)
    return first, len(respondent.answered)


async def answered_so_far(session: AsyncSession, person: Person, found: Target) -> dict[int, str]:
    """What the survey card shows a person as answered in the run: question index to their
    answer, or to "" where the answer is stored without their name and so cannot be shown
    (the bot cannot tell which stored answer was theirs, and the card must not carry it)."""
    if found.respondent is None:  # strict: only the ticket in their own buttons knows
        indices = range(len(found.spec.questions))
        return {i: "" for i in indices if await tickets.spent(session, found.run, found.ticket, i)}
    if found.survey.anonymous:
        return dict.fromkeys(found.respondent.answered, "")
    rows = await session.exec(
        select(PulseAnswer)
        .join(PulseAttribution, col(PulseAttribution.answer_id) == PulseAnswer.id)
        .where(PulseAnswer.run_id == found.run.id, PulseAttribution.person_id == person.id)
    )
    return {a.question: shown(a) for a in rows.all()}


def shown(answer: PulseAnswer) -> str:
    """An attributed answer as its owner sees it."""
    return str(answer.score) if answer.score is not None else answer.choice or answer.comment or ""


async def own_answers(
    session: AsyncSession, person: Person, survey: PulseSurvey
) -> list[tuple[PulseRun, PulseAnswer]]:
    """A person's own answers to an attributed survey (anonymous ones cannot be found)."""
    found = await session.exec(
        select(PulseRun, PulseAnswer)
        .join(PulseAnswer, col(PulseAnswer.run_id) == PulseRun.id)
        .join(PulseAttribution, col(PulseAttribution.answer_id) == PulseAnswer.id)
        .where(PulseRun.survey_id == survey.id, PulseAttribution.person_id == person.id)
        .order_by(col(PulseRun.id), col(PulseAnswer.question))
    )
    return list(found.all())


async def gather(
    session: AsyncSession, survey: PulseSurvey
) -> tuple[list[RunFacts], list[AnswerFacts]]:
    """A survey's runs and answers as plain facts for the results maths."""
    runs = list(
        (
            await session.exec(
                select(PulseRun).where(PulseRun.survey_id == survey.id).order_by(col(PulseRun.id))
            )
        ).all()
    )
    position = {run.id: i for i, run in enumerate(runs)}
    answers = await session.exec(
        select(PulseAnswer).where(col(PulseAnswer.run_id).in_(list(position)))
    )
    facts = [
        AnswerFacts(
            position[a.run_id],
            a.question,
            a.department,
            a.score if a.score is not None else a.choice,
            a.comment,
        )
        for a in answers.all()
    ]
    runs_facts = [
        RunFacts(r.period[:10], r.invited, r.responded, r.closed_at is not None) for r in runs
    ]
    return runs_facts, facts
