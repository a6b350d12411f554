"""What Q&A looks like in chat, as neutral UI. An anonymous asker is never named here
except in messages that go to the asker alone."""

from datetime import datetime
from zoneinfo import ZoneInfo

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
from bot.kit.safety import truncate
from bot.models import Person
from handlers.qa.parsing import MAX_ANSWER, MAX_QUESTION
from handlers.qa.routing import Chosen
from handlers.qa.settings import QaSettings
from handlers.qa.tables import Answer, Question
from handlers.qa.workhours import WorkingTime

ASK_SUMMARY = "*Q&A*: ask a question and the right colleague answers."
ASK_NOTES = """`#tags` in a question name its topics, like `/ask how is #overtime paid?`
Experts get your question by DM and one of them claims it. Asked in a channel, the question
is shown there and the answer comes as a reply in its thread; asked by DM (or anonymously),
the answer comes by DM. Accept it (it then helps the next person who asks) or mark it not
helpful (I ask other experts). If nobody picks it up within {hours:g} working hours I ask the
next experts; if it is still unanswered after {days:g} working days I post it in #{channel}
(at once when every expert I could ask said “Not me”).
Experts: `/answer 12 your answer` answers a question you claimed. See `/expert help`."""

EXPERT_NOTES = """Accepted answers and kudos tagged with a topic raise your expertise; “Not me” \
lowers it for that topic. Older evidence counts for less ({half_life:g}-day half-life)."""


def _text(text: str) -> Message:
    return Message(text=text, blocks=[Section(text=text)])


def ask_notes(hours: float, days: float, channel: str) -> str:
    return ASK_NOTES.format(hours=hours, days=days, channel=channel)


def _topics(question: Question) -> str:
    return " (" + ", ".join(f"#{t}" for t in question.topics) + ")" if question.topics else ""


def asked_by(question: Question, asker: Person) -> str:
    return (
        "Asked anonymously" if question.anonymous else f"Asked by {mention(asker.platform_user_id)}"
    )


def quote(question: Question, limit: int = 2000) -> str:
    return f"“{truncate(question.text, limit)}”"


def suggestions(question: Question, found: list[tuple[Question, Answer]]) -> Message:
    lines = [f"• #{q.id} {quote(q, 200)}\n  ↳ {truncate(a.text, 500)}" for q, a in found]
    head = "Before I ask the experts: these answered questions look like yours."
    value = str(question.id)
    buttons = Actions(
        elements=[
            Button(action_id="qa.solved", label="This answers it", value=value, style="primary"),
            Button(action_id="qa.still_ask", label="Still ask", value=value),
        ]
    )
    return Message(
        text=head + "\n" + "\n".join(lines),
        blocks=[Section(text=head), Section(text="\n".join(lines)), buttons],
    )


def routed(question: Question, experts: list[Person], *, in_thread: bool) -> str:
    """What the asker is told once experts are asked; where the answer will come says the same
    as `delivery.to_asker` does when it comes."""
    who = "anonymously " if question.anonymous else ""
    where = "post their answer in the question's thread" if in_thread else "DM you their answer"
    return (
        f"Your question #{question.id} went {who}to {len(experts)} "
        f"expert{'s' if len(experts) != 1 else ''}. I'll {where}."
    )


def why_asked(question: Question, chosen: Chosen) -> str:
    """Why this expert, so that nobody wonders why a question far from their field came to
    them."""
    if chosen.topics:
        known = ", ".join(f"#{t}" for t in chosen.topics)
        return f"You're asked because you answer questions on {known}."
    if chosen.on_topic:
        return "You're asked because you've answered questions like it."
    field = ", ".join(f"#{t}" for t in question.topics) or "questions like it"
    return f"Nobody on {field} is available right now; you're asked because you've helped before."


def expert_request(question: Question, asker: Person, why: str) -> Message:
    text = f"❓ Can you answer question #{question.id}{_topics(question)}? {quote(question)}"
    value = str(question.id)
    return Message(
        text=text,
        blocks=[
            Section(text=text),
            Context(texts=[asked_by(question, asker), why]),
            Actions(
                elements=[
                    Button(action_id="qa.claim", label="I'll answer", value=value, style="primary"),
                    Button(action_id="qa.decline", label="Not me", value=value),
                ]
            ),
        ],
    )


def asked_in_channel(question: Question, asker: Person, experts: int) -> Message:
    who = f"{experts} expert{'s' if experts != 1 else ''}" if experts else "the help channel"
    text = (
        f"❓ {mention(asker.platform_user_id)} asked question #{question.id}{_topics(question)}: "
        f"{quote(question)}\nI've asked {who}; the answer will come in this thread."
    )
    return Message(text=text, blocks=[Section(text=text)])


def claimed_by_you(question: Question) -> Message:
    text = (
        f"You're answering question #{question.id}: {quote(question)}\n"
        f"Reply with `/answer {question.id} your answer`, or use the button."
    )
    button = Button(action_id="qa.answer_form", label="Write answer", value=str(question.id))
    return Message(text=text, blocks=[Section(text=text), Actions(elements=[button])])


def claimed_by_other(question: Question, claimer: Person) -> Message:
    return Message(
        text=f"{mention(claimer.platform_user_id)} is answering question #{question.id}. "
        "Thanks anyway!"
    )


def declined(question: Question) -> Message:
    return Message(text=f"You passed on question #{question.id}; I'll ask someone else.")


