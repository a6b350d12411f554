"""The digest as neutral messages: the channel post, and the community managers' DM."""

from datetime import timedelta

from bot.contract.digest import Measure, Week
from bot.contract.ui import Context, Message, Section
from bot.kit.safety import neutralise
from handlers.digest.change import Change
from handlers.digest.compose import Composed


def window_label(week: Week) -> str:
    # The last day is the one the window ends in, unless it ends at that day's midnight.
    last = week.end - timedelta(microseconds=1)
    return f"{week.start:%a %d %b} – {last:%a %d %b %Y}"


def summary_line(composed: Composed) -> str:
    """The deterministic one-paragraph summary used when no model writes one."""
    parts = [part.summary for part in composed.parts if part.summary]
    return "This week: " + ", ".join(parts) + "."


def _number(measure: Measure, value: float) -> str:
    if measure == Measure.PERCENT:
        return f"{value:.0f}%"
    if measure == Measure.ENPS:
        return f"{value:+.0f}"
    if measure == Measure.SCORE:
        return f"{value:.1f}/5"
    return f"{value:,.0f}"


def _delta(measure: Measure, delta: float) -> str:
    if measure == Measure.PERCENT:
        return f"{delta:+.0f} pts"
    if measure == Measure.SCORE:
        return f"{delta:+.1f}"
    return f"{delta:+,.0f}"


def change_line(change: Change) -> str:
    figure = change.figure
    shown = f"• {neutralise(figure.label)}: {_number(figure.measure, figure.value)}"
    delta = change.delta
    if delta is None:
        return f"{shown} (nothing to compare with {change.since})"
    if not delta:
        return f"{shown} (same as {change.since})"
    flag = ""
    if change.large:
        flag = " ⚠️ large " + ("rise" if delta > 0 else "fall")
        flag += ", for the worse" if change.worse else ", for the better"
    return f"{shown} ({_delta(figure.measure, delta)} since {change.since}){flag}"


def _worth_a_line(change: Change) -> bool:
    """Nothing then and nothing now says nothing."""
    return bool(change.figure.value or change.previous)


def changes_section(composed: Composed) -> Section | None:
    lines = [change_line(change) for change in composed.changes if _worth_a_line(change)]
    return Section(text="\n".join(["*Against last week*:", *lines])) if lines else None


def part_sections(composed: Composed) -> list[Section]:
    sections = []
    for part in composed.parts:
        featured = [f"• {s.text}" for s in composed.highlights if s in part.spotlights]
        if part.lines or featured:
            sections.append(Section(text="\n".join([*part.lines, *featured])))
    return sections


def digest(composed: Composed) -> Message:
    """The channel post: only the parts' public lines, figures and the highlights go in."""
    title = f"📰 Weekly digest, {window_label(composed.week)}"
    summary = neutralise(composed.written) if composed.written else summary_line(composed)
    blocks: list[Section | Context] = [Section(text=f"*{title}*\n{summary}")]
    changes = changes_section(composed)
    if changes is not None:
        blocks.append(changes)
    blocks += part_sections(composed)
    blocks.append(
        Context(texts=["Pulse numbers only for groups at or above the anonymity threshold."])
    )
    return Message(text=f"{title}. {summary}", blocks=blocks)


def for_managers(
    composed: Composed, channels: list[str], dashboard: str | None, *, preview: bool = False
) -> Message:
    """The DM only community managers get: people who may need a hand, what waits on them,
    and where to look further. Never in a channel."""
    where = ", ".join(f"#{c}" for c in channels) or "no channel yet (`/rapport digest channels`)"
    went = "This is a preview: nothing was posted" if preview else f"The digest went to {where}"
    lines = [
        f"*For community managers only, {window_label(composed.week)}.* "
        f"{went}; this part is private to you."
    ]
    lines += composed.private or ["• Nobody looks isolated or under-recognised this week."]
    lines.append("A quiet word or an introduction helps more than a public mention.")
    if composed.to_act_on:
        lines += ["*Waiting on someone*:", *(f"• {line}" for line in composed.to_act_on)]
    if dashboard:
        lines.append(f"The dashboard: {dashboard} (`/rapport dashboard` signs you in).")
    text = "\n".join(lines)
    return Message(text=text, blocks=[Section(text=text)])


def settings_text(enabled: bool, channels: list[str], day: str, time: str, zone: str) -> str:
    where = ", ".join(f"#{c}" for c in channels) or "no channel"
    state = "on" if enabled else "off"
    return (
        f"Weekly digest: {state}, posted to {where} on {day.title()} at {time} ({zone}). "
        "`/rapport digest help` lists what you can set."
    )
