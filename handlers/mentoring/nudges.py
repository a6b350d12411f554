"""Keeping pairs alive: which pairs to nudge, ask for feedback, or pause. No chat I/O here."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.errors import UserError
from bot.kit.interactions import Edge, record_interactions
from bot.models import Workspace
from handlers.mentoring.history import MENTORING
from handlers.mentoring.i18n import N_, _
from handlers.mentoring.rounds import OPEN, AnswerOutcome, heard_from
from handlers.mentoring.tables import MentorPair
from handlers.mentoring.words import status_name


@dataclass
class SweepResult:
    nudged: list[MentorPair] = field(default_factory=list)
    feedback: list[MentorPair] = field(default_factory=list)
    paused: list[MentorPair] = field(default_factory=list)


async def sweep(
    session: AsyncSession,
    workspace: Workspace,
    now: datetime,
    *,
    checkin_days: int,
    feedback_weeks: int,
    pause_after: int,
) -> SweepResult:
    """Every open pair whose check-in is due gets one, unless nobody answered the last
    `pause_after` nudges: then it is paused. Active pairs are asked for feedback once."""
    result = SweepResult()
    found = await session.exec(
        select(MentorPair)
        .where(MentorPair.workspace_id == workspace.id, col(MentorPair.status).in_(OPEN))
        .order_by(col(MentorPair.id))
    )
    for pair in found.all():
        if pair.next_nudge_at <= now:
            silent = pair.last_nudge_at is not None and (
                pair.last_response_at is None or pair.last_response_at < pair.last_nudge_at
            )
            if silent:
                pair.nudges_unanswered += 1
            if pair.nudges_unanswered >= pause_after:
                pair.status = "paused"
                result.paused.append(pair)
                continue
            pair.last_nudge_at = now
            pair.next_nudge_at = now + timedelta(days=checkin_days)
            result.nudged.append(pair)
        due = pair.activated_at and pair.activated_at + timedelta(weeks=feedback_weeks) <= now
        if pair.status == "active" and due and pair.feedback_requested_at is None:
            pair.feedback_requested_at = now
            result.feedback.append(pair)
    return result


async def record_meeting(
    session: AsyncSession, found: AnswerOutcome, met: bool, now: datetime
) -> None:
    pair = found.pair
    if pair.status != "active":
        raise UserError(
            _("This match is {status}, so there is nothing to record.").format(
                status=status_name(pair.status)
            )
        )
    heard_from(pair, now)
    if met:
        pair.met_yes += 1
        edge = Edge(
            pair.mentor_id, pair.mentee_id, MENTORING, f"mentoring:{pair.id}:{pair.met_yes}"
        )
        await record_interactions(session, pair.workspace_id, [edge], now)
    else:
        pair.met_no += 1


FEEDBACK_SCORES = {1: N_("Not really"), 2: N_("Somewhat"), 3: N_("Very")}


def record_feedback(found: AnswerOutcome, score: int, now: datetime) -> None:
    if score not in FEEDBACK_SCORES:
        raise UserError(_("That feedback button is not one I know."))
    pair = found.pair
    heard_from(pair, now)
    if found.side == "mentor":
        pair.mentor_feedback = score
    else:
        pair.mentee_feedback = score
