"""Ideas: suggestions with one vote per person, stages, duplicate hints, merges and campaigns."""

from bot.contract.feature import Feature
from handlers.ideas import digest, history, home
from handlers.ideas.commands import router
from handlers.ideas.personal_data import PERSONAL_DATA
from handlers.ideas.settings import SECTION
from handlers.ideas.tables import Campaign, Idea, IdeaAuthor, IdeaVote

router.settings_section(SECTION)
feature = Feature(
    "ideas",
    router,
    tables=(Campaign, Idea, IdeaAuthor, IdeaVote),
    personal_data=PERSONAL_DATA,
    history=history.edges,
    digest=digest.part,
    home=home.part,
)

__all__ = ["feature", "router"]
