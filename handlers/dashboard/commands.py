"""`/rapport dashboard`: a one-time sign-in link, by DM, for admins and community managers."""

from bot.contract.context import Context
from bot.contract.ui import Context as Small
from bot.contract.ui import Message, Section
from handlers.dashboard import links
from handlers.dashboard.settings import dashboard_settings


async def dashboard_command(ctx: Context) -> None:
    minutes = dashboard_settings(ctx.settings).link_minutes
    token = await links.issue(ctx.session, ctx.actor, ctx.now, minutes)
    url = f"{ctx.settings.base_url()}/dashboard/login/{token}"
    text = f"Your dashboard link (works once, for {minutes} minutes; don't share it): {url}"
    ctx.dm(
        ctx.actor,
        Message(
            text=text,
            blocks=[
                Section(text=text),
                Small(
                    texts=[
                        "Trends, pulse results above the anonymity threshold, Q&A and the network."
                    ]
                ),
            ],
        ),
    )
    if not ctx.event.is_dm:
        ctx.reply("I've sent you a sign-in link to the dashboard by DM.")
