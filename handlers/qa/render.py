"""What Q&A looks like in chat, as neutral UI, in the language being spoken (bot.kit.i18n).
An anonymous asker is never named here except in messages that go to the asker alone."""

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from babel.numbers import format_decimal

from bot.contract.ui import (
    Actions,
    Button,
    Context,
    Form,
    Input,
    Message,
    Option,
    Section,
    mention,
)
from bot.kit.feature_settings import setting_text
from bot.kit.i18n import current, format_list, format_number
from bot.kit.safety import truncate
from bot.models import Person
from handlers.qa.i18n import N_, _, ngettext
from handlers.qa.parsing import MAX_ANSWER, MAX_QUESTION
from handlers.qa.routing import Chosen
from handlers.qa.settings import QaSettings
from handlers.qa.tables import Answer, Question, QuestionStatus
from handlers.qa.workhours import WorkingTime

ASK_SUMMARY = N_("*Q&A*: ask a question and the right colleague answers.")
EXPERT_SUMMARY = N_("*Experts*: say what you can answer and when.")


def decimal(value: float, places: int) -> str:
    """`2.5` in English, `2,5` in French: a score shown with a fixed number of places."""
    return format_decimal(value, format="0." + "0" * places, locale=current())


def ask_notes(hours: float, days: float, channel: str, anonymously: str) -> str:
    return _(
        "`#tags` in a question name its topics, like `/ask how is #overtime paid?`\n"
        "Experts get your question by DM and one of them claims it. Asked in a channel, the "
        "question is shown there and the answer comes as a reply in its thread; asked by DM "
        "(or anonymously), the answer comes by DM. Accept it (it then helps the next person "
        "who asks) or mark it not helpful (I ask other experts). If nobody picks it up within "
        "{hours} working hours I ask the next experts; if it is still unanswered after {days} "
        "working days I post it in #{channel} (at once when every expert I could ask said "
        "“Not me”).\n"
        "To ask without your name, start with any of: {anonymously}.\n"
        "Experts: `/answer 12 your answer` answers a question you claimed. See `/expert help`."
    ).format(
        hours=format_number(hours),
        days=format_number(days),
        channel=channel,
        anonymously=anonymously,
    )


def expert_notes(half_life: float) -> str:
    return _(
        "Accepted answers and kudos tagged with a topic raise your expertise; “Not me” lowers "
        "it for that topic. Older evidence counts for less ({days}-day half-life)."
    ).format(days=format_number(half_life))


def status_name(status: QuestionStatus) -> str:
    """Where a question stands, in the language spoken."""
    names: dict[QuestionStatus, str] = {
        # Translators: where a question stands, shown beside it on the home page.
        "suggested": _("suggested answers shown"),
        "open": _("open"),
        "claimed": _("claimed"),
        "answered": _("answered, not yet accepted"),
        "accepted": _("accepted"),
        "solved": _("solved"),
    }
    return names[status]


def _tags(topics: Sequence[str]) -> str:
    return format_list(f"#{t}" for t in topics)


def _topics(question: Question) -> str:
    return f" ({_tags(question.topics)})" if question.topics else ""


def asked_by(question: Question, asker: Person) -> str:
    if question.anonymous:
        return _("Asked anonymously")
    return _("Asked by {asker}").format(asker=mention(asker.platform_user_id))


def quote(question: Question, limit: int = 2000) -> str:
    return _("“{text}”").format(text=truncate(question.text, limit))


def suggestions(question: Question, found: list[tuple[Question, Answer]]) -> Message:
    lines = [f"• #{q.id} {quote(q, 200)}\n  ↳ {truncate(a.text, 500)}" for q, a in found]
    head = _("Before I ask the experts: these answered questions look like yours.")
    value = str(question.id)
    buttons = Actions(
        elements=[
            Button(action_id="qa.solved", label=_("This answers it"), value=value, style="primary"),
            Button(action_id="qa.still_ask", label=_("Still ask"), value=value),
        ]
    )
    return Message(
        text=head + "\n" + "\n".join(lines),
        blocks=[Section(text=head), Section(text="\n".join(lines)), buttons],
    )


def routed(question: Question, experts: list[Person], *, in_thread: bool) -> str:
    """What the asker is told once experts are asked; where the answer will come says the same
    as `delivery.to_asker` does when it comes."""
    count = len(experts)
    if question.anonymous and in_thread:
        text = ngettext(
            "Your question #{id} went anonymously to {count} expert. I'll post their answer in "
            "the question's thread.",
            "Your question #{id} went anonymously to {count} experts. I'll post their answer in "
            "the question's thread.",
            count,
        )
    elif question.anonymous:
        text = ngettext(
            "Your question #{id} went anonymously to {count} expert. I'll DM you their answer.",
            "Your question #{id} went anonymously to {count} experts. I'll DM you their answer.",
            count,
        )
    elif in_thread:
        text = ngettext(
            "Your question #{id} went to {count} expert. I'll post their answer in the "
            "question's thread.",
            "Your question #{id} went to {count} experts. I'll post their answer in the "
            "question's thread.",
            count,
        )
    else:
        text = ngettext(
            "Your question #{id} went to {count} expert. I'll DM you their answer.",
            "Your question #{id} went to {count} experts. I'll DM you their answer.",
            count,
        )
    return text.format(id=question.id, count=format_number(count))


