"""Q&A: questions routed to the colleagues who know, with claims, answers and escalation."""

from bot.contract.feature import Feature
from handlers.qa import dashboard, digest, history, home
from handlers.qa.commands import router
from handlers.qa.personal_data import PERSONAL_DATA
from handlers.qa.settings import SECTION
from handlers.qa.tables import Answer, ExpertProfile, ExpertTopic, Question, QuestionRoute

router.settings_section(SECTION)
feature = Feature(
    "qa",
    router,
    tables=(Answer, ExpertProfile, ExpertTopic, Question, QuestionRoute),
    personal_data=PERSONAL_DATA,
    history=history.edges,
    dashboard=dashboard.PARTS,
    digest=digest.part,
    home=home.part,
)

__all__ = ["feature", "router"]
