"""`/rapport fairness`: the fairness report, ephemerally, for community managers and admins."""

from datetime import timedelta

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.kit.audit import record
from handlers.insights import render
from handlers.insights.i18n import _

DEFAULT_WEEKS = 4
MAX_WEEKS = 26


def _weeks(text: str) -> int:
    word = text.strip().lower().removesuffix("weeks").removesuffix("w").strip()
    if not word:
        return DEFAULT_WEEKS
    if not word.isdigit() or not 1 <= int(word) <= MAX_WEEKS:
        raise UserError(
            _("Give a number of weeks from 1 to {most}: `/rapport fairness 8`.").format(
                most=MAX_WEEKS
            )
        )
    return int(word)


async def fairness_command(ctx: Context, text: str) -> None:
    if text.strip().lower() == "help":
        ctx.reply(str(render.FAIRNESS_HELP))
        return
    from handlers.insights.fairness import fairness_report  # networkx and numpy, on first use

    weeks = _weeks(text)
    workspace_id = ctx.workspace.id or 0
    # Windows end before their end time; a second on, so that what just happened counts.
    end = ctx.now + timedelta(seconds=1)
    report = await fairness_report(ctx.session, workspace_id, end - timedelta(weeks=weeks), end)
    await record(
        ctx.session,
        workspace_id,
        ctx.actor.id,
        "insights.fairness",
        ctx.now,
        weeks=weeks,
        rings=len(report.rings),
    )
    ctx.reply(render.fairness(report, weeks))