def why_asked(question: Question, chosen: Chosen) -> str:
    """Why this expert, so that nobody wonders why a question far from their field came to
    them."""
    if chosen.topics:
        return _("You're asked because you answer questions on {topics}.").format(
            topics=_tags(chosen.topics)
        )
    if chosen.on_topic:
        return _("You're asked because you've answered questions like it.")
    if question.topics:
        return _(
            "Nobody on {topics} is available right now; you're asked because you've helped before."
        ).format(topics=_tags(question.topics))
    return _(
        "Nobody on questions like it is available right now; you're asked because you've "
        "helped before."
    )


def expert_request(question: Question, asker: Person, why: str) -> Message:
    text = "❓ " + _("Can you answer question #{id}{topics}? {question}").format(
        id=question.id, topics=_topics(question), question=quote(question)
    )
    value = str(question.id)
    return Message(
        text=text,
        blocks=[
            Section(text=text),
            Context(texts=[asked_by(question, asker), why]),
            Actions(
                elements=[
                    Button(
                        action_id="qa.claim", label=_("I'll answer"), value=value, style="primary"
                    ),
                    Button(action_id="qa.decline", label=_("Not me"), value=value),
                ]
            ),
        ],
    )


def asked_in_channel(question: Question, asker: Person, experts: int) -> Message:
    asked = _("{asker} asked question #{id}{topics}: {question}").format(
        asker=mention(asker.platform_user_id),
        id=question.id,
        topics=_topics(question),
        question=quote(question),
    )
    if experts:
        where = ngettext(
            "I've asked {count} expert; the answer will come in this thread.",
            "I've asked {count} experts; the answer will come in this thread.",
            experts,
        ).format(count=format_number(experts))
    else:
        where = _("I've asked the help channel; the answer will come in this thread.")
    text = f"❓ {asked}\n{where}"
    return Message(text=text, blocks=[Section(text=text)])


def claimed_by_you(question: Question) -> Message:
    text = _(
        "You're answering question #{id}: {question}\n"
        "Reply with `/answer {id} your answer`, or use the button."
    ).format(id=question.id, question=quote(question))
    button = Button(action_id="qa.answer_form", label=_("Write answer"), value=str(question.id))
    return Message(text=text, blocks=[Section(text=text), Actions(elements=[button])])


def claimed_by_other(question: Question, claimer: Person) -> Message:
    return Message(
        text=_("{claimer} is answering question #{id}. Thanks anyway!").format(
            claimer=mention(claimer.platform_user_id), id=question.id
        )
    )


def declined(question: Question) -> Message:
    return Message(
        text=_("You passed on question #{id}; I'll ask someone else.").format(id=question.id)
    )


def claim_notice(question: Question, claimer: Person) -> str:
    return _("{claimer} is answering your question #{id}.").format(
        claimer=mention(claimer.platform_user_id), id=question.id
    )


ASK_FORM = "qa.ask"


def ask_form() -> Form:
    """`/ask` as a form, for the home page's button."""
    return Form(
        form_id=ASK_FORM,
        title=_("Ask a question"),
        inputs=[
            Input(
                name="question",
                label=_("Your question"),
                kind="textarea",
                max_length=MAX_QUESTION,
            ),
            Input(
                name="anonymous",
                label=_("Ask without your name?"),
                kind="select",
                options=[Option(value="no", label=_("No")), Option(value="yes", label=_("Yes"))],
                initial="no",
            ),
        ],
        submit_label=_("Ask"),
    )


def answer_form(question: Question) -> Form:
    return Form(
        form_id="qa.answer",
        title=_("Answer question #{id}").format(id=question.id),
        inputs=[
            Input(name="answer", label=_("Your answer"), kind="textarea", max_length=MAX_ANSWER)
        ],
        submit_label=_("Send"),
        metadata=str(question.id),
    )


def answer_for_asker(
    question: Question, answer: Answer, answerer: Person, in_thread_for: Person | None = None
) -> Message:
    """The answer with the asker's verdict buttons; in a channel thread it names the asker,
    `in_thread_for` (anonymous questions are answered by DM only)."""
    answered = _("{answerer} answered your question #{id} {question}:").format(
        answerer=mention(answerer.platform_user_id), id=question.id, question=quote(question, 200)
    )
    to = f"{mention(in_thread_for.platform_user_id)}: " if in_thread_for else ""
    text = f"💡 {to}{answered}\n{answer.text}"
    value = str(answer.id)
    return Message(
        text=text,
        blocks=[
            Section(text=text),
            Actions(
                elements=[
                    Button(action_id="qa.accept", label=_("Accept"), value=value, style="primary"),
                    Button(action_id="qa.unhelpful", label=_("Not helpful"), value=value),
                ]
            ),
        ],
    )


