"""`/rapport digest ...` for community managers, and the weekly firing."""

from datetime import datetime
from functools import partial

from pydantic import ValidationError

from bot.contract.context import BaseContext, Context, WorkContext
from bot.contract.digest import Week
from bot.contract.errors import UserError
from bot.contract.router import Router
from bot.kit.audit import record
from bot.kit.channels import channel_in
from bot.kit.i18n import format_datetime, speaking
from bot.kit.safety import neutralise
from bot.kit.subcommands import Subcommands
from handlers.digest import highlights, render, schedule
from handlers.digest.compose import Composed, community_managers, compose
from handlers.digest.i18n import N_, _
from handlers.digest.settings import DigestSettings, digest_settings, save_digest_settings

router = Router()


def parse_channels(text: str) -> list[str]:
    channels = []
    for word in text.split():
        named = channel_in(word)
        if named is None:
            raise UserError(
                _("`{word}` isn't a channel. Try `/rapport digest channels #community`.").format(
                    word=neutralise(word[:80])
                )
            )
        channels.append(named)
    if not channels:
        raise UserError(_("Name at least one channel: `/rapport digest channels #community`."))
    return list(dict.fromkeys(channels))


def _changed(current: DigestSettings, **change: object) -> DigestSettings:
    try:
        return DigestSettings.model_validate({**current.model_dump(), **change})
    except ValidationError as bad:
        problem = bad.errors()[0]["msg"].removeprefix("Value error, ")  # not translated: pydantic's
        raise UserError(
            _("{problem}. `/rapport digest help` lists what you can set.").format(problem=problem)
        ) from bad


DIGEST = Subcommands("/rapport digest", summary=N_("The weekly digest, for community managers:"))


async def digest_command(ctx: Context, text: str) -> None:
    await DIGEST.run(ctx, text)


@DIGEST.add("", "settings", help=N_("its settings"))
async def _show(ctx: Context, __: str) -> None:
    ctx.reply(_describe(ctx, digest_settings(ctx.workspace, ctx.settings)))


@DIGEST.add("channels", "channel", usage="#community #general", help=N_("where it is posted"))
async def _channels(ctx: Context, rest: str) -> None:
    current = digest_settings(ctx.workspace, ctx.settings)
    await _save(ctx, _changed(current, channels=parse_channels(rest), enabled=True))


@DIGEST.add("at", "time", usage="mon 09:00", help=N_("the day and local time"))
async def _at(ctx: Context, rest: str) -> None:
    current = digest_settings(ctx.workspace, ctx.settings)
    day, __, time = rest.partition(" ")
    await _save(ctx, _changed(current, day=day, time=time or current.time, enabled=True))


@DIGEST.add("on", help=N_("start it"))
async def _on(ctx: Context, __: str) -> None:
    await _save(ctx, _changed(digest_settings(ctx.workspace, ctx.settings), enabled=True))


@DIGEST.add("off", help=N_("stop it"))
async def _off(ctx: Context, __: str) -> None:
    await _save(ctx, _changed(digest_settings(ctx.workspace, ctx.settings), enabled=False))


def _describe(ctx: Context, digest: DigestSettings) -> str:
    return render.settings_text(
        digest.enabled, digest.channels, digest.day, digest.time, ctx.workspace.timezone
    )


async def _save(ctx: Context, digest: DigestSettings) -> None:
    save_digest_settings(ctx.workspace, digest)
    ctx.session.add(ctx.workspace)
    upcoming = await schedule.replace_schedule(ctx.session, ctx.workspace, digest, ctx.now)
    zone = ctx.workspace.timezone
    reply = render.settings_saved(digest.enabled, digest.channels, digest.day, digest.time, zone)
    if upcoming is not None and upcoming.next_fire_at is not None:
        when = format_datetime(upcoming.next_fire_at, "short", zone)
        reply += " " + _("The next one: {when} ({zone}).").format(when=when, zone=zone)
    ctx.reply(reply)


@DIGEST.add("preview", help=N_("this week's digest, shown to you only"))
async def _preview(ctx: Context, __: str) -> None:
    """The digest of the last seven days for the asker only; the private part by DM, like
    the real one, and the read of it in the audit log."""
    week = Week.before(ctx.now)
    composed = await _compose(ctx, week)
    digest = digest_settings(ctx.workspace, ctx.settings)
    ctx.reply(render.digest(composed))
    private = render.for_managers(composed, digest.channels, _dashboard(ctx), preview=True)
    ctx.dm(ctx.actor, private)
    await record(
        ctx.session,
        ctx.workspace.id or 0,
        ctx.actor.id,
        "digest.preview",
        ctx.now,
        since=week.start.isoformat(),
        until=week.end.isoformat(),
    )


async def _compose(ctx: BaseContext, week: Week, *, written: bool = True) -> Composed:
    features = ctx.bot.router.features
    return await compose(ctx.session, ctx.workspace, week, ctx.settings, features, written=written)


def _dashboard(ctx: BaseContext) -> str | None:
    """The dashboard's address, when the server has a public one people can reach."""
    base = ctx.settings.public_base_url.rstrip("/")
    return f"{base}/dashboard" if base else None


@router.schedule(schedule.KIND)
async def weekly_digest(ctx: WorkContext) -> None:
    """Post this week's digest to each channel and DM the private part to community managers."""
    week = Week.before(datetime.fromisoformat(ctx.due.period))
    digest = digest_settings(ctx.workspace, ctx.settings)
    composed = await _compose(ctx, week)
    message = render.digest(composed)
    for channel in digest.channels:
        ctx.post(channel, message)
    if digest.channels:
        highlights.remember(ctx.session, ctx.workspace, week, composed.highlights)
    # The parts are written in the language they are made in: each manager's language gets
    # its own making (without the model's summary, which the DM does not show).
    made = {ctx.workspace_language: composed}
    for manager in await community_managers(ctx.session, ctx.workspace):
        language = ctx.language_of(manager)
        if language not in made:
            with speaking(language):
                made[language] = await _compose(ctx, week, written=False)
        ctx.nudge(
            manager,
            partial(render.for_managers, made[language], digest.channels, _dashboard(ctx)),
        )
