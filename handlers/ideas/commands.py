"""Ideas in chat: `/idea`, the idea form, the Upvote button and duplicate hints at submit."""

import re
from functools import partial
from typing import cast

from bot.contract.context import Context
from bot.contract.errors import FormInvalid, UserError
from bot.contract.events import (
    MENTION,
    Action,
    Command,
    FormSubmit,
    Message,
    MessageAction,
    Reaction,
)
from bot.contract.router import Router
from bot.contract.ui import Form, Input, Option
from bot.kit import openai_models
from bot.kit.language import own_language
from bot.kit.roles import Role
from bot.kit.safety import neutralise
from bot.kit.subcommands import Subcommands
from handlers.ideas import admin, campaigns, moderation, notify, render, rules, typos
from handlers.ideas.i18n import N_, _
from handlers.ideas.parsing import Submission, campaign_ref, idea_ref, parse_submission
from handlers.ideas.settings import IdeasSettings, ideas_settings
from handlers.ideas.tables import Campaign, Idea

router = Router()
router.include(campaigns.router)

# `/idea c2 Title — details` posts into campaign c2.
_CAMPAIGN_PREFIX = re.compile(r"[cC](\d{1,9})\s+")


def _settings(ctx: Context) -> IdeasSettings:
    return ideas_settings(ctx.workspace, ctx.settings)


IDEA = Subcommands(
    "/idea",
    summary=render.SUMMARY,
    notes=lambda ctx: render.help_notes(_settings(ctx)),
)


@router.command(
    "idea", help=N_("/idea Title — details: suggest an idea; `/idea top`: the best ones")
)
async def idea_command(ctx: Context, command: Command) -> None:
    await IDEA.run(ctx, command.text)


@IDEA.add("", help=N_("open the idea form"))
async def _open_form(ctx: Context, _rest: str) -> None:
    ctx.open_form(await _form(ctx))


@router.action("ideas.start")
async def start_button(ctx: Context, action: Action) -> None:
    """The home page's "Post an idea" button."""
    ctx.open_form(await _form(ctx))


@IDEA.otherwise
async def _submit_typed(ctx: Context, text: str) -> None:
    word, _space, rest = text.partition(" ")
    if meant := typos.meant(word, rest, IDEA.names(), _ARGUMENT_WORDS):
        raise UserError(render.did_you_mean(meant, text))
    try:
        await _submit_text(ctx, text)
    except UserError as refused:
        # Slash commands do not keep what was typed: hand it back so nothing is lost.
        wrote = _("What you wrote: {command}").format(command=f"/idea {neutralise(text)}")
        raise UserError(f"{refused.text}\n{wrote}") from refused


@IDEA.add("campaigns", help=N_("the open campaigns"))
async def _list_campaigns(ctx: Context, _rest: str) -> None:
    await campaigns.list_open(ctx)


@IDEA.add("mine", help=N_("the ideas you posted or are credited on, and where they stand"))
async def _mine(ctx: Context, rest: str) -> None:
    if rest.strip():
        raise UserError(
            _(
                "`/idea mine` lists your ideas and takes nothing after it. To post an idea "
                "that starts with “mine”, open the form with `/idea` alone."
            )
        )
    ideas = await rules.ideas_of(ctx.session, ctx.actor)
    ctx.reply(render.mine([(idea, await rules.vote_count(ctx.session, idea)) for idea in ideas]))


@IDEA.add(
    "top",
    "list",
    usage="[c2]",
    help=N_("the best ideas right now, overall or in a campaign"),
)
async def _top(ctx: Context, text: str) -> None:
    campaign = None
    if text.strip():
        campaign = await rules.get_campaign(ctx.session, ctx.workspace, campaign_ref(text))
    ranked = await rules.ranking(
        ctx.session, ctx.workspace, campaign, ctx.now, _settings(ctx).vote_half_life_days
    )
    ctx.reply(render.top(ranked, campaign))


