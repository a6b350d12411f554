"""Ideas rules: submitting, voting, stages, merging, ranking and campaigns. No chat I/O here."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from unicodedata import east_asian_width

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.errors import UserError
from bot.kit.i18n import format_number
from bot.kit.interactions import Edge, forget_interactions, record_interactions
from bot.kit.safety import neutralise, truncate
from bot.models import OutboxMessage, Person, Workspace
from bot.store.db_upsert import insert_ignore
from handlers.ideas import similarity
from handlers.ideas.history import COAUTHOR, COMMENT, VOTE
from handlers.ideas.i18n import _, ngettext
from handlers.ideas.parsing import CampaignRequest, Submission
from handlers.ideas.stages import stage_name
from handlers.ideas.tables import Campaign, Idea, IdeaAuthor, IdeaVote, Stage

TITLE_MAX = 150
DETAILS_MAX = 4000
QUESTION_MAX = 300
REASON_MAX = 1000

OPEN: tuple[Stage, ...] = ("new", "under_review", "planned", "in_progress")
# Ideas that rank: everything posted except the declined and the merged.
RANKED: tuple[Stage, ...] = (*OPEN, "done")
# A second click by the same person this soon after their first is a double click (or two
# taps on a slow connection), not a change of mind: it counts once.
DOUBLE_CLICK = timedelta(seconds=3)


# (query, documents) -> a similarity per document, or None when the scorer could not answer.
Scorer = Callable[[str, list[str]], Awaitable[list[float] | None]]


class IdeaRefused(UserError):
    """An ideas rule said no; `field` names the form input it is about."""

    def __init__(self, text: str, field: str = "title") -> None:
        super().__init__(text)
        self.field = field


@dataclass
class Vote:
    changed: bool
    active: bool
    count: int


@dataclass
class Ranked:
    idea: Idea
    votes: int
    score: float


def check_submission(submission: Submission, min_title: int) -> Submission:
    """The submission, cleaned; refused when its title is missing, shorter than `min_title`
    characters (a stray `/idea x` or `/idea list` is not an idea) or too long. A Chinese or
    Japanese character says about as much as two Latin letters, so it counts twice toward
    the shortest title: "駐輪場の増設" is an idea."""
    title = neutralise(submission.title).strip()
    details = neutralise(submission.details).strip()
    if not title:
        raise IdeaRefused(
            _("Your idea needs a title: `/idea Title — details`, or `/idea` alone for a form.")
        )
    if _weight(title) < min_title:
        raise IdeaRefused(
            ngettext(
                "“{title}” is a little short for an idea: please say what you suggest in at "
                "least {count} character, like `/idea Standing desks for the second floor`. "
                "`/idea help` lists the other commands.",
                "“{title}” is a little short for an idea: please say what you suggest in at "
                "least {count} characters, like `/idea Standing desks for the second floor`. "
                "`/idea help` lists the other commands.",
                min_title,
            ).format(title=title, count=format_number(min_title))
        )
    if len(title) > TITLE_MAX:
        raise IdeaRefused(
            _(
                "That title is {length} characters; please keep it to at most {longest} "
                "and put the rest in the details, after ` — `."
            ).format(length=format_number(len(title)), longest=format_number(TITLE_MAX))
        )
    if len(details) > DETAILS_MAX:
        raise IdeaRefused(
            _("The details are {length} characters; please keep them to at most {longest}.").format(
                length=format_number(len(details)), longest=format_number(DETAILS_MAX)
            ),
            "details",
        )
    return Submission(title, details)


def _weight(title: str) -> int:
    return sum(2 if east_asian_width(char) in "WF" else 1 for char in title)


def from_message(text: str) -> Submission:
    """A chat message as an idea: its first line is the title, the rest the details."""
    lines = [line.strip() for line in neutralise(text).splitlines() if line.strip()]
    if not lines:
        raise UserError(_("That message has no text to make an idea of."))
    title = truncate(lines[0], TITLE_MAX)
    # A first line too long for a title is kept whole in the details.
    details = "\n".join(lines[1:] if title == lines[0] else lines)
    return Submission(title, truncate(details, DETAILS_MAX))


async def adopt_message(
    session: AsyncSession,
    author: Person,
    submission: Submission,
    channel: str,
    source_ref: str,
    now: datetime,
) -> Idea | None:
    """Make the message `source_ref` an idea credited to its author; None if it already is one.

    The unique (workspace, source_ref) key decides: of two people reacting at once, one wins.
    """
    row = {
        "workspace_id": author.workspace_id,
        "author_id": author.id,
        "title": submission.title,
        "details": submission.details,
        "stage": "new",
        "channel": channel,
        "source_ref": source_ref,
        "created_at": now,
        "stage_changed_at": now,
    }
    if not await insert_ignore(session, Idea, [row]):
        return None
    found = await session.exec(
        select(Idea).where(Idea.workspace_id == author.workspace_id, Idea.source_ref == source_ref)
    )
    return found.one()


async def get_idea(
    session: AsyncSession, workspace: Workspace, idea_id: int, *, lock: bool = False
) -> Idea:
    """The idea with that number in this workspace; `lock` holds its row until commit so
    that concurrent votes on one idea take turns and each sees the others' counts."""
    query = select(Idea).where(Idea.id == idea_id, Idea.workspace_id == workspace.id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    idea = (await session.exec(query)).first()
    if idea is None or idea.stage == "draft":
        raise UserError(
            _("There is no idea #{id}. `/idea top` lists the current ones.").format(id=idea_id)
        )
    return idea


async def similar_ideas(
    session: AsyncSession,
    workspace: Workspace,
    submission: Submission,
    threshold: float,
    semantic: Scorer | None = None,
    semantic_threshold: float = 1.0,
    language: str | None = None,
) -> list[Idea]:
    """Open ideas that read like this submission, most similar first (at most three).

    `semantic` (embeddings) decides when given and it answers; otherwise, or when it fails,
    the local TF-IDF similarity does, each against its own threshold, reading the texts in
    `language` (the author's) or, when None, in the language their words suggest.
    """
    found = await session.exec(
        select(Idea).where(Idea.workspace_id == workspace.id, col(Idea.stage).in_(OPEN))
    )
    ideas = list(found.all())
    if semantic is not None:
        texts = [f"{idea.title}\n{idea.details}" for idea in ideas]
        scores = await semantic(f"{submission.title}\n{submission.details}", texts)
        if scores is not None:
            return _closest(ideas, scores, semantic_threshold)
    # The title is doubled: it is what people scan, so it should weigh more than the details.
    texts = [f"{idea.title} {idea.title} {idea.details}" for idea in ideas]
    query = f"{submission.title} {submission.title} {submission.details}"
    return _closest(ideas, similarity.scores(query, texts, language), threshold)


def _closest(ideas: list[Idea], scores: list[float], threshold: float) -> list[Idea]:
    scored = zip(scores, ideas, strict=True)
    close = sorted(
        ((score, idea) for score, idea in scored if score >= threshold),
        key=lambda pair: (-pair[0], pair[1].id or 0),
    )
    return [idea for _, idea in close[:3]]


async def create_idea(
    session: AsyncSession,
    author: Person,
    submission: Submission,
    channel: str,
    campaign: Campaign | None,
    now: datetime,
    *,
    draft: bool,
) -> Idea:
    idea = Idea(
        workspace_id=author.workspace_id,
        author_id=author.id or 0,
        campaign_id=campaign.id if campaign else None,
        title=submission.title,
        details=submission.details,
        stage="draft" if draft else "new",
        channel=channel,
        created_at=now,
        stage_changed_at=now,
    )
    session.add(idea)
    await session.flush()
    return idea


async def ideas_of(session: AsyncSession, person: Person) -> list[Idea]:
    """The ideas `person` posted or is credited on, newest first; drafts are not posted."""
    credited = select(IdeaAuthor.idea_id).where(IdeaAuthor.person_id == person.id)
    found = await session.exec(
        select(Idea)
        .where(
            Idea.workspace_id == person.workspace_id,
            or_(col(Idea.author_id) == person.id, col(Idea.id).in_(credited)),
            Idea.stage != "draft",
        )
        .order_by(col(Idea.id).desc())
    )
    return list(found.all())


async def own_draft(session: AsyncSession, person: Person, idea_id: int) -> Idea:
    idea = await session.get(Idea, idea_id)
    if idea is None or idea.author_id != person.id or idea.stage != "draft":
        raise UserError(_("That idea was already posted or discarded."))
    return idea


def check_votable(idea: Idea) -> None:
    if idea.stage == "declined":
        raise UserError(
            _("Idea #{id} was declined ({reason}), so it no longer takes votes.").format(
                id=idea.id, reason=idea.decline_reason
            )
        )
    if idea.stage == "merged":
        raise UserError(
            _("Idea #{id} was merged into #{target}: your vote belongs there.").format(
                id=idea.id, target=idea.merged_into_id
            )
        )
    if idea.stage == "done":
        raise UserError(
            _("Idea #{id} is already done: no more votes needed. Thank you!").format(id=idea.id)
        )


async def toggle_vote(session: AsyncSession, idea: Idea, voter: Person, now: datetime) -> Vote:
    """Vote, or withdraw a vote on a second click; a double click counts once.

    The caller holds the idea's row lock (get_idea(lock=True)), so two clicks on one idea,
    by one person or by two, are applied one after the other.
    """
    check_votable(idea)
    row = {"idea_id": idea.id, "person_id": voter.id, "active": True, "changed_at": now}
    if await insert_ignore(session, IdeaVote, [row]):
        await _vote_edges(session, idea, voter, True, now)
        return Vote(True, True, await vote_count(session, idea))
    vote = (
        await session.exec(
            select(IdeaVote)
            .where(IdeaVote.idea_id == idea.id, IdeaVote.person_id == voter.id)
            .execution_options(populate_existing=True)
        )
    ).one()
    if now - vote.changed_at < DOUBLE_CLICK:
        return Vote(False, vote.active, await vote_count(session, idea))
    vote.active, vote.changed_at = not vote.active, now
    session.add(vote)
    await session.flush()
    await _vote_edges(session, idea, voter, vote.active, now)
    return Vote(True, vote.active, await vote_count(session, idea))


async def _vote_edges(
    session: AsyncSession, idea: Idea, voter: Person, active: bool, now: datetime
) -> None:
    """A vote is an interaction with each of the idea's authors; a withdrawn one is not."""
    ref = f"idea:{idea.id}"
    if not active:
        await forget_interactions(session, idea.workspace_id, VOTE, ref, voter.id)
        return
    edges = [Edge(voter.id or 0, a.id or 0, VOTE, ref) for a in await authors(session, idea)]
    await record_interactions(session, idea.workspace_id, edges, now)


async def vote_count(session: AsyncSession, idea: Idea) -> int:
    counted = await session.exec(
        select(func.count()).where(IdeaVote.idea_id == idea.id, col(IdeaVote.active))
    )
    return counted.one()


async def voters(session: AsyncSession, idea: Idea) -> list[Person]:
    found = await session.exec(
        select(Person)
        .join(IdeaVote, col(IdeaVote.person_id) == Person.id)
        .where(IdeaVote.idea_id == idea.id, col(IdeaVote.active))
        .order_by(col(Person.id))
    )
    return list(found.all())


async def idea_in_thread(session: AsyncSession, workspace: Workspace, thread: str) -> Idea | None:
    """The idea whose channel post `thread` is the discussion thread of, if any: adapters
    name a thread by its first message's platform id, as the outbox recorded it when sent."""
    found = await session.exec(
        select(Idea)
        .join(OutboxMessage, col(OutboxMessage.key) == col(Idea.message_key))
        .where(
            OutboxMessage.workspace_id == workspace.id,
            OutboxMessage.platform_message_id == thread,
            Idea.workspace_id == workspace.id,
        )
    )
    return found.first()


async def record_comment(
    session: AsyncSession, idea: Idea, commenter: Person, message_id: str, now: datetime
) -> int:
    """A comment in an idea's thread ties the commenter to its author and co-authors (once
    per message, however often the platform delivers it)."""
    assert commenter.id is not None
    edges = [
        Edge(commenter.id, author.id, COMMENT, f"idea:{idea.id}:comment:{message_id}")
        for author in await authors(session, idea)
        if author.id is not None
    ]
    return await record_interactions(session, idea.workspace_id, edges, now)


async def authors(session: AsyncSession, idea: Idea) -> list[Person]:
    """The author first, then co-authors in the order they were credited."""
    author = await session.get(Person, idea.author_id)
    assert author is not None
    found = await session.exec(
        select(Person)
        .join(IdeaAuthor, col(IdeaAuthor.person_id) == Person.id)
        .where(IdeaAuthor.idea_id == idea.id)
        .order_by(col(IdeaAuthor.id))
    )
    return [author, *(p for p in found.all() if p.id != author.id)]


def change_stage(idea: Idea, stage: Stage, reason: str, now: datetime) -> Stage:
    """Move the idea to `stage`; return the stage it was in."""
    if idea.stage == "merged":
        raise UserError(
            _("Idea #{id} was merged into #{target}: change that one.").format(
                id=idea.id, target=idea.merged_into_id
            )
        )
    if stage == idea.stage:
        raise UserError(
            _("Idea #{id} is already {stage}.").format(id=idea.id, stage=stage_name(stage))
        )
    if stage == "declined":
        reason = neutralise(reason).strip()
        if not reason:
            raise UserError(
                _("Please say why, so the author hears it: `/idea decline ID the reason`.")
            )
        if len(reason) > REASON_MAX:
            raise UserError(
                _("Please keep the reason to at most {longest} characters.").format(
                    longest=format_number(REASON_MAX)
                )
            )
    previous = idea.stage
    idea.stage, idea.stage_changed_at = stage, now
    idea.decline_reason = reason if stage == "declined" else None
    return previous


async def merge(session: AsyncSession, source: Idea, target: Idea, now: datetime) -> int:
    """Fold `source` into `target`: its voters vote for the target (once each) and its authors
    become co-authors. Return how many votes the target gained."""
    if source.id == target.id:
        raise UserError(_("An idea cannot be merged into itself."))
    for idea in (source, target):
        if idea.stage == "merged":
            raise UserError(
                _("Idea #{id} is merged: it cannot take part in a merge.").format(id=idea.id)
            )
        if idea.stage == "declined":
            raise UserError(
                _("Idea #{id} is declined: it cannot take part in a merge.").format(id=idea.id)
            )
    before = await vote_count(session, target)
    moved = await session.exec(
        select(IdeaVote).where(IdeaVote.idea_id == source.id, col(IdeaVote.active))
    )
    for vote in moved.all():
        row = {"idea_id": target.id, "person_id": vote.person_id, "active": True}
        if not await insert_ignore(session, IdeaVote, [{**row, "changed_at": vote.changed_at}]):
            # They had voted for the target and withdrawn: their vote on the source stands.
            existing = (
                await session.exec(
                    select(IdeaVote).where(
                        IdeaVote.idea_id == target.id, IdeaVote.person_id == vote.person_id
                    )
                )
            ).one()
            if not existing.active:
                existing.active, existing.changed_at = True, vote.changed_at
                session.add(existing)
    credited = [
        {"idea_id": target.id, "person_id": person.id}
        for person in await authors(session, source)
        if person.id != target.author_id
    ]
    await insert_ignore(session, IdeaAuthor, credited)
    ref = f"idea:{target.id}"
    edges = [Edge(target.author_id, c["person_id"] or 0, COAUTHOR, ref) for c in credited]
    await record_interactions(session, target.workspace_id, edges, now)
    source.stage, source.stage_changed_at, source.merged_into_id = "merged", now, target.id
    session.add(source)
    await session.flush()
    return await vote_count(session, target) - before


async def ranking(
    session: AsyncSession,
    workspace: Workspace,
    campaign: Campaign | None,
    now: datetime,
    half_life_days: float,
    limit: int = 10,
) -> list[Ranked]:
    """Ideas by time-decayed votes: each vote weighs 1/2 ** (its age / half-life), so a new
    idea with a few fresh votes can pass an old one whose votes are months old."""
    query = select(Idea).where(Idea.workspace_id == workspace.id, col(Idea.stage).in_(RANKED))
    if campaign is not None:
        query = query.where(Idea.campaign_id == campaign.id)
    ideas = {idea.id: idea for idea in (await session.exec(query)).all()}
    votes = await session.exec(
        select(IdeaVote.idea_id, IdeaVote.changed_at).where(
            col(IdeaVote.idea_id).in_(list(ideas)), col(IdeaVote.active)
        )
    )
    ranked = {idea_id: Ranked(idea, 0, 0.0) for idea_id, idea in ideas.items()}
    half_life = timedelta(days=half_life_days)
    for idea_id, voted_at in votes.all():
        entry = ranked[idea_id]
        entry.votes += 1
        entry.score += 0.5 ** (max(now - voted_at, timedelta()) / half_life)
    order = sorted(
        ranked.values(), key=lambda r: (-r.score, -r.votes, -r.idea.created_at.timestamp())
    )
    return order[:limit]


async def open_campaign(
    session: AsyncSession, opener: Person, request: CampaignRequest, channel: str, now: datetime
) -> Campaign:
    question = neutralise(request.question).strip()
    if len(question) > QUESTION_MAX:
        raise UserError(
            _("Please keep the question to at most {longest} characters.").format(
                longest=format_number(QUESTION_MAX)
            )
        )
    campaign = Campaign(
        workspace_id=opener.workspace_id,
        question=question,
        channel=channel,
        opened_by_id=opener.id or 0,
        closes_at=request.closes_at,
        created_at=now,
    )
    session.add(campaign)
    await session.flush()
    return campaign


async def get_campaign(session: AsyncSession, workspace: Workspace, campaign_id: int) -> Campaign:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None or campaign.workspace_id != workspace.id:
        raise UserError(
            _("There is no campaign c{id}. `/idea campaigns` lists them.").format(id=campaign_id)
        )
    return campaign


async def open_campaigns(session: AsyncSession, workspace: Workspace) -> list[Campaign]:
    found = await session.exec(
        select(Campaign)
        .where(Campaign.workspace_id == workspace.id, col(Campaign.closed_at).is_(None))
        .order_by(col(Campaign.closes_at))
    )
    return list(found.all())


def check_campaign_open(campaign: Campaign) -> None:
    if campaign.closed_at is not None:
        raise IdeaRefused(
            _("Campaign c{id} has closed: it takes no more ideas.").format(id=campaign.id),
            "campaign",
        )


def join_campaign(idea: Idea, campaign: Campaign, person: Person, moderator: bool) -> None:
    if idea.author_id != person.id and not moderator:
        raise UserError(
            _("Only the idea's author or a community manager can add it to a campaign.")
        )
    check_campaign_open(campaign)
    if idea.stage == "merged":
        raise UserError(_("Idea #{id} is merged: it cannot join a campaign.").format(id=idea.id))
    if idea.stage == "declined":
        raise UserError(_("Idea #{id} is declined: it cannot join a campaign.").format(id=idea.id))
    if idea.campaign_id == campaign.id:
        raise UserError(
            _("Idea #{id} is already part of campaign c{campaign}.").format(
                id=idea.id, campaign=campaign.id
            )
        )
    idea.campaign_id = campaign.id


async def campaign_idea_count(session: AsyncSession, campaign: Campaign) -> int:
    counted = await session.exec(
        select(func.count()).where(Idea.campaign_id == campaign.id, col(Idea.stage).in_(RANKED))
    )
    return counted.one()
