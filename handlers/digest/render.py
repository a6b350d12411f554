"""The digest as neutral messages: the channel post, and the community managers' DM."""

from datetime import date, timedelta

from bot.contract.digest import Measure, Week
from bot.contract.ui import Context, Message, Section
from bot.kit.i18n import format_date, format_list, format_number
from bot.kit.safety import neutralise
from handlers.digest.change import Change
from handlers.digest.compose import Composed
from handlers.digest.i18n import _
from handlers.digest.settings import DAYS

# A Monday: the day names are read off the week that starts on it.
_A_MONDAY = date(2024, 1, 1)


def window_label(week: Week) -> str:
    # The last day is the one the window ends in, unless it ends at that day's midnight.
    last = week.end - timedelta(microseconds=1)
    return _("{start} – {end}").format(
        start=format_date(week.start.date()), end=format_date(last.date())
    )


def day_name(day: str) -> str:
    """ "mon" as the reader says Monday."""
    return format_date(_A_MONDAY + timedelta(days=DAYS.index(day)), "EEEE")


def summary_line(composed: Composed) -> str:
    """The deterministic one-paragraph summary used when no model writes one."""
    parts = [part.summary for part in composed.parts if part.summary]
    return _("This week: {parts}.").format(parts=", ".join(parts))


def _signed(shown: str, delta: float) -> str:
    return f"+{shown}" if delta > 0 else shown


def _number(measure: Measure, value: float) -> str:
    if measure == Measure.PERCENT:
        return _("{value}%").format(value=format_number(round(value)))
    if measure == Measure.ENPS:
        return _signed(format_number(round(value)), value)
    if measure == Measure.SCORE:
        return _("{value}/5").format(value=format_number(round(value, 1)))
    return format_number(round(value))


def _delta(measure: Measure, delta: float) -> str:
    if measure == Measure.PERCENT:
        return _("{delta} pts").format(delta=_signed(format_number(round(delta)), delta))
    if measure == Measure.SCORE:
        return _signed(format_number(round(delta, 1)), delta)
    return _signed(format_number(round(delta)), delta)


def _flag(change: Change, delta: float) -> str:
    if delta > 0:
        return (
            _("⚠️ large rise, for the worse") if change.worse else _("⚠️ large rise, for the better")
        )
    return _("⚠️ large fall, for the worse") if change.worse else _("⚠️ large fall, for the better")


def change_line(change: Change) -> str:
    figure = change.figure
    shown = _("• {label}: {value}").format(
        label=neutralise(figure.label), value=_number(figure.measure, figure.value)
    )
    delta = change.delta
    if delta is None:
        return _("{figure} (nothing to compare with {since})").format(
            figure=shown, since=change.since
        )
    if not delta:
        return _("{figure} (same as {since})").format(figure=shown, since=change.since)
    moved = _("{figure} ({delta} since {since})").format(
        figure=shown, delta=_delta(figure.measure, delta), since=change.since
    )
    return f"{moved} {_flag(change, delta)}" if change.large else moved


def _worth_a_line(change: Change) -> bool:
    """Nothing then and nothing now says nothing."""
    return bool(change.figure.value or change.previous)


def changes_section(composed: Composed) -> Section | None:
    lines = [change_line(change) for change in composed.changes if _worth_a_line(change)]
    return Section(text="\n".join([_("*Against last week*:"), *lines])) if lines else None


def part_sections(composed: Composed) -> list[Section]:
    sections = []
    for part in composed.parts:
        featured = [f"• {s.text}" for s in composed.highlights if s in part.spotlights]
        if part.lines or featured:
            sections.append(Section(text="\n".join([*part.lines, *featured])))
    return sections


def digest(composed: Composed) -> Message:
    """The channel post: only the parts' public lines, figures and the highlights go in."""
    title = _("📰 Weekly digest, {window}").format(window=window_label(composed.week))
    summary = neutralise(composed.written) if composed.written else summary_line(composed)
    blocks: list[Section | Context] = [Section(text=f"*{title}*\n{summary}")]
    changes = changes_section(composed)
    if changes is not None:
        blocks.append(changes)
    blocks += part_sections(composed)
    blocks.append(
        Context(texts=[_("Pulse numbers only for groups at or above the anonymity threshold.")])
    )
    return Message(text=f"{title}. {summary}", blocks=blocks)


def channel_list(channels: list[str]) -> str:
    return format_list(f"#{c}" for c in channels)


def for_managers(
    composed: Composed, channels: list[str], dashboard: str | None, *, preview: bool = False
) -> Message:
    """The DM only community managers get: people who may need a hand, what waits on them,
    and where to look further. Never in a channel."""
    window = window_label(composed.week)
    if preview:
        first = _(
            "*For community managers only, {window}.* This is a preview: nothing was posted; "
            "this part is private to you."
        )
    elif channels:
        first = _(
            "*For community managers only, {window}.* The digest went to {channels}; this part "
            "is private to you."
        )
    else:
        first = _(
            "*For community managers only, {window}.* The digest went to no channel yet "
            "(`/rapport digest channels`); this part is private to you."
        )
    lines = [first.format(window=window, channels=channel_list(channels))]
    lines += composed.private or [_("• Nobody looks isolated or under-recognised this week.")]
    lines.append(_("A quiet word or an introduction helps more than a public mention."))
    if composed.to_act_on:
        lines += [_("*Waiting on someone*:"), *(f"• {line}" for line in composed.to_act_on)]
    if dashboard:
        lines.append(
            _("The dashboard: {address} (`/rapport dashboard` signs you in).").format(
                address=dashboard
            )
        )
    text = "\n".join(lines)
    return Message(text=text, blocks=[Section(text=text)])


def settings_saved(enabled: bool, channels: list[str], day: str, time: str, zone: str) -> str:
    state = (
        _("Weekly digest: on, posted to {channels} on {day} at {time} ({zone}).")
        if enabled
        else _("Weekly digest: off, posted to {channels} on {day} at {time} ({zone}).")
    )
    return state.format(
        channels=channel_list(channels) or _("no channel"),
        day=day_name(day),
        time=time,
        zone=zone,
    )


def settings_text(enabled: bool, channels: list[str], day: str, time: str, zone: str) -> str:
    hint = _("`/rapport digest help` lists what you can set.")
    return f"{settings_saved(enabled, channels, day, time, zone)} {hint}"
