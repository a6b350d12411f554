"""What coffee pairing looks like in chat, as neutral UI."""

from bot.contract.ui import Actions, Button, Context, Message, Section, mention
from bot.kit.i18n import format_list, format_number, named
from bot.models import Person
from handlers.coffee.i18n import N_, _, ngettext
from handlers.coffee.rules import CoffeeStats

SUMMARY = N_("*Coffee pairing*: a short chat with someone you might never have met.")
NOTES = N_(
    "Each round pairs everyone who joined and the members of the coffee channels, preferring "
    "people who have not met and who work in different departments; with an odd number, one "
    "group is three. Each group meets in one group DM: tell me there whether you met."
)
CADENCES = {
    "weekly": N_("weekly"),
    "biweekly": N_("every two weeks"),
    "monthly": N_("monthly"),
    "off": N_("off"),
}


def cadence_name(cadence: str) -> str:
    return named(CADENCES, cadence)


def channel_list(channels: list[str]) -> str:
    return format_list(f"#{c}" for c in channels)


def coffee_intro(group_id: int, people: list[Person]) -> Message:
    """One introduction for the whole group (a group DM, or a copy each)."""
    named = [
        _("{name} ({department})").format(
            name=mention(p.platform_user_id), department=p.department or _("no department")
        )
        for p in people
    ]
    text = _("☕ Coffee time! This round {names} are paired. Find 30 minutes this week.").format(
        names=format_list(named)
    )
    return Message(
        text=text,
        blocks=[
            Section(text=text),
            Context(texts=[_("Did you meet? Tell me once you have (or haven't):")]),
            Actions(
                elements=[
                    Button(action_id="coffee.met", label=_("We met"), value=f"{group_id}:yes"),
                    Button(action_id="coffee.met", label=_("We didn't"), value=f"{group_id}:no"),
                ]
            ),
        ],
    )


def coffee_stats(stats: CoffeeStats) -> Message:
    rate = (
        _("{rate}%").format(rate=format_number(round(100 * stats.met / stats.answered)))
        if stats.answered
        else _("no answers yet")
    )
    fields = [
        _("Taking part: {count} ({snoozed} snoozed)").format(
            count=format_number(stats.members), snoozed=format_number(stats.snoozed)
        ),
        _("Cadence: {cadence}").format(cadence=cadence_name(stats.cadence)),
        _("Groups so far: {count}").format(count=format_number(stats.groups)),
        _("Answered: {count}").format(count=format_number(stats.answered)),
        _("Met: {count}").format(count=format_number(stats.met)),
        _("Met-rate: {rate}").format(rate=rate),
        _("Channels: {channels}").format(channels=channel_list(stats.channels) or _("none")),
    ]
    return Message(
        text=_("Coffee pairing: {fields}").format(fields=", ".join(fields)),
        blocks=[Section(text=_("*Coffee pairing*"), fields=fields)],
    )


def round_summary(groups: int, unreadable: list[str]) -> str:
    summary = ngettext(
        "Coffee round done: {count} group.", "Coffee round done: {count} groups.", groups
    ).format(count=format_number(groups))
    if unreadable:
        summary += " " + _(
            "I could not read the members of {channels}: are they renamed, or am I out?"
        ).format(channels=channel_list(unreadable))
    return summary


def nobody_else() -> str:
    return _("Nobody else is taking part in coffee pairing this round. Next time!")
