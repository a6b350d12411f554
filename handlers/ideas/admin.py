"""Admin controls for ideas: the workspace's ideas settings, changed in chat."""

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.kit.feature_settings import setting_text, with_value
from bot.kit.i18n import format_list
from bot.kit.roles import Role
from handlers.ideas.i18n import _
from handlers.ideas.settings import SECTION, ideas_settings

SETTING_NAMES = {
    "channel": "channel",
    "emoji": "emoji",
    "similarity": "similarity_threshold",
    "embedding-threshold": "embedding_threshold",
    "half-life": "vote_half_life_days",
    "reminder-hours": "campaign_reminder_hours",
    "min-title": "min_title_length",
}


async def settings(ctx: Context, text: str) -> None:
    current = ideas_settings(ctx.workspace, ctx.settings)
    name, _space, value = text.strip().partition(" ")
    if not name:
        shown = [
            f"{key}: {setting_text(getattr(current, field))}"
            for key, field in SETTING_NAMES.items()
        ]
        ctx.reply(_("Ideas settings: {settings}").format(settings=", ".join(shown)))
        return
    ctx.require(Role.ADMIN)
    field = SETTING_NAMES.get(name.lower())
    if field is None:
        raise UserError(
            _("Unknown setting {name}. Settings: {names}.").format(
                name=repr(name), names=format_list(SETTING_NAMES)
            )
        )
    value = value.strip().lstrip("#").strip(":")
    if not value:
        raise UserError(_("Please give a value for {name}.").format(name=name))
    changed = with_value(current, field, value, name=name, typed=value)
    SECTION.save(ctx.workspace, changed)
    # Ideas already posted keep their channel: their posts are edited where they are.
    ctx.reply(
        _("Ideas setting {name} is now {value}.").format(
            name=name, value=setting_text(getattr(changed, field))
        )
    )
