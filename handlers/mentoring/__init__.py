"""Mentoring matches: profiles, rounds, check-ins and feedback."""

from bot.contract.feature import Feature
from bot.contract.router import Router
from handlers.mentoring import cli, commands, dashboard, digest, history
from handlers.mentoring.personal_data import PERSONAL_DATA
from handlers.mentoring.settings import SECTION
from handlers.mentoring.tables import MentorAvoid, MentorPair, MentorProfile

router = Router()
router.include(commands.router)
router.settings_section(SECTION)
feature = Feature(
    "mentoring",
    router,
    tables=(MentorProfile, MentorAvoid, MentorPair),
    personal_data=PERSONAL_DATA,
    commands=cli.commands,
    history=history.edges,
    dashboard=dashboard.PARTS,
    digest=digest.part,
)

__all__ = ["feature", "router"]
