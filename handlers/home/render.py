"""The home page as neutral bot.contract.ui: one section per feature, newest first, short lines."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.contract.ui import Block, Context, Message, Section
from bot.kit.safety import neutralise, truncate
from bot.kit.wording import counted
from handlers.home.overview import KudosLine, Overview, SurveyToAnswer
from handlers.ideas.render import stage_label
from handlers.qa.tables import Question

LINE = 140


def _day(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d %b")


def _short(text: str) -> str:
    return truncate(neutralise(" ".join(text.split())), LINE)


def _kudos_lines(lines: list[KudosLine], word: str, timezone: str) -> str:
    return "\n".join(
        f"• {_day(k.at, timezone)} {word} {_short(k.other)}: {_short(k.reason)}" for k in lines
    )


def _kudos(overview: Overview, timezone: str) -> list[Block]:
    left = overview.allowance.left
    head = (
        f"*🎉 Kudos* — you can give {left} more today."
        if left
        else "*🎉 Kudos* — none left to give today."
    )
    received = _kudos_lines(overview.received, "from", timezone) or "Nothing received yet."
    given = (
        _kudos_lines(overview.given, "to", timezone)
        or "Nothing given yet: try `/kudos @name what they did`."
    )
    return [
        Section(text=head),
        Section(text=f"_Received_\n{received}"),
        Section(text=f"_Given_\n{given}"),
    ]


def _question_lines(questions: list[Question]) -> str:
    return "\n".join(f"• #{q.id} ({q.status}) {_short(q.text)}" for q in questions)


def _questions(overview: Overview) -> list[Block]:
    asked = _question_lines(overview.asked) or "None open. Ask with `/ask your question`."
    claimed = _question_lines(overview.claimed) or "None: nobody is waiting on you."
    return [
        Section(text="*❓ Questions*"),
        Section(text=f"_You asked_\n{asked}"),
        Section(text=f"_You are answering_\n{claimed}"),
    ]


def _surveys(overview: Overview, timezone: str) -> list[Block]:
    if not overview.surveys:
        return [Section(text="*📋 Surveys*\nNothing to answer right now.")]
    lines = "\n".join(
        f"• {_short(s.title)}: {_progress(s)}, closes {_day(s.closes_at, timezone)}"
        for s in overview.surveys
    )
    return [
        Section(text=f"*📋 Surveys to answer*\n{lines}"),
        Context(texts=["Answer from the survey's direct message; answers stay anonymous."]),
    ]


def _progress(survey: SurveyToAnswer) -> str:
    if survey.answered is None:
        questions = counted(survey.questions, "question")
        return f"{questions} (strict: whether you answered is kept nowhere)"
    return f"{survey.answered} of {survey.questions} answered"


def _ideas(overview: Overview) -> list[Block]:
    own = (
        "\n".join(
            f"• #{i.id} {_short(i.title)} — {stage_label(i.stage)}" for i in overview.own_ideas
        )
        or "None yet. Share one with `/idea Title — details`."
    )
    top = (
        "\n".join(
            f"• #{r.idea.id} {_short(r.idea.title)} — {r.votes} vote{'s' if r.votes != 1 else ''}"
            for r in overview.top_ideas
        )
        or "No ideas yet."
    )
    return [
        Section(text="*💡 Ideas*"),
        Section(text=f"_Yours_\n{own}"),
        Section(text=f"_Top ideas_\n{top}"),
    ]


def home_page(overview: Overview, name: str, timezone: str, now: datetime) -> Message:
    blocks: list[Block] = [
        Section(text=f"*Hello {_short(name)}!* Here is where things stand."),
        *_kudos(overview, timezone),
        *_questions(overview),
        *_surveys(overview, timezone),
        *_ideas(overview),
        Context(
            texts=[
                f"Updated {now.astimezone(ZoneInfo(timezone)):%d %b %H:%M %Z}. "
                "`/rapport help` lists everything."
            ]
        ),
    ]
    return Message(text="Rapport: your kudos, questions, surveys and ideas", blocks=blocks)
