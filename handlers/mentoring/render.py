"""What mentoring looks like in chat, as neutral UI."""

from bot.contract.ui import Actions, Button, Context, Form, Input, Message, Option, Section, mention
from bot.kit.i18n import format_list, format_number
from bot.models import Person
from handlers.mentoring.i18n import N_, _, ngettext
from handlers.mentoring.nudges import FEEDBACK_SCORES
from handlers.mentoring.profiles import DEFAULT_CAPACITY, MAX_AVAILABILITY, MAX_TAGS_TEXT
from handlers.mentoring.rounds import RoundResult
from handlers.mentoring.tables import MentorPair, MentorProfile
from handlers.mentoring.words import ROLES, role_name, role_word, status_name

SUMMARY = N_("*Mentoring*: meet a colleague who can help you grow, or help one.")
PROFILE_HELP = N_(
    "your mentoring profile (a form): mentor, mentee or both, the skills you offer, the goals "
    "you seek, your availability and, for mentors, how many mentees at once (default 2). Your "
    "time zone comes from your chat profile."
)


def mentor_notes(checkin_days: int) -> str:
    return ngettext(
        "Matches come in rounds. Both sides meet in one group DM saying why (shared skills and "
        "goals, working hours in common) with first topics, and each accepts or declines "
        'there. Check-ins ask "did you meet?" every day; nobody is ever matched with someone '
        "in their reporting line, or twice with the same person.",
        "Matches come in rounds. Both sides meet in one group DM saying why (shared skills and "
        "goals, working hours in common) with first topics, and each accepts or declines "
        'there. Check-ins ask "did you meet?" every {count} days; nobody is ever matched with '
        "someone in their reporting line, or twice with the same person.",
        checkin_days,
    ).format(count=format_number(checkin_days))


def profile_form(profile: MentorProfile | None, timezone: str) -> Form:
    roles = [Option(value=r, label=role_name(r)) for r in ROLES]
    return Form(
        form_id="mentor.profile",
        title=_("Mentoring profile"),
        submit_label=_("Save"),
        inputs=[
            Input(
                name="role",
                label=_("I want to be a…"),
                kind="select",
                options=roles,
                initial=profile.role if profile else "",
            ),
            Input(
                name="skills",
                label=_("Skills I can offer (as a mentor), separated by commas"),
                kind="textarea",
                required=False,
                max_length=MAX_TAGS_TEXT,
                initial=", ".join(profile.skills) if profile else "",
            ),
            Input(
                name="goals",
                label=_("Goals I want help with (as a mentee), separated by commas"),
                kind="textarea",
                required=False,
                max_length=MAX_TAGS_TEXT,
                initial=", ".join(profile.goals) if profile else "",
            ),
            Input(
                name="availability",
                label=_("When I'm usually free (time zone {timezone})").format(timezone=timezone),
                required=False,
                max_length=MAX_AVAILABILITY,
                placeholder=_("e.g. Tue/Thu afternoons"),
                initial=profile.availability if profile else "",
            ),
            Input(
                name="capacity",
                label=_("Mentees at once (mentors only)"),
                kind="number",
                required=False,
                initial=str(profile.capacity if profile else DEFAULT_CAPACITY),
            ),
        ],
    )


def _tags(tags: list[str]) -> str:
    return format_list(tags) if tags else _("none")


def profile_summary(profile: MentorProfile | None, pairs: list[tuple[MentorPair, Person]]) -> str:
    if profile is None:
        return _("You have no mentoring profile yet. `/mentor` opens the form.")
    role = role_word(profile.role)
    lines = [
        _("Your mentoring profile: {role}").format(role=role)
        if profile.active
        else _("Your mentoring profile: {role} (switched off)").format(role=role),
        _("Skills offered: {skills}").format(skills=_tags(profile.skills)),
        _("Goals sought: {goals}").format(goals=_tags(profile.goals)),
        _("Availability: {availability}").format(
            availability=profile.availability or _("not given")
        ),
    ]
    if profile.role in ("mentor", "both"):
        lines.append(
            ngettext(
                "Capacity: {count} mentee at once",
                "Capacity: {count} mentees at once",
                profile.capacity,
            ).format(count=format_number(profile.capacity))
        )
    for pair, other in pairs:
        match = (
            _("Match: your mentee {name} ({status})")
            if pair.mentee_id == other.id
            else _("Match: your mentor {name} ({status})")
        )
        lines.append(match.format(name=other.display_name, status=status_name(pair.status)))
    return "\n".join(lines)


def why(pair: MentorPair, mentor: Person, mentee: Person) -> str:
    reasons = pair.reasons
    hours = reasons.get("overlap_hours", 0)
    zones = {"zone": mentor.timezone, "other_zone": mentee.timezone}
    if hours:
        overlap = ngettext(
            "you share {hours} working hour a day ({zone} and {other_zone})",
            "you share {hours} working hours a day ({zone} and {other_zone})",
            int(hours),
        ).format(hours=format_number(hours), **zones)
    else:
        overlap = _("your working days don't overlap ({zone} and {other_zone}): plan ahead").format(
            **zones
        )
    skills = _("{mentor} offers {skills}, which {mentee} wants to grow in").format(
        mentor=mentor.display_name,
        skills=format_list(reasons.get("shared", [])),
        mentee=mentee.display_name,
    )
    if reasons.get("cross_department"):
        return _(
            "Why you two: {skills}; {overlap}; and you work in different departments "
            "({department}, {other_department})."
        ).format(
            skills=skills,
            overlap=overlap,
            department=mentor.department,
            other_department=mentee.department,
        )
    return _("Why you two: {skills}; {overlap}.").format(skills=skills, overlap=overlap)


