"""What mentoring looks like in chat, as neutral UI."""

from bot.contract.ui import Actions, Button, Context, Form, Input, Message, Option, Section, mention
from bot.models import Person
from handlers.mentoring.nudges import FEEDBACK_SCORES
from handlers.mentoring.profiles import DEFAULT_CAPACITY, MAX_AVAILABILITY, MAX_TAGS_TEXT
from handlers.mentoring.rounds import RoundResult
from handlers.mentoring.tables import MentorPair, MentorProfile

PROFILE_HELP = """your mentoring profile (a form): mentor, mentee or both, the skills you \
offer, the goals you seek, your availability and, for mentors, how many mentees at once \
(default 2). Your time zone comes from your chat profile."""

MENTOR_NOTES = """Matches come in rounds. Both sides meet in one group DM saying why (shared \
skills and goals, working hours in common) with first topics, and each accepts or declines \
there. Check-ins ask "did you meet?" every {checkin} days; nobody is ever matched with someone \
in their reporting line, or twice with the same person."""


def profile_form(profile: MentorProfile | None, timezone: str) -> Form:
    roles = [Option(value=r, label=r.capitalize()) for r in ("mentor", "mentee", "both")]
    return Form(
        form_id="mentor.profile",
        title="Mentoring profile",
        submit_label="Save",
        inputs=[
            Input(
                name="role",
                label="I want to be a…",
                kind="select",
                options=roles,
                initial=profile.role if profile else "",
            ),
            Input(
                name="skills",
                label="Skills I can offer (as a mentor), separated by commas",
                kind="textarea",
                required=False,
                max_length=MAX_TAGS_TEXT,
                initial=", ".join(profile.skills) if profile else "",
            ),
            Input(
                name="goals",
                label="Goals I want help with (as a mentee), separated by commas",
                kind="textarea",
                required=False,
                max_length=MAX_TAGS_TEXT,
                initial=", ".join(profile.goals) if profile else "",
            ),
            Input(
                name="availability",
                label=f"When I'm usually free (time zone {timezone})",
                required=False,
                max_length=MAX_AVAILABILITY,
                placeholder="e.g. Tue/Thu afternoons",
                initial=profile.availability if profile else "",
            ),
            Input(
                name="capacity",
                label="Mentees at once (mentors only)",
                kind="number",
                required=False,
                initial=str(profile.capacity if profile else DEFAULT_CAPACITY),
            ),
        ],
    )


def profile_summary(profile: MentorProfile | None, pairs: list[tuple[MentorPair, Person]]) -> str:
    if profile is None:
        return "You have no mentoring profile yet. `/mentor` opens the form."
    lines = [
        f"Your mentoring profile: {profile.role}" + ("" if profile.active else " (switched off)"),
        f"Skills offered: {', '.join(profile.skills) or 'none'}",
        f"Goals sought: {', '.join(profile.goals) or 'none'}",
        f"Availability: {profile.availability or 'not given'}",
    ]
    if profile.role in ("mentor", "both"):
        lines.append(f"Capacity: {profile.capacity} mentees at once")
    for pair, other in pairs:
        theirs = "mentee" if pair.mentee_id == other.id else "mentor"
        lines.append(f"Match: your {theirs} {other.display_name} ({pair.status})")
    return "\n".join(lines)


def why(pair: MentorPair, mentor: Person, mentee: Person) -> str:
    reasons = pair.reasons
    shared = ", ".join(reasons.get("shared", []))
    hours = reasons.get("overlap_hours", 0)
    zones = f"({mentor.timezone} and {mentee.timezone})"
    if hours:
        overlap = f"you share {hours:g} working hours a day {zones}"
    else:
        overlap = f"your working days don't overlap {zones}: plan ahead"
    skills = f"{mentor.display_name} offers {shared}, which {mentee.display_name} wants to grow in"
    parts = [skills, overlap]
    if reasons.get("cross_department"):
        departments = f"({mentor.department}, {mentee.department})"
        parts.append(f"and you work in different departments {departments}")
    return "Why you two: " + "; ".join(parts) + "."


