"""`/ask settings`: the workspace's Q&A settings, shown to anyone and changed by an admin or
community manager, each change written to the audit log."""

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.kit.audit import record
from bot.kit.feature_settings import setting_text, with_value
from bot.kit.roles import Role
from handlers.qa import render
from handlers.qa.delivery import settings_of
from handlers.qa.i18n import _
from handlers.qa.settings import SECTION

SETTING_NAMES = {
    "experts": "experts_per_question",
    "claim-hours": "claim_working_hours",
    "answer-days": "answer_working_days",
    "channel": "channel",
    "similarity": "similarity_threshold",
    "half-life": "expertise_half_life_days",
}


def is_settings(text: str) -> bool:
    """`/ask settings` or `/ask settings NAME …`; "/ask settings for the VPN?" is a question."""
    word, _space, rest = text.strip().partition(" ")
    name = rest.strip().partition(" ")[0].lower()
    return word.lower() == "settings" and (not name or name in SETTING_NAMES)


async def settings(ctx: Context, text: str) -> None:
    rest = text.strip().partition(" ")[2]
    name, _space, value = rest.strip().partition(" ")
    current = settings_of(ctx)
    if not name:
        ctx.reply(render.settings_summary(current, SETTING_NAMES))
        return
    ctx.require(Role.COMMUNITY_MANAGER)
    field = SETTING_NAMES[name.lower()]
    value = value.strip().lstrip("#").strip()
    if not value:
        raise UserError(
            _(
                "Please give a value for {name}. Try `/ask settings experts 3`, "
                "`/ask settings claim-hours 4`, `/ask settings answer-days 2` or "
                "`/ask settings channel help`."
            ).format(name=name)
        )
    changed = with_value(current, field, value, name=name, typed=value)
    before, after = getattr(current, field), getattr(changed, field)
    SECTION.save(ctx.workspace, changed)
    ctx.session.add(ctx.workspace)
    assert ctx.workspace.id is not None
    await record(
        ctx.session,
        ctx.workspace.id,
        ctx.actor.id,
        "qa.settings",
        ctx.now,
        setting=field,
        before=before,
        after=after,
    )
    # Questions already routed keep their deadlines; the change applies from the next one.
    ctx.reply(
        _("Q&A setting {name} is now {value}.").format(name=name.lower(), value=setting_text(after))
    )
