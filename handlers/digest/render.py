"""The digest as neutral messages: the channel post, and the community managers' DM."""

from datetime import timedelta

from bot.safety import neutralise, truncate
from bot.ui import Context, Message, Section
from bot.wording import counted
from handlers.digest.facts import PulseLine, Sensitive, WeekFacts, Window


def _names(names: list[str]) -> str:
    return ", ".join(neutralise(n) for n in names)


def window_label(window: Window) -> str:
    # The last day is the one the window ends in, unless it ends at that day's midnight.
    last = window.end - timedelta(microseconds=1)
    return f"{window.start:%a %d %b} – {last:%a %d %b %Y}"


def summary_line(facts: WeekFacts) -> str:
    """The deterministic one-paragraph summary used when no model writes one."""
    parts = [
        f"{facts.kudos.total} kudos",
        counted(facts.ideas.new, "new idea"),
        f"{counted(facts.qa.asked, 'question')} asked",
        counted(facts.pairing.mentor_pairs + facts.pairing.coffee_groups, "new pairing"),
    ]
    return "This week: " + ", ".join(parts) + "."


def kudos_section(facts: WeekFacts) -> Section:
    kudos = facts.kudos
    if not kudos.total:
        return Section(text="*Kudos*: none this week. Who helped you lately? `/kudos @name why`")
    lines = [
        f"*Kudos*: {kudos.total} from {counted(kudos.givers, 'person', 'people')} "
        f"to {counted(kudos.receivers, 'person', 'people')}."
    ]
    if kudos.values:
        lines.append("Values: " + ", ".join(f"#{tag} ({n})" for tag, n in kudos.values))
    for h in kudos.highlights:
        tag = f" #{h.value}" if h.value else ""
        lines.append(
            f"• {neutralise(h.giver)} → {neutralise(h.receiver)}: "
            f"“{neutralise(truncate(h.reason, 140))}”{tag}"
        )
    return Section(text="\n".join(lines))


def ideas_section(facts: WeekFacts) -> Section:
    ideas = facts.ideas
    lines = [f"*Ideas*: {ideas.new} new this week."]
    if ideas.top:
        # Ranked by the score (votes that fade with age), so the score is what is shown first.
        lines.append(
            "Top, by trending score: "
            + "; ".join(
                f"“{neutralise(t)}” ({score:.1f}, from {counted(n, 'vote')})"
                for t, n, score in ideas.top
            )
        )
    if ideas.moving:
        lines.append("Moving: " + "; ".join(f"“{neutralise(t)}” (+{n})" for t, n in ideas.moving))
    return Section(text="\n".join(lines))


def _pulse_line(line: PulseLine) -> str:
    answered = "–" if line.participation is None else f"{line.participation}%"
    if not line.closed:
        return f"• {neutralise(line.title)}: open, {answered} answered so far."
    shown = []
    for prompt, mean, enps in line.results:
        number = f"eNPS {enps:+d}" if enps is not None else f"{mean:.1f}/5"
        shown.append(f"{neutralise(truncate(prompt, 60))} {number}")
    if line.hidden:
        shown.append(f"{line.hidden} question(s): not enough responses to show")
    detail = ("; ".join(shown)) if shown else "no scored questions"
    return f"• {neutralise(line.title)}: {answered} answered. {detail}."


def pulse_section(facts: WeekFacts) -> Section:
    if not facts.pulse:
        return Section(text="*Pulse*: no survey ran this week.")
    return Section(text="\n".join(["*Pulse*:", *(_pulse_line(p) for p in facts.pulse)]))


def qa_section(facts: WeekFacts) -> Section:
    qa = facts.qa
    median = "–" if qa.median_hours is None else f"{qa.median_hours:g} h"
    return Section(
        text=(
            f"*Q&A*: {counted(qa.asked, 'question')} asked, {qa.answered} answered; "
            f"median time to first answer {median}; {qa.past_sla} waiting past their deadline."
        )
    )


def pairing_section(facts: WeekFacts) -> Section:
    pairing = facts.pairing
    rate = (
        "no answers yet"
        if pairing.met_rate is None
        else f"{pairing.met_rate}% met ({pairing.coffee_met} of {pairing.coffee_answered})"
    )
    mentoring = (
        ""
        if pairing.mentor_met_rate is None
        else f" Mentoring check-ins so far: {pairing.mentor_met_rate}% met "
        f"({pairing.mentor_met} of {pairing.mentor_checkins})."
    )
    return Section(
        text=(
            f"*Mentoring & coffee*: {pairing.mentor_pairs} new mentoring pairs, "
            f"{pairing.coffee_groups} coffee groups; coffee met-rate: {rate}.{mentoring}"
        )
    )


def connectors_section(facts: WeekFacts) -> Section:
    if not facts.connectors:
        return Section(text="*Connectors of the week*: nobody stood out this week.")
    return Section(
        text=f"*Connectors of the week* (most ties across teams): {_names(facts.connectors)}"
    )


def digest(facts: WeekFacts, narrative: str | None) -> Message:
    """The channel post. Only `WeekFacts` go in: nothing from `Sensitive` can reach it."""
    title = f"📰 Weekly digest, {window_label(facts.window)}"
    summary = neutralise(narrative) if narrative else summary_line(facts)
    blocks = [
        Section(text=f"*{title}*\n{summary}"),
        kudos_section(facts),
        ideas_section(facts),
        pulse_section(facts),
        qa_section(facts),
        pairing_section(facts),
        connectors_section(facts),
        Context(texts=["Pulse numbers only for groups at or above the anonymity threshold."]),
    ]
    return Message(text=f"{title}. {summary}", blocks=blocks)


def for_managers(
    window: Window, sensitive: Sensitive, channels: list[str], *, preview: bool = False
) -> Message:
    """The DM only community managers get: people who may need a hand. Never in a channel."""
    where = ", ".join(f"#{c}" for c in channels) or "no channel yet (`/rapport digest channels`)"
    went = "This is a preview: nothing was posted" if preview else f"The digest went to {where}"
    lines = [
        f"*For community managers only, {window_label(window)}.* "
        f"{went}; this part is private to you."
    ]
    if sensitive.isolated:
        lines.append(
            f"• No interactions lately, or only inside their team: {_names(sensitive.isolated)}"
        )
    if sensitive.under_recognised:
        lines.append(f"• Active but little recognised: {_names(sensitive.under_recognised)}")
    if sensitive.kudos_rings:
        lines.append(
            "• Trading kudos back and forth (last 4 weeks): "
            + "; ".join(neutralise(ring) for ring in sensitive.kudos_rings)
        )
    if not sensitive:
        lines.append("• Nobody looks isolated or under-recognised this week.")
    lines.append("A quiet word or an introduction helps more than a public mention.")
    text = "\n".join(lines)
    return Message(text=text, blocks=[Section(text=text)])


def settings_text(enabled: bool, channels: list[str], day: str, time: str, zone: str) -> str:
    where = ", ".join(f"#{c}" for c in channels) or "no channel"
    state = "on" if enabled else "off"
    return (
        f"Weekly digest: {state}, posted to {where} on {day.title()} at {time} ({zone}). "
        "`/rapport digest help` lists what you can set."
    )