def first_topics(pair: MentorPair) -> list[str]:
    shared = pair.reasons.get("shared", [])
    topics = [_("Where “{skill}” shows up in your work today").format(skill=s) for s in shared[:2]]
    return [*topics, _("What a good outcome looks like in three months"), _("How often to meet")]


def _answer_buttons(pair: MentorPair) -> Actions:
    return Actions(
        elements=[
            Button(
                action_id="mentor.accept", label=_("Accept"), value=str(pair.id), style="primary"
            ),
            Button(
                action_id="mentor.decline", label=_("Decline"), value=str(pair.id), style="danger"
            ),
        ]
    )


def introduction(
    pair: MentorPair, mentor: Person, mentee: Person, availability: dict[int, str]
) -> Message:
    """The introduction both sides see (one group DM, or a copy each): while the match waits
    for answers it has the buttons; once answered, it shows the answers instead."""
    text = _("🤝 Meet each other: {mentor} ({mentor_name}) will mentor {mentee} ({mentee_name}).")
    text = text.format(
        mentor=mention(mentor.platform_user_id),
        mentor_name=mentor.display_name,
        mentee=mention(mentee.platform_user_id),
        mentee_name=mentee.display_name,
    )
    topics = _("Suggested first topics:") + "\n" + "\n".join(f"• {t}" for t in first_topics(pair))
    free = [
        _("{name} is usually free: {when}").format(
            name=person.display_name, when=availability[person.id or 0]
        )
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
        return _("✅ Both accepted: you're on!")
    said = [
        (person, answer)
        for person, answer in ((mentor, pair.mentor_answer), (mentee, pair.mentee_answer))
        if answer
    ]
    if pair.status == "declined":
        who = next((p.display_name for p, a in said if a == "declined"), None)
        if who is None:
            return _("✖ This match was declined. You'll both be matched again at the next round.")
        return _(
            "✖ {name} declined this match. You'll both be matched again at the next round."
        ).format(name=who)
    if not said:
        return ""
    waiting = mentee if pair.mentor_answer else mentor
    return _("✅ {name} accepted · waiting for {other}").format(
        name=said[0][0].display_name, other=waiting.display_name
    )


def declined_notice(who: Person) -> str:
    return _(
        "{name} can't take up this mentoring match. You'll be matched with someone else at the "
        "next round."
    ).format(name=who.display_name)


def on(other: Person, checkin_days: int) -> str:
    return ngettext(
        "You and {name} are on! Say hello and find a first slot. I'll check in every day.",
        "You and {name} are on! Say hello and find a first slot. I'll check in every {count} days.",
        checkin_days,
    ).format(name=other.display_name, count=format_number(checkin_days))


def reminder(pair: MentorPair, other: Person) -> Message:
    text = _(
        "Your mentoring match with {name} is waiting for an answer. Will you give it a go?"
    ).format(name=mention(other.platform_user_id))
    return Message(text=text, blocks=[Section(text=text), _answer_buttons(pair)])


def check_in(pair: MentorPair, other: Person) -> Message:
    text = _("Check-in: did you meet {name} since we last asked?").format(
        name=mention(other.platform_user_id)
    )
    return Message(
        text=text,
        blocks=[
            Section(text=text),
            Actions(
                elements=[
                    Button(action_id="mentor.met", label=_("Yes"), value=f"{pair.id}:yes"),
                    Button(action_id="mentor.met", label=_("No"), value=f"{pair.id}:no"),
                ]
            ),
        ],
    )


def feedback_request(pair: MentorPair, other: Person) -> Message:
    text = _("How helpful has mentoring with {name} been so far?").format(
        name=mention(other.platform_user_id)
    )
    buttons = [
        Button(action_id="mentor.feedback", label=str(label), value=f"{pair.id}:{score}")
        for score, label in sorted(FEEDBACK_SCORES.items(), reverse=True)
    ]
    return Message(text=text, blocks=[Section(text=text), Actions(elements=buttons)])


def round_summary(result: RoundResult) -> str:
    made = len(result.introductions)
    text = ngettext(
        "Mentoring round done: {count} new match.",
        "Mentoring round done: {count} new matches.",
        made,
    ).format(count=format_number(made))
    if result.unmatched:
        names = format_list(p.display_name for p in result.unmatched)
        text += " " + _("Still waiting for a suitable mentor: {names}.").format(names=names)
    return text


def paused_notice(pair: MentorPair, mentor: Person, mentee: Person) -> str:
    return ngettext(
        "The mentoring match of {mentor} (mentor) and {mentee} (mentee) is paused: nobody "
        "answered {count} check-in in a row.",
        "The mentoring match of {mentor} (mentor) and {mentee} (mentee) is paused: nobody "
        "answered {count} check-ins in a row.",
        pair.nudges_unanswered,
    ).format(
        mentor=mentor.display_name,
        mentee=mentee.display_name,
        count=format_number(pair.nudges_unanswered),
    )
