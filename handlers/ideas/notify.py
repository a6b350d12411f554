"""Keeping people informed: the idea's post edited in place, authors and voters told."""

from collections.abc import Callable

from bot.contract.context import BaseContext
from bot.contract.ui import Destination
from bot.models import Person
from handlers.ideas import render, rules
from handlers.ideas.tables import Campaign, Idea


async def refresh_post(ctx: BaseContext, idea: Idea, votes: int | None = None) -> None:
    """Re-render the idea's channel post in place (vote count, stage, credits, campaign)."""
    if idea.message_key is None:
        return
    count = await rules.vote_count(ctx.session, idea) if votes is None else votes
    campaign = await ctx.session.get(Campaign, idea.campaign_id) if idea.campaign_id else None
    people = await rules.authors(ctx.session, idea)
    ctx.edit(
        idea.message_key,
        lambda: render.idea_post(idea, people, count, campaign),
        Destination(kind="channel", channel=idea.channel),
    )


async def tell_authors(ctx: BaseContext, idea: Idea, text: Callable[[], str]) -> list[Person]:
    """DM each of the idea's authors `text`, written in their own language."""
    people = await rules.authors(ctx.session, idea)
    for person in people:
        ctx.dm(person, text)
    return people
