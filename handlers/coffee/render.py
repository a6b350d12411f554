"""What coffee pairing looks like in chat, as neutral UI."""

from bot.contract.ui import Actions, Button, Context, Message, Section, mention
from bot.models import Person
from handlers.coffee.rules import CoffeeStats

COFFEE_NOTES = """Each round pairs everyone who joined and the members of the coffee channels, \
preferring people who have not met and who work in different departments; with an odd number, \
one group is three. Each group meets in one group DM: tell me there whether you met."""


def coffee_intro(group_id: int, people: list[Person]) -> Message:
    """One introduction for the whole group (a group DM, or a copy each)."""
    named = [f"{mention(p.platform_user_id)} ({p.department or 'no department'})" for p in people]
    names = ", ".join(named[:-1]) + " and " + named[-1]
    text = f"☕ Coffee time! This round {names} are paired. Find 30 minutes this week."
    return Message(
        text=text,
        blocks=[
            Section(text=text),
            Context(texts=["Did you meet? Tell me once you have (or haven't):"]),
            Actions(
                elements=[
                    Button(action_id="coffee.met", label="We met", value=f"{group_id}:yes"),
                    Button(action_id="coffee.met", label="We didn't", value=f"{group_id}:no"),
                ]
            ),
        ],
    )


def coffee_stats(stats: CoffeeStats) -> Message:
    rate = f"{stats.met / stats.answered:.0%}" if stats.answered else "no answers yet"
    fields = [
        f"Taking part: {stats.members} ({stats.snoozed} snoozed)",
        f"Cadence: {stats.cadence}",
        f"Groups so far: {stats.groups}",
        f"Answered: {stats.answered}",
        f"Met: {stats.met}",
        f"Met-rate: {rate}",
        "Channels: " + (", ".join(f"#{c}" for c in stats.channels) or "none"),
    ]
    return Message(
        text="Coffee pairing: " + ", ".join(fields),
        blocks=[Section(text="*Coffee pairing*", fields=fields)],
    )
