"""Community managers and admins move ideas through their stages and merge duplicates."""

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.kit.i18n import format_number
from handlers.ideas import notify, render, rules
from handlers.ideas.i18n import _, ngettext
from handlers.ideas.parsing import idea_ref
from handlers.ideas.stages import stage_label, typed_stage
from handlers.ideas.tables import Stage


async def stage(ctx: Context, text: str) -> None:
    ref, _space, wanted = text.strip().partition(" ")
    if not ref or not wanted.strip():
        raise UserError(
            _("Usage: `/idea stage #12 planned` (under review, planned, in progress, done).")
        )
    new_stage = typed_stage(wanted)
    if new_stage == "declined":
        raise UserError(_("To decline an idea, give the reason: `/idea decline #12 the reason`."))
    await _move(ctx, idea_ref(ref), new_stage, "")


async def decline(ctx: Context, text: str) -> None:
    ref, _space, reason = text.strip().partition(" ")
    if not ref:
        raise UserError(_("Usage: `/idea decline #12 the reason`."))
    await _move(ctx, idea_ref(ref), "declined", reason)


async def _move(ctx: Context, idea_id: int, new_stage: Stage, reason: str) -> None:
    idea = await rules.get_idea(ctx.session, ctx.workspace, idea_id, lock=True)
    previous = rules.change_stage(idea, new_stage, reason, ctx.now)
    ctx.session.add(idea)
    await notify.refresh_post(ctx, idea)
    told = await notify.tell_authors(ctx, idea, lambda: render.stage_notice(idea, previous))
    if new_stage == "done":
        # Voters hear about the happy ending; authors already have their own notice.
        authors = {person.id for person in told}
        voters = [p for p in await rules.voters(ctx.session, idea) if p.id not in authors]
        for voter in voters:
            ctx.dm(voter, lambda: render.done_notice(idea))
        told += voters
    ctx.reply(
        ngettext(
            "Idea #{id} is now {stage}; {count} person was told.",
            "Idea #{id} is now {stage}; {count} people were told.",
            len(told),
        ).format(id=idea.id, stage=stage_label(idea.stage), count=format_number(len(told)))
    )


async def merge(ctx: Context, text: str) -> None:
    words = text.split()
    if len(words) != 2:
        raise UserError(
            _("Usage: `/idea merge #FROM #INTO`: the duplicate first, the one to keep second.")
        )
    source_id, target_id = idea_ref(words[0]), idea_ref(words[1])
    # Lock both rows in id order, so two merges of the same pair cannot deadlock.
    locked = {
        idea_id: await rules.get_idea(ctx.session, ctx.workspace, idea_id, lock=True)
        for idea_id in sorted({source_id, target_id})
    }
    source, target = locked[source_id], locked[target_id]
    # Who to tell as the target's authors is decided before the merge credits new ones.
    keepers = await rules.authors(ctx.session, target)
    gained = await rules.merge(ctx.session, source, target, ctx.now)
    await notify.refresh_post(ctx, source)
    await notify.refresh_post(ctx, target)
    credited = await notify.tell_authors(ctx, source, lambda: render.merged_notice(source, target))
    told = {person.id for person in credited}
    for person in keepers:
        if person.id not in told:
            ctx.dm(person, lambda: render.merged_into_notice(source, target, gained))
    total = await rules.vote_count(ctx.session, target)
    ctx.reply(
        ngettext(
            "Merged #{id} into #{target}: it now has {count} vote ({gained} gained, nobody "
            "counted twice).",
            "Merged #{id} into #{target}: it now has {count} votes ({gained} gained, nobody "
            "counted twice).",
            total,
        ).format(
            id=source.id,
            target=target.id,
            count=format_number(total),
            gained=format_number(gained),
        )
    )