IDEA.add("join", usage="#12 c2", help=N_("add your idea to an open campaign"))(campaigns.join)
IDEA.add(
    "stage",
    usage="#12 under review|planned|in progress|done",
    help=N_("move an idea on"),
    role=Role.COMMUNITY_MANAGER,
)(moderation.stage)
IDEA.add(
    "decline",
    usage="#12 the reason",
    help=N_("decline it, with a reason the author hears"),
    role=Role.COMMUNITY_MANAGER,
)(moderation.decline)
IDEA.add(
    "merge",
    usage="#12 #7",
    help=N_("fold duplicate #12 into #7 (votes combined, authors credited)"),
    role=Role.COMMUNITY_MANAGER,
)(moderation.merge)
IDEA.add(
    "campaign",
    usage='[open "How can we cut onboarding time?" 2027-02-01 [17:00] | close c2]',
    help=N_("campaigns: a question with a deadline; community managers open and close them"),
)(campaigns.command)
IDEA.add(
    "settings",
    usage="[NAME VALUE]",
    help=N_("the ideas settings, each by its name; admins change them"),
)(admin.settings)
# Words that follow a subcommand (beside numbers): after them, a near miss is a typo.
_ARGUMENT_WORDS = {"open", "close", *admin.SETTING_NAMES}


async def _submit_text(ctx: Context, text: str) -> None:
    campaign = None
    if prefix := _CAMPAIGN_PREFIX.match(text):
        campaign = await rules.get_campaign(ctx.session, ctx.workspace, int(prefix[1]))
        text = text[prefix.end() :]
    await _submit(ctx, parse_submission(text), campaign)


async def _submit(ctx: Context, submission: Submission, campaign: Campaign | None) -> None:
    settings = _settings(ctx)
    submission = rules.check_submission(submission, settings.min_title_length)
    if campaign is not None:
        rules.check_campaign_open(campaign)
    similar = await _similar(ctx, submission)
    idea = await rules.create_idea(
        ctx.session, ctx.actor, submission, settings.channel, campaign, ctx.now, draft=bool(similar)
    )
    if similar:
        counted = [(other, await rules.vote_count(ctx.session, other)) for other in similar]
        ctx.reply(render.similar_prompt(idea, counted))
        return
    await _publish(ctx, idea, campaign)


async def _similar(ctx: Context, submission: Submission) -> list[Idea]:
    settings = _settings(ctx)
    semantic = None
    if openai_models.configured(ctx.settings):
        # Asked while the submitting event's transaction is open: the call's short timeout
        # bounds how long it holds the database.
        semantic = partial(openai_models.similarity_scores, ctx.settings, settings.embedding_model)
    return await rules.similar_ideas(
        ctx.session,
        ctx.workspace,
        submission,
        settings.similarity_threshold,
        semantic,
        settings.embedding_threshold,
        own_language(ctx.actor),
    )


async def _publish(ctx: Context, idea: Idea, campaign: Campaign | None) -> None:
    idea.stage, idea.created_at, idea.stage_changed_at = "new", ctx.now, ctx.now
    await _post(ctx, idea, campaign)
    ctx.reply(render.posted(idea))


async def _post(ctx: Context, idea: Idea, campaign: Campaign | None) -> None:
    """The idea in the ideas channel, and its discussion thread opened under it."""
    people = await rules.authors(ctx.session, idea)
    idea.message_key = ctx.post(idea.channel, lambda: render.idea_post(idea, people, 0, campaign))
    ctx.post_in_thread_of(idea.message_key, idea.channel, lambda: render.discussion(idea))
    ctx.session.add(idea)


async def _form(ctx: Context) -> Form:
    inputs = [
        Input(name="title", label=_("Your idea, in a line"), max_length=rules.TITLE_MAX),
        Input(
            name="details",
            label=_("Details: the problem, and how it would help"),
            kind="textarea",
            required=False,
            max_length=rules.DETAILS_MAX,
        ),
    ]
    open_campaigns = await rules.open_campaigns(ctx.session, ctx.workspace)
    if open_campaigns:
        inputs.append(
            Input(
                name="campaign",
                label=_("Part of a campaign?"),
                kind="select",
                required=False,
                options=[Option(value=f"c{c.id}", label=c.question) for c in open_campaigns],
            )
        )
    return Form(
        form_id="ideas.submit", title=_("Share an idea"), inputs=inputs, submit_label=_("Post")
    )