def first_topics(pair: MentorPair) -> list[str]:
    shared = pair.reasons.get("shared", [])
    topics = [f"Where “{skill}” shows up in your work today" for skill in shared[:2]]
    return [*topics, "What a good outcome looks like in three months", "How often to meet"]


def _answer_buttons(pair: MentorPair) -> Actions:
    return Actions(
        elements=[
            Button(action_id="mentor.accept", label="Accept", value=str(pair.id), style="primary"),
            Button(action_id="mentor.decline", label="Decline", value=str(pair.id), style="danger"),
        ]
    )


def introduction(
    pair: MentorPair, mentor: Person, mentee: Person, availability: dict[int, str]
) -> Message:
    """The introduction both sides see (one group DM, or a copy each): while the match waits
    for answers it has the buttons; once answered, it shows the answers instead."""
    text = (
        f"🤝 Meet each other: {mention(mentor.platform_user_id)} ({mentor.display_name}) "
        f"will mentor {mention(mentee.platform_user_id)} ({mentee.display_name})."
    )
    topics = "Suggested first topics:\n" + "\n".join(f"• {t}" for t in first_topics(pair))
    free = [
        f"{person.display_name} is usually free: {availability[person.id or 0]}"
        for person in (mentor, mentee)
        if availability.get(person.id or 0)
    ]
    status = answers(pair, mentor, mentee)
    return Message(
        text=f"{text} {why(pair, mentor, mentee)}",
        blocks=[
            Section(text=text),
            Section(text=why(pair, mentor, mentee)),
            Section(text=topics),
            *([Context(texts=free)] if free else []),
            *([Context(texts=[status])] if status else []),
            *([_answer_buttons(pair)] if pair.status == "proposed" else []),
        ],
    )


def answers(pair: MentorPair, mentor: Person, mentee: Person) -> str:
    """Who has answered the introduction, and how; "" before anyone has."""
    if pair.status == "active":
        return "✅ Both accepted: you're on!"
    said = [
        (person, answer)
        for person, answer in ((mentor, pair.mentor_answer), (mentee, pair.mentee_answer))
        if answer
    ]
    if pair.status == "declined":
        who = next((p.display_name for p, a in said if a == "declined"), "Someone")
        return f"✖ {who} declined this match. You'll both be matched again at the next round."
    if not said:
        return ""
    waiting = mentee if pair.mentor_answer else mentor
    return f"✅ {said[0][0].display_name} accepted · waiting for {waiting.display_name}"


def reminder(pair: MentorPair, other: Person) -> Message:
    text = (
        f"Your mentoring match with {mention(other.platform_user_id)} is waiting for an answer. "
        "Will you give it a go?"
    )
    return Message(text=text, blocks=[Section(text=text), _answer_buttons(pair)])


def check_in(pair: MentorPair, other: Person) -> Message:
    text = f"Check-in: did you meet {mention(other.platform_user_id)} since we last asked?"
    return Message(
        text=text,
        blocks=[
            Section(text=text),
            Actions(
                elements=[
                    Button(action_id="mentor.met", label="Yes", value=f"{pair.id}:yes"),
                    Button(action_id="mentor.met", label="No", value=f"{pair.id}:no"),
                ]
            ),
        ],
    )


def feedback_request(pair: MentorPair, other: Person) -> Message:
    text = f"How helpful has mentoring with {mention(other.platform_user_id)} been so far?"
    buttons = [
        Button(action_id="mentor.feedback", label=label.capitalize(), value=f"{pair.id}:{score}")
        for score, label in sorted(FEEDBACK_SCORES.items(), reverse=True)
    ]
    return Message(text=text, blocks=[Section(text=text), Actions(elements=buttons)])


def round_summary(result: RoundResult) -> str:
    made = len(result.introductions)
    text = f"Mentoring round done: {made} new {'match' if made == 1 else 'matches'}."
    if result.unmatched:
        names = ", ".join(p.display_name for p in result.unmatched)
        text += f" Still waiting for a suitable mentor: {names}."
    return text


def paused_notice(pair: MentorPair, mentor: Person, mentee: Person) -> str:
    return (
        f"The mentoring match of {mentor.display_name} (mentor) and {mentee.display_name} "
        f"(mentee) is paused: nobody answered {pair.nudges_unanswered} check-ins in a row."
    )
