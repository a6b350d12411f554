"""What the Teams adapter must remember between turns.

Teams lets a bot speak unprompted only into a conversation it knows (a conversation reference:
service URL, conversation id, the bot's own account), so every person and channel seen is
remembered here. Reactions name only the message reacted to, never its author, so the messages
the bot has seen are remembered for a while too.
"""

from typing import Any, Literal

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, json_field, utc_field

ConversationKind = Literal["person", "channel"]


class TeamsConversation(SQLModel, table=True):
    """A person (their personal chat with the bot) or a channel of a team, in one tenant.

    `target` is the person's Teams user id (the id mentions carry, so it is the neutral id) or
    the channel's conversation id. A person seen only in channels or mentions has no
    `conversation_id` yet: the first DM creates their personal chat and stores it. The Entra
    object id maps people picked in forms (which yield object ids) back to Teams ids.
    """

    __tablename__ = "teams_conversation"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "target"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(max_length=100, index=True)
    kind: ConversationKind = Field(sa_type=String(10))
    target: str = Field(max_length=300)
    name: str = Field(default="", max_length=200)
    aad_object_id: str | None = Field(default=None, max_length=100, index=True)
    team_id: str | None = Field(default=None, max_length=300)
    conversation_id: str | None = Field(default=None, max_length=500)
    reference: dict[str, Any] = json_field()
    updated_at: datetime = utc_field()


class TeamsMessage(SQLModel, table=True):
    """Author and text of a message the bot received, so that a reaction to it can be credited."""

    __tablename__ = "teams_message"
    __table_args__ = (UniqueConstraint("tenant_id", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(max_length=100)
    message_id: str = Field(max_length=300)
    author: str = Field(max_length=300)
    text: str = Field(default="", max_length=500)
    seen_at: datetime = utc_field(index=True)


class TeamsTeamMember(SQLModel, table=True):
    """Someone on the roster of a team the app is installed in, as last read or reported.

    Read in full when the app is added to a team, then kept current by the team's
    member-added and member-removed events. Someone on no team's roster, with no personal chat
    with the bot, is out of its reach: the directory counts them as gone (adapters/teams/
    roster.py).
    """

    __tablename__ = "teams_team_member"
    __table_args__ = (UniqueConstraint("tenant_id", "team_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(max_length=100)
    team_id: str = Field(max_length=300)
    user_id: str = Field(max_length=300, index=True)
