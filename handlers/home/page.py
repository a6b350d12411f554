"""The home page handler: the platform says someone opened it, we send them a fresh one,
made of every feature's part (bot/contract/home.py)."""

from bot.contract.context import Context
from bot.contract.events import HomeOpened
from bot.contract.home import HomePart
from bot.contract.router import Router
from bot.contract.ui import Actions, Block, Destination, Divider, Header, Message, Section
from bot.contract.ui import Context as Small
from bot.kit.i18n import format_datetime
from bot.kit.wording import list_line
from handlers.home.i18n import _

router = Router()


@router.home_opened()
async def home_opened(ctx: Context, event: HomeOpened) -> None:
    person = ctx.actor
    parts = [
        await feature.home(ctx.session, ctx.workspace, person, ctx.settings, ctx.now)
        for feature in ctx.bot.router.features
        if feature.home is not None
    ]
    updated = format_datetime(ctx.now, "short", timezone=person.timezone)
    page = home_page(parts, person.display_name, updated)
    ctx.outbox.add(Destination(kind="home", user=person.platform_user_id), page)


def home_page(parts: list[HomePart], name: str, updated: str) -> Message:
    """Buttons for the common actions, what waits for the person, then each feature's
    section under a divider."""
    actions = [button for part in parts for button in part.actions]
    waiting = [line for part in parts for line in part.waiting]
    blocks: list[Block] = [Header(text=_("Hello {name}!").format(name=list_line(name)))]
    if actions:
        blocks.append(Actions(elements=actions))
    lines = "\n".join(f"• {line}" for line in waiting) or _("Nothing needs you right now.")
    blocks.append(Section(text=_("*⏳ Waiting on you*") + "\n" + lines))
    for part in parts:
        if part.blocks:
            blocks.extend([Divider(), *part.blocks])
    blocks.append(
        Small(texts=[_("Updated {time}. `/rapport help` lists everything.").format(time=updated)])
    )
    return Message(
        text=_("Rapport: what waits for you, and your kudos, questions and ideas"), blocks=blocks
    )
