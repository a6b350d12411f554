"""Coffee pairing's tables: who takes part, and the groups of each round."""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, json_field, utc_field


class CoffeeMember(SQLModel, table=True):
    """Someone who opted in to coffee pairing; `snoozed_until` skips rounds until then."""

    __tablename__ = "coffee_member"
    __table_args__ = (UniqueConstraint("person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    active: bool = True
    snoozed_until: datetime | None = utc_field(nullable=True)
    joined_at: datetime = utc_field()


class CoffeeGroup(SQLModel, table=True):
    """Two (or, with an odd count, three) people paired for coffee in one round.

    `met` is None until someone answers "did you meet?"; a yes from anyone in it wins.
    """

    __tablename__ = "coffee_group"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    period: str = Field(max_length=40)
    members: list[int] = json_field(list)
    created_at: datetime = utc_field(index=True)
    met: bool | None = None
    answered_at: datetime | None = utc_field(nullable=True)