@router.form("ideas.submit")
async def idea_form(ctx: Context, submit: FormSubmit) -> None:
    values = {name: cast(str, submit.values.get(name, "") or "") for name in submit.values}
    submission = Submission(values.get("title", ""), values.get("details", ""))
    try:
        campaign = None
        if values.get("campaign"):
            campaign = await rules.get_campaign(
                ctx.session, ctx.workspace, campaign_ref(values["campaign"])
            )
        await _submit(ctx, submission, campaign)
    except rules.IdeaRefused as refused:
        raise FormInvalid({refused.field: refused.text}) from refused
    except UserError as refused:
        raise FormInvalid({"campaign": refused.text}) from refused


@router.reaction()
async def idea_reaction(ctx: Context, reaction: Reaction) -> None:
    """Reacting with the ideas emoji makes someone's message an idea, credited to them."""
    if reaction.emoji.split("::")[0] != _settings(ctx).emoji.strip(":"):
        return
    await _adopt(ctx, reaction.message_id, reaction.message_author, reaction.message_text)


@router.message_action("idea")
async def idea_shortcut(ctx: Context, action: MessageAction) -> None:
    """Making a message an idea from its own menu ("Make this an idea") is the same as the
    ideas reaction, with a word back when there is nothing to do, since a menu choice expects
    an answer."""
    if not await _adopt(ctx, action.message_id, action.message_author, action.message_text):
        ctx.reply(_("That message cannot become an idea: it is already one, or it is mine."))


async def _adopt(ctx: Context, message_id: str, author_id: str, message_text: str) -> bool:
    """Post someone's message as their idea; False if it is the bot's or an idea already."""
    settings = _settings(ctx)
    author = await ctx.person(author_id)
    if author is None or author.is_bot:
        return False  # the bot's own posts, ideas included, are not ideas
    names = {
        uid: p.display_name for uid in MENTION.findall(message_text) if (p := await ctx.person(uid))
    }
    text = MENTION.sub(lambda m: "@" + names.get(m[1], m[1]), message_text)
    submission = rules.from_message(text)
    similar = await _similar(ctx, submission)
    idea = await rules.adopt_message(
        ctx.session, author, submission, settings.channel, message_id, ctx.now
    )
    if idea is None:
        return False  # that message is an idea already
    await _post(ctx, idea, None)
    ctx.reply(render.adopted(idea, author, ctx.actor, similar))
    if author.id != ctx.actor.id:
        reactor = ctx.actor
        ctx.dm(author, lambda: render.adopted_notice(idea, reactor))
    return True


@router.message()
async def idea_comment(ctx: Context, message: Message) -> None:
    """A message in an idea's discussion thread: recorded as a tie to its authors."""
    if not message.thread or ctx.actor.is_bot:
        return
    idea = await rules.idea_in_thread(ctx.session, ctx.workspace, message.thread)
    if idea is not None:
        await rules.record_comment(ctx.session, idea, ctx.actor, message.message_id, ctx.now)


@router.action("ideas.vote")
async def vote_button(ctx: Context, action: Action) -> None:
    idea = await rules.get_idea(ctx.session, ctx.workspace, idea_ref(action.value), lock=True)
    vote = await rules.toggle_vote(ctx.session, idea, ctx.actor, ctx.now)
    if not vote.changed:
        return  # a double click: the first click already counted and answered
    await notify.refresh_post(ctx, idea, vote.count)
    ctx.reply(render.vote_reply(idea, vote.active, vote.count))


@router.action("ideas.publish")
async def publish_button(ctx: Context, action: Action) -> None:
    draft = await rules.own_draft(ctx.session, ctx.actor, idea_ref(action.value))
    campaign = await ctx.session.get(Campaign, draft.campaign_id) if draft.campaign_id else None
    await _publish(ctx, draft, campaign)


@router.action("ideas.discard")
async def discard_button(ctx: Context, action: Action) -> None:
    draft = await rules.own_draft(ctx.session, ctx.actor, idea_ref(action.value))
    await ctx.session.delete(draft)
    ctx.reply(_("Discarded: your idea was not posted. Thanks for voting instead!"))
