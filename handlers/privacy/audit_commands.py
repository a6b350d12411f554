"""`/rapport audit [days]` (a page at a time) and `/rapport audit export [days] [csv|json]`."""

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.contract.events import Action
from bot.contract.router import Router
from bot.contract.ui import Actions, Attachment, Button, Message, Section
from bot.contract.ui import Context as Small
from bot.kit.audit import record
from bot.kit.i18n import format_number
from bot.kit.roles import Role
from handlers.privacy import audit_log
from handlers.privacy.i18n import _, ngettext

router = Router()

MORE = "privacy.audit.more"


async def audit(ctx: Context, text: str) -> None:
    words = text.lower().split()
    if words[:1] == ["export"]:
        await _export(ctx, words[1:])
    else:
        await _list(ctx, _days(words), 0)


@router.action(MORE, role=Role.ADMIN)
async def more(ctx: Context, action: Action) -> None:
    days, _sep, offset = action.value.partition(":")
    if not (days.isdigit() and offset.isdigit()):
        raise UserError(_("That page link is broken; run `/rapport audit` again."))
    await _list(ctx, int(days), int(offset))


async def _list(ctx: Context, days: int, offset: int) -> None:
    assert ctx.workspace.id is not None
    found = await audit_log.page(
        ctx.session, ctx.workspace.id, audit_log.since(ctx.now, days), offset
    )
    await record(
        ctx.session, ctx.workspace.id, ctx.actor.id, "audit.list", ctx.now, days=days, offset=offset
    )
    if not found.rows:
        ctx.reply(
            ngettext(
                "The audit log has no entries in the last {count} day.",
                "The audit log has no entries in the last {count} days.",
                days,
            ).format(count=format_number(days))
        )
        return
    last = offset + len(found.rows)
    heading = ngettext(
        "Audit log, last {count} day: entries {first}–{last} of {total}, newest first.",
        "Audit log, last {count} days: entries {first}–{last} of {total}, newest first.",
        days,
    ).format(
        count=format_number(days),
        first=format_number(offset + 1),
        last=format_number(last),
        total=format_number(found.total),
    )
    blocks: list[Section | Actions | Small] = [
        Section(text=heading),
        Small(texts=[audit_log.line(row) for row in found.rows]),
    ]
    if found.more:
        blocks.append(
            Actions(elements=[Button(action_id=MORE, label=_("Older"), value=f"{days}:{last}")])
        )
    ctx.reply(Message(text=heading, blocks=blocks))


async def _export(ctx: Context, words: list[str]) -> None:
    assert ctx.workspace.id is not None
    kind = "json" if "json" in words else "csv"
    days = _days([w for w in words if w not in {"csv", "json"}])
    rows = await audit_log.everything(ctx.session, ctx.workspace.id, audit_log.since(ctx.now, days))
    await record(
        ctx.session, ctx.workspace.id, ctx.actor.id, "audit.export", ctx.now, days=days, format=kind
    )
    data = audit_log.as_json(rows) if kind == "json" else audit_log.as_csv(rows)
    file = Attachment(
        name=f"rapport-audit-{ctx.now:%Y-%m-%d}.{kind}",
        media_type="application/json" if kind == "json" else "text/csv",
        data=data,
    )
    entries = ngettext("{count} entry", "{count} entries", len(rows)).format(
        count=format_number(len(rows))
    )
    told = ngettext(
        "The audit log of the last {count} day: {entries}.",
        "The audit log of the last {count} days: {entries}.",
        days,
    ).format(count=format_number(days), entries=entries)
    ctx.dm(ctx.actor, Message(text=told, attachments=[file]))
    if not ctx.event.is_dm:
        ctx.reply(_("I've sent you the audit log by DM."))


def _days(words: list[str]) -> int:
    if not words:
        return audit_log.DEFAULT_DAYS
    if len(words) == 1 and words[0].isdigit() and 1 <= int(words[0]) <= 3650:
        return int(words[0])
    raise UserError(
        _("Usage: `/rapport audit [days]` or `/rapport audit export [days] [csv|json]`.")
    )
