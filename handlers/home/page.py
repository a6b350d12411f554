"""The home page handler: the platform says someone opened it, we send them a fresh one."""

from bot.contract.context import Context
from bot.contract.events import HomeOpened
from bot.contract.router import Router
from bot.contract.ui import Destination
from handlers.home.overview import gather
from handlers.home.render import home_page
from handlers.ideas.settings import ideas_settings
from handlers.kudos.settings import kudos_settings

router = Router()


@router.home_opened()
async def home_opened(ctx: Context, event: HomeOpened) -> None:
    person = ctx.actor
    overview = await gather(
        ctx.session,
        ctx.workspace,
        person,
        kudos_settings(ctx.workspace, ctx.settings),
        ideas_settings(ctx.workspace, ctx.settings).vote_half_life_days,
        ctx.now,
    )
    page = home_page(overview, person.display_name, person.timezone, ctx.now)
    ctx.outbox.add(Destination(kind="home", user=person.platform_user_id), page)
