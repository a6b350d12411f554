"""What ideas look like in chat, as neutral UI."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.contract.ui import Actions, Block, Button, Context, Message, Section, mention
from bot.kit.safety import neutralise
from bot.kit.wording import counted
from bot.models import Person
from handlers.ideas.rules import Ranked
from handlers.ideas.settings import IdeasSettings
from handlers.ideas.tables import Campaign, Idea

SUMMARY = """*Ideas*: suggest improvements, vote for the ones you want, see them through.
• `/idea Title — details`: post an idea (`-`, `--` or `Title: details` work too)
• `/idea c2 Title — details`: post an idea into campaign c2"""


def help_notes(settings: IdeasSettings) -> str:
    return (
        f"Ideas are posted in #{settings.channel}. React with :{settings.emoji}: on someone's "
        "message to post it as their idea. Click *Upvote* on an idea to vote; click again to "
        "take your vote back. Ranking: each vote weighs half as much every "
        f"{settings.vote_half_life_days:g} days, so new ideas can rise."
    )


STAGE_ICONS = {
    "new": "🆕",
    "under_review": "🔎",
    "planned": "🗓️",
    "in_progress": "🚧",
    "done": "✅",
    "declined": "🚫",
    "merged": "🔀",
}


def stage_label(stage: str) -> str:
    return f"{STAGE_ICONS.get(stage, '')} {stage.replace('_', ' ')}".strip()


def when(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%a %d %b %Y %H:%M %Z")


def _credit(people: list[Person]) -> str:
    author, *others = people
    credit = f"by {mention(author.platform_user_id)}"
    if others:
        credit += " with " + ", ".join(mention(p.platform_user_id) for p in others)
    return credit


def _votes(count: int) -> str:
    return counted(count, "vote")


def idea_post(idea: Idea, people: list[Person], votes: int, campaign: Campaign | None) -> Message:
    """The idea as posted in the ideas channel; every later edit re-renders all of it."""
    headline = f"💡 #{idea.id} {idea.title}"
    body = f"*{headline}*" + (f"\n{idea.details}" if idea.details else "")
    small = [_credit(people), stage_label(idea.stage), _votes(votes)]
    if campaign is not None:
        small.append(f"campaign c{campaign.id}: {campaign.question}")
    blocks: list[Block] = [Section(text=body), Context(texts=small)]
    if idea.stage == "declined":
        blocks.append(Context(texts=[f"Declined: {idea.decline_reason}"]))
    elif idea.stage == "merged":
        blocks.append(Context(texts=[f"Merged into #{idea.merged_into_id}: vote there."]))
    elif idea.stage != "done":
        upvote = Button(action_id="ideas.vote", label=f"👍 Upvote ({votes})", value=str(idea.id))
        blocks.append(Actions(elements=[upvote]))
    return Message(text=f"{headline} ({_votes(votes)})", blocks=blocks)


def discussion(idea: Idea) -> str:
    return f"💬 Discuss idea #{idea.id} here: questions, improvements, offers to help."


def posted(idea: Idea) -> str:
    return (
        f"Thanks! Your idea #{idea.id} “{idea.title}” is posted in #{idea.channel}. "
        "I'll tell you whenever its stage changes."
    )


def adopted(idea: Idea, author: Person, reactor: Person, similar: list[Idea]) -> str:
    whose = "your" if author.id == reactor.id else f"{mention(author.platform_user_id)}'s"
    text = (
        f"Posted {whose} message as idea #{idea.id} in #{idea.channel}, "
        f"credited to {mention(author.platform_user_id)}."
    )
    if similar:
        listed = ", ".join(f"#{other.id} {other.title}" for other in similar)
        text += (
            f" It looks like {listed}: community managers can merge duplicates with "
            f"`/idea merge #{idea.id} #{similar[0].id}`."
        )
    return text


def adopted_notice(idea: Idea, reactor: Person) -> str:
    return (
        f"{mention(reactor.platform_user_id)} turned your message into idea #{idea.id} "
        f"“{idea.title}”, credited to you. I'll tell you whenever its stage changes."
    )


def similar_prompt(draft: Idea, similar: list[tuple[Idea, int]]) -> Message:
    intro = (
        f"Before I post “{draft.title}”: is yours one of these? "
        "If so, vote for it instead, so the votes add up in one place."
    )
    lines = [
        f"• #{idea.id} {idea.title} ({_votes(votes)}, {stage_label(idea.stage)})"
        for idea, votes in similar
    ]
    buttons = [
        Button(action_id="ideas.vote", label=f"👍 Upvote #{idea.id}", value=str(idea.id))
        for idea, _ in similar
    ]
    buttons.append(
        Button(
            action_id="ideas.publish",
            label="Post mine anyway",
            value=str(draft.id),
            style="primary",
        )
    )
    buttons.append(Button(action_id="ideas.discard", label="Discard mine", value=str(draft.id)))
    text = intro + "\n" + "\n".join(lines)
    return Message(text=text, blocks=[Section(text=text), Actions(elements=buttons)])


def vote_reply(idea: Idea, active: bool, votes: int) -> str:
    if active:
        return f"You voted for #{idea.id} “{idea.title}” ({_votes(votes)}). Click again to undo."
    return f"Your vote for #{idea.id} is withdrawn ({_votes(votes)})."


def stage_notice(idea: Idea, previous: str) -> str:
    text = (
        f"Your idea #{idea.id} “{idea.title}” moved from {stage_label(previous)} "
        f"to {stage_label(idea.stage)}."
    )
    if idea.stage == "declined":
        text += f" The reason: {idea.decline_reason}"
    return text


def done_notice(idea: Idea) -> str:
    return f"✅ An idea you voted for is done: #{idea.id} “{idea.title}”. Thank you for voting!"


def merged_notice(source: Idea, target: Idea) -> str:
    return (
        f"Your idea #{source.id} “{source.title}” was merged into #{target.id} “{target.title}”; "
        f"you are credited as a co-author there, and its votes came along."
    )


def merged_into_notice(source: Idea, target: Idea, gained: int) -> str:
    return (
        f"#{source.id} “{source.title}” was merged into your idea #{target.id} “{target.title}”: "
        f"{_votes(gained)} gained; its authors are now co-authors."
    )


def top(ranked: list[Ranked], campaign: Campaign | None) -> Message:
    title = f"Top ideas for c{campaign.id}: {campaign.question}" if campaign else "Top ideas"
    if not ranked:
        return Message(text=f"{title}: no ideas yet. `/idea Title — details` to post the first!")
    lines = [
        f"{rank}. #{r.idea.id} {r.idea.title}: {_votes(r.votes)} "
        f"(score {r.score:.2f}, {stage_label(r.idea.stage)})"
        for rank, r in enumerate(ranked, start=1)
    ]
    return Message(
        text=f"{title}\n" + "\n".join(lines),
        blocks=[Section(text=f"*{title}*"), Section(text="\n".join(lines))],
    )


def mine(ideas: list[tuple[Idea, int]]) -> str:
    if not ideas:
        return "You have no ideas posted yet. `/idea Title — details` posts your first."
    lines = [
        f"• #{idea.id} {idea.title}: {_votes(votes)}, {stage_label(idea.stage)}"
        for idea, votes in ideas
    ]
    return "Your ideas:\n" + "\n".join(lines)


def did_you_mean(subcommand: str, text: str) -> str:
    return (
        f"Did you mean `/idea {subcommand}`? I didn't post “{neutralise(text)}” as an idea. "
        "`/idea help` lists the commands; to post an idea that starts like a command, "
        "open the form with `/idea` alone."
    )


def campaign_opened(campaign: Campaign, opener: Person, timezone: str) -> Message:
    text = (
        f"📣 New ideas campaign c{campaign.id} from {mention(opener.platform_user_id)}: "
        f"{campaign.question}"
    )
    hint = (
        f"Ideas welcome until {when(campaign.closes_at, timezone)}: "
        f"`/idea c{campaign.id} Title — details`, or `/idea join #ID c{campaign.id}`."
    )
    return Message(text=f"{text}\n{hint}", blocks=[Section(text=text), Context(texts=[hint])])


def campaign_list(campaigns: list[Campaign], timezone: str) -> str:
    if not campaigns:
        return "No campaign is open right now."
    lines = [f"• c{c.id}: {c.question} (until {when(c.closes_at, timezone)})" for c in campaigns]
    return "Open campaigns:\n" + "\n".join(lines)


def campaign_reminder(campaign: Campaign, ideas: int, timezone: str) -> str:
    return (
        f"⏰ Campaign c{campaign.id} closes {when(campaign.closes_at, timezone)}: "
        f"{campaign.question} It has {counted(ideas, 'idea')} so far. "
        f"Add yours with `/idea c{campaign.id} Title — details` and vote for your favourites."
    )


def campaign_results(campaign: Campaign, ranked: list[Ranked]) -> Message:
    title = f"🏁 Campaign c{campaign.id} has closed: {campaign.question}"
    if not ranked:
        return Message(text=f"{title}\nNo ideas were submitted.")
    lines = [
        f"{rank}. #{r.idea.id} {r.idea.title}: {_votes(r.votes)}"
        for rank, r in enumerate(ranked, start=1)
    ]
    body = "Top ideas:\n" + "\n".join(lines)
    return Message(text=f"{title}\n{body}", blocks=[Section(text=f"*{title}*"), Section(text=body)])
