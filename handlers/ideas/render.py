"""What ideas look like in chat, as neutral UI, in the language being spoken (bot.kit.i18n)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from babel.numbers import format_decimal

from bot.contract.ui import Actions, Block, Button, Context, Message, Section, mention
from bot.kit.i18n import current, format_list, format_number
from bot.kit.safety import neutralise
from bot.models import Person
from handlers.ideas.i18n import N_, _, ngettext
from handlers.ideas.rules import Ranked
from handlers.ideas.settings import IdeasSettings
from handlers.ideas.stages import stage_label
from handlers.ideas.tables import Campaign, Idea, Stage

SUMMARY = N_(
    "*Ideas*: suggest improvements, vote for the ones you want, see them through.\n"
    "• `/idea Title — details`: post an idea (`-`, `--` or `Title: details` work too)\n"
    "• `/idea c2 Title — details`: post an idea into campaign c2"
)


def help_notes(settings: IdeasSettings) -> str:
    return _(
        "Ideas are posted in #{channel}. React with :{emoji}: on someone's message to post it "
        "as their idea. Click *Upvote* on an idea to vote; click again to take your vote back. "
        "Ranking: each vote weighs half as much every {days} days, so new ideas can rise."
    ).format(
        channel=settings.channel,
        emoji=settings.emoji,
        days=format_number(settings.vote_half_life_days),
    )


def when(moment: datetime, timezone: str) -> str:
    """`Mon, Feb 1, 2027 17:00 CET`, `lun. 1 févr. 2027 17:00 CET`: a deadline, with its zone."""
    local = moment.astimezone(ZoneInfo(timezone))
    day = format_skeleton("yMMMEd", local, locale=current())
    clock = format_skeleton("Hm", local, locale=current())
    return f"{day} {clock} {local:%Z}"


def decimal(value: float, places: int) -> str:
    """`2.00` in English, `2,00` in French: a score shown with a fixed number of places."""
    return format_decimal(value, format="0." + "0" * places, locale=current())


def _credit(people: list[Person]) -> str:
    author, *others = people
    if not others:
        return _("by {author}").format(author=mention(author.platform_user_id))
    return _("by {author} with {others}").format(
        author=mention(author.platform_user_id),
        others=format_list(mention(p.platform_user_id) for p in others),
    )


def _votes(count: int) -> str:
    return ngettext("{count} vote", "{count} votes", count).format(count=format_number(count))


def _upvote(votes: int) -> str:
    return "👍 " + _("Upvote ({count})").format(count=format_number(votes))


def idea_post(idea: Idea, people: list[Person], votes: int, campaign: Campaign | None) -> Message:
    """The idea as posted in the ideas channel; every later edit re-renders all of it."""
    headline = f"💡 #{idea.id} {idea.title}"
    body = f"*{headline}*" + (f"\n{idea.details}" if idea.details else "")
    small = [_credit(people), stage_label(idea.stage), _votes(votes)]
    if campaign is not None:
        small.append(
            _("campaign c{id}: {question}").format(id=campaign.id, question=campaign.question)
        )
    blocks: list[Block] = [Section(text=body), Context(texts=small)]
    if idea.stage == "declined":
        blocks.append(Context(texts=[_("Declined: {reason}").format(reason=idea.decline_reason)]))
    elif idea.stage == "merged":
        blocks.append(
            Context(
                texts=[_("Merged into #{target}: vote there.").format(target=idea.merged_into_id)]
            )
        )
    elif idea.stage != "done":
        upvote = Button(action_id="ideas.vote", label=_upvote(votes), value=str(idea.id))
        blocks.append(Actions(elements=[upvote]))
    return Message(text=f"{headline} ({_votes(votes)})", blocks=blocks)


def discussion(idea: Idea) -> str:
    return "💬 " + _("Discuss idea #{id} here: questions, improvements, offers to help.").format(
        id=idea.id
    )


def posted(idea: Idea) -> str:
    return _(
        "Thanks! Your idea #{id} “{title}” is posted in #{channel}. "
        "I'll tell you whenever its stage changes."
    ).format(id=idea.id, title=idea.title, channel=idea.channel)


def adopted(idea: Idea, author: Person, reactor: Person, similar: list[Idea]) -> str:
    credited = mention(author.platform_user_id)
    if author.id == reactor.id:
        text = _("Posted your message as idea #{id} in #{channel}, credited to {author}.")
    else:
        text = _("Posted {author}'s message as idea #{id} in #{channel}, credited to {author}.")
    text = text.format(id=idea.id, channel=idea.channel, author=credited)
    if similar:
        listed = format_list(f"#{other.id} {other.title}" for other in similar)
        text += " " + _(
            "It looks like {ideas}: community managers can merge duplicates with "
            "`/idea merge #{id} #{other}`."
        ).format(ideas=listed, id=idea.id, other=similar[0].id)
    return text


def adopted_notice(idea: Idea, reactor: Person) -> str:
    return _(
        "{reactor} turned your message into idea #{id} “{title}”, credited to you. "
        "I'll tell you whenever its stage changes."
    ).format(reactor=mention(reactor.platform_user_id), id=idea.id, title=idea.title)


def similar_prompt(draft: Idea, similar: list[tuple[Idea, int]]) -> Message:
    intro = _(
        "Before I post “{title}”: is yours one of these? "
        "If so, vote for it instead, so the votes add up in one place."
    ).format(title=draft.title)
    lines = [
        f"• #{idea.id} {idea.title} ({_votes(votes)}, {stage_label(idea.stage)})"
        for idea, votes in similar
    ]
    buttons = [
        Button(
            action_id="ideas.vote",
            label="👍 " + _("Upvote #{id}").format(id=idea.id),
            value=str(idea.id),
        )
        for idea, _count in similar
    ]
    buttons.append(
        Button(
            action_id="ideas.publish",
            label=_("Post mine anyway"),
            value=str(draft.id),
            style="primary",
        )
    )
    buttons.append(Button(action_id="ideas.discard", label=_("Discard mine"), value=str(draft.id)))
    text = intro + "\n" + "\n".join(lines)
    return Message(text=text, blocks=[Section(text=text), Actions(elements=buttons)])


def vote_reply(idea: Idea, active: bool, votes: int) -> str:
    if active:
        return _("You voted for #{id} “{title}” ({votes}). Click again to undo.").format(
            id=idea.id, title=idea.title, votes=_votes(votes)
        )
    return _("Your vote for #{id} is withdrawn ({votes}).").format(id=idea.id, votes=_votes(votes))


def stage_notice(idea: Idea, previous: Stage) -> str:
    text = _("Your idea #{id} “{title}” moved from {previous} to {stage}.").format(
        id=idea.id, title=idea.title, previous=stage_label(previous), stage=stage_label(idea.stage)
    )
    if idea.stage == "declined":
        text += " " + _("The reason: {reason}").format(reason=idea.decline_reason)
    return text


def done_notice(idea: Idea) -> str:
    return "✅ " + _(
        "An idea you voted for is done: #{id} “{title}”. Thank you for voting!"
    ).format(id=idea.id, title=idea.title)


def merged_notice(source: Idea, target: Idea) -> str:
    return _(
        "Your idea #{id} “{title}” was merged into #{target} “{target_title}”; you are "
        "credited as a co-author there, and its votes came along."
    ).format(id=source.id, title=source.title, target=target.id, target_title=target.title)


def merged_into_notice(source: Idea, target: Idea, gained: int) -> str:
    return ngettext(
        "#{id} “{title}” was merged into your idea #{target} “{target_title}”: {count} vote "
        "gained; its authors are now co-authors.",
        "#{id} “{title}” was merged into your idea #{target} “{target_title}”: {count} votes "
        "gained; its authors are now co-authors.",
        gained,
    ).format(
        id=source.id,
        title=source.title,
        target=target.id,
        target_title=target.title,
        count=format_number(gained),
    )


def top(ranked: list[Ranked], campaign: Campaign | None) -> Message:
    if campaign:
        title = _("Top ideas for c{id}: {question}").format(
            id=campaign.id, question=campaign.question
        )
    else:
        title = _("Top ideas")
    if not ranked:
        return Message(
            text=_("{title}: no ideas yet. `/idea Title — details` to post the first!").format(
                title=title
            )
        )
    lines = [
        _("{rank}. #{id} {title}: {votes} (score {score}, {stage})").format(
            rank=rank,
            id=r.idea.id,
            title=r.idea.title,
            votes=_votes(r.votes),
            score=decimal(r.score, 2),
            stage=stage_label(r.idea.stage),
        )
        for rank, r in enumerate(ranked, start=1)
    ]
    return Message(
        text=f"{title}\n" + "\n".join(lines),
        blocks=[Section(text=f"*{title}*"), Section(text="\n".join(lines))],
    )


def mine(ideas: list[tuple[Idea, int]]) -> str:
    if not ideas:
        return _("You have no ideas posted yet. `/idea Title — details` posts your first.")
    lines = [
        f"• #{idea.id} {idea.title}: {_votes(votes)}, {stage_label(idea.stage)}"
        for idea, votes in ideas
    ]
    return _("Your ideas:") + "\n" + "\n".join(lines)


def did_you_mean(subcommand: str, text: str) -> str:
    return _(
        "Did you mean `/idea {subcommand}`? I didn't post “{text}” as an idea. "
        "`/idea help` lists the commands; to post an idea that starts like a command, "
        "open the form with `/idea` alone."
    ).format(subcommand=subcommand, text=neutralise(text))


def campaign_opened(campaign: Campaign, opener: Person, timezone: str) -> Message:
    text = "📣 " + _("New ideas campaign c{id} from {opener}: {question}").format(
        id=campaign.id, opener=mention(opener.platform_user_id), question=campaign.question
    )
    hint = _(
        "Ideas welcome until {deadline}: `/idea c{id} Title — details`, or `/idea join #ID c{id}`."
    ).format(deadline=when(campaign.closes_at, timezone), id=campaign.id)
    return Message(text=f"{text}\n{hint}", blocks=[Section(text=text), Context(texts=[hint])])


def campaign_list(campaigns: list[Campaign], timezone: str) -> str:
    if not campaigns:
        return _("No campaign is open right now.")
    lines = [
        _("• c{id}: {question} (until {deadline})").format(
            id=c.id, question=c.question, deadline=when(c.closes_at, timezone)
        )
        for c in campaigns
    ]
    return _("Open campaigns:") + "\n" + "\n".join(lines)


def campaign_reminder(campaign: Campaign, ideas: int, timezone: str) -> str:
    return "⏰ " + ngettext(
        "Campaign c{id} closes {deadline}: {question} It has {count} idea so far. Add yours "
        "with `/idea c{id} Title — details` and vote for your favourites.",
        "Campaign c{id} closes {deadline}: {question} It has {count} ideas so far. Add yours "
        "with `/idea c{id} Title — details` and vote for your favourites.",
        ideas,
    ).format(
        id=campaign.id,
        deadline=when(campaign.closes_at, timezone),
        question=campaign.question,
        count=format_number(ideas),
    )


def campaign_results(campaign: Campaign, ranked: list[Ranked]) -> Message:
    title = "🏁 " + _("Campaign c{id} has closed: {question}").format(
        id=campaign.id, question=campaign.question
    )
    if not ranked:
        return Message(text=f"{title}\n" + _("No ideas were submitted."))
    lines = [
        f"{rank}. #{r.idea.id} {r.idea.title}: {_votes(r.votes)}"
        for rank, r in enumerate(ranked, start=1)
    ]
    body = _("Top ideas:") + "\n" + "\n".join(lines)
    return Message(text=f"{title}\n{body}", blocks=[Section(text=f"*{title}*"), Section(text=body)])
