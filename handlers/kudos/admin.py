"""Admin controls for kudos: company values and workspace settings."""

from sqlmodel import delete

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.kit.feature_settings import setting_text, with_value
from bot.kit.roles import Role
from bot.kit.safety import neutralise
from bot.kit.subcommands import Subcommands
from bot.kit.tag_names import fold
from handlers.kudos import render, rules
from handlers.kudos.i18n import N_, _
from handlers.kudos.parsing import TAG
from handlers.kudos.settings import kudos_settings, save_kudos_settings
from handlers.kudos.tables import CompanyValue

_SWITCH = {"on": True, "yes": True, "true": True, "off": False, "no": False, "false": False}
SETTING_NAMES = {
    "channel": "channel",
    "emoji": "emoji",
    "allowance": "daily_allowance",
    "min-reason": "min_reason_length",
    "max-reason": "max_reason_length",
    "undo-minutes": "undo_minutes",
    "values-required": "values_required",
    "leaderboards": "leaderboards",
}


VALUES = Subcommands("/kudos values", summary=N_("Company values, shown as tags on kudos:"))


async def values(ctx: Context, text: str) -> None:
    await VALUES.run(ctx, text)


@VALUES.add("", help=N_("the company values you can tag"))
async def _list_values(ctx: Context, _: str) -> None:
    found = await rules.company_values(ctx.session, ctx.workspace)
    ctx.reply(
        render.values_list(found, kudos_settings(ctx.workspace, ctx.settings).values_required)
    )


@VALUES.add(
    "required", usage="on|off", help=N_("whether kudos must carry a value"), role=Role.ADMIN
)
async def _required(ctx: Context, rest: str) -> None:
    await settings_change(ctx, "values-required", rest)


@VALUES.add("add", usage="NAME description", help=N_("add a value"), role=Role.ADMIN)
async def _add_value(ctx: Context, rest: str) -> None:
    name, _sep, description = rest.partition(" ")
    tag = _valid_tag(name)
    existing = {v.tag for v in await rules.company_values(ctx.session, ctx.workspace)}
    if tag in existing:
        raise UserError(_("#{tag} is already one of the values.").format(tag=tag))
    assert ctx.workspace.id is not None
    ctx.session.add(
        CompanyValue(
            workspace_id=ctx.workspace.id,
            tag=tag,
            description=neutralise(description.strip())[:300],
        )
    )
    rules.forget_company_values(ctx.session, ctx.workspace)
    ctx.reply(_("Added #{tag} to the company values.").format(tag=tag))


@VALUES.add("remove", usage="NAME", help=N_("remove a value"), role=Role.ADMIN)
async def _remove_value(ctx: Context, rest: str) -> None:
    tag = _valid_tag(rest.partition(" ")[0])
    removed = await ctx.session.exec(
        delete(CompanyValue).where(
            CompanyValue.workspace_id == ctx.workspace.id,  # type: ignore[arg-type]
            CompanyValue.tag == tag,  # type: ignore[arg-type]
        )
    )
    if not removed.rowcount:
        raise UserError(_("#{tag} is not one of the values.").format(tag=tag))
    rules.forget_company_values(ctx.session, ctx.workspace)
    ctx.reply(_("Removed #{tag}. Kudos already tagged with it keep their tag.").format(tag=tag))


def _valid_tag(name: str) -> str:
    tag = fold(name.strip()).removeprefix("#")
    if not TAG.is_name(tag):
        # Letters of any script: "#チームワーク" is a value too.
        raise UserError(_("A value is one word of letters, digits, - or _, like `#teamwork`."))
    return tag


async def settings(ctx: Context, text: str) -> None:
    name, _sep, value = text.strip().partition(" ")
    if not name:
        ctx.reply(render.settings_summary(kudos_settings(ctx.workspace, ctx.settings)))
        return
    ctx.require(Role.ADMIN)
    await settings_change(ctx, name.lower(), value.strip())


async def settings_change(ctx: Context, name: str, value: str) -> None:
    field = SETTING_NAMES.get(name)
    if field is None:
        raise UserError(
            _("Unknown setting {name}. Settings: {names}.").format(
                name=repr(name), names=", ".join(SETTING_NAMES)
            )
        )
    current = kudos_settings(ctx.workspace, ctx.settings)
    parsed: object = value.lstrip("#").strip(":")
    if isinstance(getattr(current, field), bool):
        if value.lower() not in _SWITCH:
            raise UserError(_("{name} takes on or off.").format(name=name))
        parsed = _SWITCH[value.lower()]
    changed = with_value(current, field, parsed, name=name, typed=value)
    if not str(parsed):
        raise UserError(_("Please give a value for {name}.").format(name=name))
    save_kudos_settings(ctx.workspace, changed)
    ctx.reply(
        _("Kudos setting {name} is now {value}.").format(
            name=name, value=setting_text(getattr(changed, field))
        )
    )
