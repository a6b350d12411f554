"""Every table, imported here so that SQLModel.metadata (and Alembic) sees them all."""

from bot.models.audit import AuditEntry
from bot.models.base import SQLModel
from bot.models.ideas import Campaign, Idea, IdeaAuthor, IdeaVote
from bot.models.inbound import InboundEvent, ProcessedEvent
from bot.models.insights import DashboardLink, Interaction
from bot.models.installation import Installation
from bot.models.kudos import CompanyValue, Kudos
from bot.models.mentoring import (
    CoffeeGroup,
    CoffeeMember,
    MentorAvoid,
    MentorPair,
    MentorProfile,
)
from bot.models.outbox import OutboxMessage, RateLimitPause
from bot.models.person import Person
from bot.models.pulse import (
    ChannelMember,
    PulseAnswer,
    PulseAttribution,
    PulseBallot,
    PulseRespondent,
    PulseRun,
    PulseSurvey,
    PulseTicket,
)
from bot.models.qa import Answer, ExpertProfile, ExpertTopic, Question, QuestionRoute
from bot.models.schedule import DueWork, Schedule
from bot.models.slack import SlackGridTeam
from bot.models.teams import TeamsConversation, TeamsMessage
from bot.models.workspace import Workspace

__all__ = [
    "Answer",
    "AuditEntry",
    "Campaign",
    "ChannelMember",
    "CoffeeGroup",
    "CoffeeMember",
    "CompanyValue",
    "DashboardLink",
    "DueWork",
    "ExpertProfile",
    "ExpertTopic",
    "Idea",
    "IdeaAuthor",
    "IdeaVote",
    "InboundEvent",
    "Installation",
    "Interaction",
    "Kudos",
    "MentorAvoid",
    "MentorPair",
    "MentorProfile",
    "OutboxMessage",
    "Person",
    "ProcessedEvent",
    "PulseAnswer",
    "PulseAttribution",
    "PulseBallot",
    "PulseRespondent",
    "PulseRun",
    "PulseSurvey",
    "PulseTicket",
    "Question",
    "QuestionRoute",
    "RateLimitPause",
    "SQLModel",
    "Schedule",
    "SlackGridTeam",
    "TeamsConversation",
    "TeamsMessage",
    "Workspace",
]
