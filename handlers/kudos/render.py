"""What kudos look like in chat, as neutral UI, in the language being spoken (bot.kit.i18n)."""

from bot.contract.ui import Actions, Button, Context, Message, Section, mention
from bot.kit.feature_settings import setting_text
from bot.kit.i18n import format_list, format_number
from bot.models import Person
from handlers.kudos.i18n import N_, _, ngettext
from handlers.kudos.rules import Allowance, KudosStats, Window
from handlers.kudos.settings import KudosSettings
from handlers.kudos.tables import CompanyValue, Kudos

SUMMARY = N_(
    "*Kudos*: thank a colleague where everyone can see it.\n"
    "• `/kudos @name [@name…] what they did #value`: give kudos (several people at once is fine)"
)


def help_notes(settings: KudosSettings) -> str:
    return ngettext(
        "React with :{emoji}: on someone's message to give kudos for that message. You can "
        "give {count} kudos a day; they refill at midnight in your time zone, and "
        "`/kudos undo` works for {minutes} minutes.",
        "React with :{emoji}: on someone's message to give kudos for that message. You can "
        "give {count} kudos a day; they refill at midnight in your time zone, and "
        "`/kudos undo` works for {minutes} minutes.",
        settings.daily_allowance,
    ).format(emoji=settings.emoji, count=settings.daily_allowance, minutes=settings.undo_minutes)


def _names(people: list[Person]) -> str:
    return format_list(mention(p.platform_user_id) for p in people)


def _tag(value: str | None) -> list[Context]:
    return [Context(texts=[f"#{value}"])] if value else []


def announcement(giver: Person, receivers: list[Person], reason: str, value: str | None) -> Message:
    text = "🎉 " + _("{giver} gave kudos to {receivers}: {reason}").format(
        giver=mention(giver.platform_user_id), receivers=_names(receivers), reason=reason
    )
    return Message(text=text, blocks=[Section(text=text), *_tag(value)])


def withdrawn(giver: Person) -> Message:
    return Message(
        text=_("(Kudos from {giver} withdrawn.)").format(giver=mention(giver.platform_user_id))
    )


def received_notice(giver: Person, reason: str, value: str | None) -> Message:
    text = _("You received kudos from {giver}: {reason}").format(
        giver=mention(giver.platform_user_id), reason=reason
    )
    return Message(text=text, blocks=[Section(text=text), *_tag(value)])


def confirmation(
    given: list[Kudos], receivers: list[Person], left: Allowance, settings: KudosSettings
) -> Message:
    text = ngettext(
        "Kudos sent to {receivers}. You have {count} left today.",
        "Kudos sent to {receivers}. You have {count} left today.",
        left.left,
    ).format(receivers=_names(receivers), count=format_number(left.left))
    undo = Button(action_id="kudos.undo", label=_("Undo"), value=given[0].batch, style="danger")
    window = ngettext(
        "You can undo for {count} minute.",
        "You can undo for {count} minutes.",
        settings.undo_minutes,
    ).format(count=settings.undo_minutes)
    return Message(
        text=text,
        blocks=[Section(text=text), Actions(elements=[undo]), Context(texts=[window])],
    )


def my_stats(person: Person, numbers: KudosStats, left: Allowance) -> Message:
    values = format_list(f"#{v} ({format_number(n)})" for v, n in numbers.top_values)
    title = _("Your kudos, {name}").format(name=person.display_name)
    summary = _("{title}: {received} received, {given} given.").format(
        title=title, received=format_number(numbers.received), given=format_number(numbers.given)
    )
    return Message(
        text=summary,
        blocks=[
            Section(
                text=title,
                fields=[
                    _("Received: {count} ({week} this week)").format(
                        count=format_number(numbers.received),
                        week=format_number(numbers.received_week),
                    ),
                    _("Given: {count}").format(count=format_number(numbers.given)),
                    _("Top values: {values}").format(values=values or _("none yet")),
                    _("Left today: {count}").format(count=format_number(left.left)),
                ],
            )
        ],
    )


def _leaderboard_title(window: Window, givers: bool) -> str:
    titles = {
        ("week", False): _("Top kudos receivers this week"),
        ("month", False): _("Top kudos receivers this month"),
        ("all", False): _("Top kudos receivers of all time"),
        ("week", True): _("Top kudos givers this week"),
        ("month", True): _("Top kudos givers this month"),
        ("all", True): _("Top kudos givers of all time"),
    }
    return titles[window, givers]


def leaderboard(rows: list[tuple[Person, int]], window: Window, givers: bool) -> Message:
    title = _leaderboard_title(window, givers)
    if not rows:
        return Message(text=_("{title}: no kudos yet. Be the first!").format(title=title))
    lines = [
        f"{rank}. {p.display_name}: {format_number(n)}" for rank, (p, n) in enumerate(rows, start=1)
    ]
    return Message(
        text=f"{title}\n" + "\n".join(lines),
        blocks=[Section(text=f"*{title}*"), Section(text="\n".join(lines))],
    )


def values_list(values: list[CompanyValue], required: bool) -> Message:
    if not values:
        return Message(
            text=_(
                "No company values are set up yet. Admins can add them with "
                "`/kudos values add NAME description`."
            )
        )
    lines = [f"#{v.tag}: {v.description}".rstrip(": ") for v in values]
    note = _("Tagging a value is required.") if required else _("Tagging a value is optional.")
    return Message(text=_("Our values:") + "\n" + "\n".join(lines) + f"\n{note}")


def settings_summary(settings: KudosSettings) -> Message:
    fields = [f"{name}: {setting_text(value)}" for name, value in settings.model_dump().items()]
    title = _("Kudos settings")
    return Message(
        text=f"{title}: " + ", ".join(fields),
        blocks=[Section(text=f"*{title}*", fields=fields)],
    )