def accepted_for_answerer(question: Question) -> str:
    return "✅ " + _(
        "Your answer to question #{id} was accepted. Thank you! It will now be suggested to "
        "people who ask something similar."
    ).format(id=question.id)


def unhelpful_for_answerer(question: Question) -> str:
    return _(
        "The asker said your answer to question #{id} did not solve it; I'm asking other "
        "experts. Thanks for trying!"
    ).format(id=question.id)


def rerouted(question: Question, experts: list[Person], channel: str) -> str:
    if experts:
        return ngettext(
            "Sorry that didn't help. I've asked {count} more expert about #{id}.",
            "Sorry that didn't help. I've asked {count} more experts about #{id}.",
            len(experts),
        ).format(count=format_number(len(experts)), id=question.id)
    return _("Sorry that didn't help. I've posted question #{id} in #{channel}.").format(
        id=question.id, channel=channel
    )


def escalated(question: Question) -> str:
    return _(
        "Nobody has picked up your question #{id} yet, so I've also asked another expert."
    ).format(id=question.id)


def channel_post(question: Question, asker: Person) -> Message:
    text = "🙋 " + _("Can anyone help with question #{id}{topics}? {question}").format(
        id=question.id, topics=_topics(question), question=quote(question)
    )
    button = Button(
        action_id="qa.claim", label=_("I'll answer"), value=str(question.id), style="primary"
    )
    return Message(
        text=text,
        blocks=[
            Section(text=text),
            Context(texts=[asked_by(question, asker)]),
            Actions(elements=[button]),
        ],
    )


def channel_claimed(question: Question, claimer: Person) -> Message:
    return Message(
        text="🙋 "
        + _("Question #{id} {question} is being answered by {claimer}.").format(
            id=question.id,
            question=quote(question, 200),
            claimer=mention(claimer.platform_user_id),
        )
    )


def posted_for_asker(question: Question, channel: str, no_experts: bool) -> str:
    if no_experts and question.anonymous:
        text = _(
            "I found no available expert, so I've posted your question #{id} in #{channel} "
            "(without your name)."
        )
    elif no_experts:
        text = _("I found no available expert, so I've posted your question #{id} in #{channel}.")
    elif question.anonymous:
        text = _(
            "No expert has answered yet, so I've posted your question #{id} in #{channel} "
            "(without your name)."
        )
    else:
        text = _("No expert has answered yet, so I've posted your question #{id} in #{channel}.")
    return text.format(id=question.id, channel=channel)


def nobody_left(question: Question, channel: str) -> str:
    if question.anonymous:
        text = _(
            "The expert I asked can't take your question #{id}, and no other expert is "
            "available right now; so I've posted it in #{channel} (without your name) for "
            "anyone who can help."
        )
    else:
        text = _(
            "The expert I asked can't take your question #{id}, and no other expert is "
            "available right now; so I've posted it in #{channel} for anyone who can help."
        )
    return text.format(id=question.id, channel=channel)


def claim_released(question: Question, channel: str) -> str:
    return _(
        "Question #{id} waited too long for an answer, so I've posted it in #{channel} and "
        "released your claim. Answer it there if you still can."
    ).format(id=question.id, channel=channel)


def expert_summary(
    person: Person,
    declared: list[str],
    earned: list[tuple[str, float]],
    away: str,
    hours: WorkingTime,
    open_claims: int,
) -> Message:
    earned_text = format_list(f"#{t} ({decimal(s, 1)})" for t, s in earned) or _("none yet")
    fields = [
        _("Declared: {topics}").format(topics=_tags(declared) or _("none")),
        _("Earned: {topics}").format(topics=earned_text),
        _("Availability: {availability}").format(availability=away),
        _("Working hours: {hours}").format(hours=hours.describe()),
        _("Answering now: {count}").format(count=format_number(open_claims)),
    ]
    title = _("Your expertise, {name}").format(name=person.display_name)
    return Message(
        text=title + "\n" + "\n".join(fields), blocks=[Section(text=title, fields=fields)]
    )


def availability(away: bool, until: datetime | None, timezone: str) -> str:
    if until is not None:
        day = format_skeleton("yMMMEd", until.astimezone(ZoneInfo(timezone)), locale=current())
        return _("out of office until {day}").format(day=day)
    return _("away (not taking questions)") if away else _("available")


def topic_experts(topic: str, people: list[tuple[Person, float]]) -> str:
    if not people:
        return _(
            "Nobody has declared or earned #{topic} yet. `/expert add {topic}` if you can help!"
        ).format(topic=topic)
    lines = [f"{rank}. {p.display_name} ({decimal(s, 1)})" for rank, (p, s) in enumerate(people, 1)]
    return _("Experts on #{topic}:").format(topic=topic) + "\n" + "\n".join(lines)


def settings_summary(settings: QaSettings, names: dict[str, str]) -> Message:
    fields = [f"{name}: {setting_text(getattr(settings, field))}" for name, field in names.items()]
    title = _(
        "Q&A settings (an admin or community manager changes them: `/ask settings experts 3`)"
    )
    return Message(
        text=title + "\n" + "\n".join(fields), blocks=[Section(text=title, fields=fields)]
    )
