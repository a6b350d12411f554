"""Every table, imported here so that SQLModel.metadata (and Alembic) sees them all."""

from bot.models.base import SQLModel
from bot.models.ideas import Campaign, Idea, IdeaAuthor, IdeaVote
from bot.models.inbound import ProcessedEvent
from bot.models.kudos import CompanyValue, Kudos
from bot.models.outbox import OutboxMessage
from bot.models.person import Person
from bot.models.schedule import DueWork, Schedule
from bot.models.teams import TeamsConversation, TeamsMessage
from bot.models.workspace import Workspace

__all__ = [
    "Campaign",
    "CompanyValue",
    "DueWork",
    "Idea",
    "IdeaAuthor",
    "IdeaVote",
    "Kudos",
    "OutboxMessage",
    "Person",
    "ProcessedEvent",
    "SQLModel",
    "Schedule",
    "TeamsConversation",
    "TeamsMessage",
    "Workspace",
]
