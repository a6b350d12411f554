"""What ideas add to a person's export and erasure: labels, the titles that name an idea in
other rows, and the words of the ideas they wrote."""

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.personal_data import REMOVED, PersonalData
from handlers.ideas.tables import Idea


async def _titles(session: AsyncSession, workspace_id: int) -> dict[int, str]:
    found = await session.exec(select(Idea.id, Idea.title).where(Idea.workspace_id == workspace_id))
    return {idea_id: title for idea_id, title in found.all() if idea_id is not None}


PERSONAL_DATA = PersonalData(
    labels={
        ("idea", "author_id"): "ideas you wrote",  # not translated: a key of the export file
        ("idea_author", "person_id"): "ideas you co-authored",  # not translated: as above
        ("idea_vote", "person_id"): "idea votes",  # not translated: a key of the export file
        ("campaign", "opened_by_id"): "idea campaigns you opened",  # not translated: as above
    },
    titled="idea",
    titles=_titles,
    personal_tables=frozenset({"idea_author"}),
    their_words={("idea", "author_id"): {"title": REMOVED, "details": "", "source_ref": None}},
)