def claim_notice(question: Question, claimer: Person) -> str:
    return f"{mention(claimer.platform_user_id)} is answering your question #{question.id}."


ASK_FORM = "qa.ask"


def ask_form() -> Form:
    """`/ask` as a form, for the home page's button."""
    return Form(
        form_id=ASK_FORM,
        title="Ask a question",
        inputs=[
            Input(name="question", label="Your question", kind="textarea", max_length=MAX_QUESTION),
            Input(
                name="anonymous",
                label="Ask without your name?",
                kind="select",
                options=[Option(value="no", label="No"), Option(value="yes", label="Yes")],
                initial="no",
            ),
        ],
        submit_label="Ask",
    )


def answer_form(question: Question) -> Form:
    return Form(
        form_id="qa.answer",
        title=f"Answer question #{question.id}",
        inputs=[Input(name="answer", label="Your answer", kind="textarea", max_length=MAX_ANSWER)],
        submit_label="Send",
        metadata=str(question.id),
    )


def answer_for_asker(
    question: Question, answer: Answer, answerer: Person, in_thread_for: Person | None = None
) -> Message:
    """The answer with the asker's verdict buttons; in a channel thread it names the asker,
    `in_thread_for` (anonymous questions are answered by DM only)."""
    to = f"{mention(in_thread_for.platform_user_id)}: " if in_thread_for else ""
    text = (
        f"💡 {to}{mention(answerer.platform_user_id)} answered your question #{question.id} "
        f"{quote(question, 200)}:\n{answer.text}"
    )
    value = str(answer.id)
    return Message(
        text=text,
        blocks=[
            Section(text=text),
            Actions(
                elements=[
                    Button(action_id="qa.accept", label="Accept", value=value, style="primary"),
                    Button(action_id="qa.unhelpful", label="Not helpful", value=value),
                ]
            ),
        ],
    )


def accepted_for_answerer(question: Question) -> str:
    return (
        f"✅ Your answer to question #{question.id} was accepted. Thank you! It will now be "
        "suggested to people who ask something similar."
    )


def unhelpful_for_answerer(question: Question) -> str:
    return (
        f"The asker said your answer to question #{question.id} did not solve it; "
        "I'm asking other experts. Thanks for trying!"
    )


def rerouted(question: Question, experts: list[Person], channel: str) -> str:
    if experts:
        return f"Sorry that didn't help. I've asked {len(experts)} more about #{question.id}."
    return f"Sorry that didn't help. I've posted question #{question.id} in #{channel}."


def escalated(question: Question) -> str:
    return (
        f"Nobody has picked up your question #{question.id} yet, so I've also asked another expert."
    )


def channel_post(question: Question, asker: Person) -> Message:
    text = f"🙋 Can anyone help with question #{question.id}{_topics(question)}? {quote(question)}"
    button = Button(
        action_id="qa.claim", label="I'll answer", value=str(question.id), style="primary"
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
        text=f"🙋 Question #{question.id} {quote(question, 200)} is being answered by "
        f"{mention(claimer.platform_user_id)}."
    )


def posted_for_asker(question: Question, channel: str, no_experts: bool) -> str:
    why = "I found no available expert" if no_experts else "No expert has answered yet"
    name = " (without your name)" if question.anonymous else ""
    return f"{why}, so I've posted your question #{question.id} in #{channel}{name}."


def nobody_left(question: Question, channel: str) -> str:
    name = " (without your name)" if question.anonymous else ""
    return (
        f"The expert I asked can't take your question #{question.id}, and no other expert is "
        f"available right now; so I've posted it in #{channel}{name} for anyone who can help."
    )


def claim_released(question: Question, channel: str) -> str:
    return (
        f"Question #{question.id} waited too long for an answer, so I've posted it in "
        f"#{channel} and released your claim. Answer it there if you still can."
    )


def expert_summary(
    person: Person,
    declared: list[str],
    earned: list[tuple[str, float]],
    away: str,
    hours: WorkingTime,
    open_claims: int,
) -> Message:
    earned_text = ", ".join(f"#{t} ({s:.1f})" for t, s in earned) or "none yet"
    fields = [
        f"Declared: {', '.join('#' + t for t in declared) or 'none'}",
        f"Earned: {earned_text}",
        f"Availability: {away}",
        f"Working hours: {hours.describe()}",
        f"Answering now: {open_claims}",
    ]
    title = f"Your expertise, {person.display_name}"
    return Message(
        text=title + "\n" + "\n".join(fields), blocks=[Section(text=title, fields=fields)]
    )


def availability(away: bool, until: datetime | None, timezone: str) -> str:
    if until is not None:
        return f"out of office until {until.astimezone(ZoneInfo(timezone)):%a %Y-%m-%d}"
    return "away (not taking questions)" if away else "available"


def topic_experts(topic: str, people: list[tuple[Person, float]]) -> str:
    if not people:
        return f"Nobody has declared or earned #{topic} yet. `/expert add {topic}` if you can help!"
    lines = [f"{rank}. {p.display_name} ({s:.1f})" for rank, (p, s) in enumerate(people, 1)]
    return f"Experts on #{topic}:\n" + "\n".join(lines)


def settings_summary(settings: QaSettings, names: dict[str, str]) -> Message:
    fields = [f"{name}: {setting_text(getattr(settings, field))}" for name, field in names.items()]
    title = "Q&A settings (an admin or community manager changes them: `/ask settings experts 3`)"
    return Message(
        text=title + "\n" + "\n".join(fields), blocks=[Section(text=title, fields=fields)]
    )
