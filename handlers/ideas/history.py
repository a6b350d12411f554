"""The interaction edges ideas imply: voter -> each author of the idea voted for, and the
author of an idea -> the authors of each idea merged into it."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.interactions import PastEdge
from handlers.ideas.tables import Idea, IdeaAuthor, IdeaVote

# The interactions of ideas: a vote (voter -> each of its authors), co-authors of one idea,
# and a message in an idea's thread (commenter -> each of its authors).
VOTE = "vote"
COAUTHOR = "coauthor"
COMMENT = "idea_comment"


async def edges(session: AsyncSession, workspace_id: int) -> list[PastEdge]:
    ideas = {
        i.id: i
        for i in (await session.exec(select(Idea).where(Idea.workspace_id == workspace_id))).all()
    }
    authors = {i: [idea.author_id] for i, idea in ideas.items()}
    coauthors = await session.exec(
        select(IdeaAuthor).where(col(IdeaAuthor.idea_id).in_(list(ideas)))
    )
    for credit in coauthors.all():
        authors[credit.idea_id].append(credit.person_id)
    votes = await session.exec(
        select(IdeaVote).where(col(IdeaVote.idea_id).in_(list(ideas)), col(IdeaVote.active))
    )
    found: list[PastEdge] = [
        (v.person_id, author, VOTE, f"idea:{v.idea_id}", v.changed_at)
        for v in votes.all()
        for author in authors[v.idea_id]
    ]
    for source in ideas.values():
        target = ideas.get(source.merged_into_id or -1)
        if target is not None:
            found += [
                (target.author_id, p, COAUTHOR, f"idea:{target.id}", source.stage_changed_at)
                for p in authors[source.id]
            ]
    return found
