"""`/rapport dashboard`: a one-time sign-in link, by DM, for admins and community managers."""

from bot.contract.context import Context
from bot.contract.ui import Context as Small
from bot.contract.ui import Message, Section
from bot.kit.i18n import format_number
from handlers.dashboard import links
from handlers.dashboard.i18n import _, ngettext
from handlers.dashboard.settings import dashboard_settings


async def dashboard_command(ctx: Context) -> None:
    minutes = dashboard_settings(ctx.settings).link_minutes
    token = await links.issue(ctx.session, ctx.actor, ctx.now, minutes)
    url = f"{ctx.settings.base_url()}/dashboard/login/{token}"
    text = ngettext(
        "Your dashboard link (works once, for {count} minute; don't share it): {url}",
        "Your dashboard link (works once, for {count} minutes; don't share it): {url}",
        minutes,
    ).format(count=format_number(minutes), url=url)
    about = _("Trends, pulse results above the anonymity threshold, Q&A and the network.")
    ctx.dm(ctx.actor, Message(text=text, blocks=[Section(text=text), Small(texts=[about])]))
    if not ctx.event.is_dm:
        ctx.reply(_("I've sent you a sign-in link to the dashboard by DM."))
