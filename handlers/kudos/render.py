"""What kudos look like in chat, as neutral UI."""

from bot.contract.ui import Actions, Button, Context, Message, Section, mention
from bot.kit.feature_settings import setting_text
from bot.models import Person
from handlers.kudos.rules import Allowance, KudosStats, Window
from handlers.kudos.settings import KudosSettings
from handlers.kudos.tables import CompanyValue, Kudos

SUMMARY = """*Kudos*: thank a colleague where everyone can see it.
• `/kudos @name [@name…] what they did #value`: give kudos (several people at once is fine)"""


def help_notes(settings: KudosSettings) -> str:
    return (
        f"React with :{settings.emoji}: on someone's message to give kudos for that message. "
        f"You can give {settings.daily_allowance} kudos a day; they refill at midnight in your "
        f"time zone, and `/kudos undo` works for {settings.undo_minutes} minutes."
    )


def _names(people: list[Person]) -> str:
    return ", ".join(mention(p.platform_user_id) for p in people)


def _tag(value: str | None) -> list[Context]:
    return [Context(texts=[f"#{value}"])] if value else []


def announcement(giver: Person, receivers: list[Person], reason: str, value: str | None) -> Message:
    text = f"🎉 {mention(giver.platform_user_id)} gave kudos to {_names(receivers)}: {reason}"
    return Message(text=text, blocks=[Section(text=text), *_tag(value)])


def withdrawn(giver: Person) -> Message:
    return Message(text=f"(Kudos from {mention(giver.platform_user_id)} withdrawn.)")


def received_notice(giver: Person, reason: str, value: str | None) -> Message:
    text = f"You received kudos from {mention(giver.platform_user_id)}: {reason}"
    return Message(text=text, blocks=[Section(text=text), *_tag(value)])


def confirmation(
    given: list[Kudos], receivers: list[Person], left: Allowance, settings: KudosSettings
) -> Message:
    text = f"Kudos sent to {_names(receivers)}. You have {left.left} left today."
    undo = Button(action_id="kudos.undo", label="Undo", value=given[0].batch, style="danger")
    return Message(
        text=text,
        blocks=[
            Section(text=text),
            Actions(elements=[undo]),
            Context(texts=[f"You can undo for {settings.undo_minutes} minutes."]),
        ],
    )


def my_stats(person: Person, numbers: KudosStats, left: Allowance) -> Message:
    values = ", ".join(f"#{v} ({n})" for v, n in numbers.top_values) or "none yet"
    text = f"Your kudos, {person.display_name}"
    return Message(
        text=f"{text}: {numbers.received} received, {numbers.given} given.",
        blocks=[
            Section(
                text=text,
                fields=[
                    f"Received: {numbers.received} ({numbers.received_week} this week)",
                    f"Given: {numbers.given}",
                    f"Top values: {values}",
                    f"Left today: {left.left}",
                ],
            )
        ],
    )


WINDOW_TITLES = {"week": "this week", "month": "this month", "all": "of all time"}


def leaderboard(rows: list[tuple[Person, int]], window: Window, givers: bool) -> Message:
    who = "givers" if givers else "receivers"
    title = f"Top kudos {who} {WINDOW_TITLES[window]}"
    if not rows:
        return Message(text=f"{title}: no kudos yet. Be the first!")
    lines = [f"{rank}. {p.display_name}: {n}" for rank, (p, n) in enumerate(rows, start=1)]
    return Message(
        text=f"{title}\n" + "\n".join(lines),
        blocks=[Section(text=f"*{title}*"), Section(text="\n".join(lines))],
    )


def values_list(values: list[CompanyValue], required: bool) -> Message:
    if not values:
        return Message(
            text="No company values are set up yet. Admins can add them with "
            "`/kudos values add NAME description`."
        )
    lines = [f"#{v.tag}: {v.description}".rstrip(": ") for v in values]
    note = "Tagging a value is required." if required else "Tagging a value is optional."
    return Message(text="Our values:\n" + "\n".join(lines) + f"\n{note}")


def settings_summary(settings: KudosSettings) -> Message:
    fields = [f"{name}: {setting_text(value)}" for name, value in settings.model_dump().items()]
    return Message(
        text="Kudos settings: " + ", ".join(fields),
        blocks=[Section(text="*Kudos settings*", fields=fields)],
    )
