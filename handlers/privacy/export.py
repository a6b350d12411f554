"""Everything the bot holds about one person, as data for a JSON file and a readable summary.

Every table with a foreign key to person.id is read generically, so a table added later is
exported without touching this file; labels only make the known ones read well.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Person
from handlers.ideas.tables import Idea
from handlers.mentoring.coffee_tables import CoffeeGroup
from handlers.privacy.references import person_columns, plain, tables
from handlers.pulse.tables import PulseAnswer, PulseAttribution, PulseRun, PulseSurvey

ANONYMOUS_NOTE = (
    "Answers to anonymous pulse surveys are stored with no link to anyone, not even in our "
    "database, so nobody (you included) can find which ones are yours: they are not included."
)

LABELS = {
    ("kudos", "giver_id"): "kudos given",
    ("kudos", "receiver_id"): "kudos received",
    ("idea", "author_id"): "ideas you wrote",
    ("idea_author", "person_id"): "ideas you co-authored",
    ("idea_vote", "person_id"): "idea votes",
    ("campaign", "opened_by_id"): "idea campaigns you opened",
    ("question", "asker_id"): "questions you asked",
    ("question", "claimed_by_id"): "questions you claimed",
    ("question_route", "expert_id"): "questions routed to you",
    ("answer", "answerer_id"): "answers you wrote",
    ("expert_topic", "person_id"): "expertise",
    ("expert_profile", "person_id"): "expert availability",
    ("mentor_profile", "person_id"): "mentoring profile",
    ("mentor_pair", "mentor_id"): "mentoring pairs (as mentor)",
    ("mentor_pair", "mentee_id"): "mentoring pairs (as mentee)",
    ("mentor_avoid", "person_id"): "people you asked not to be paired with",
    ("coffee_member", "person_id"): "coffee pairing membership",
    ("pulse_preference", "person_id"): "pulse preferences",
    ("pulse_respondent", "person_id"): "open pulse runs you were asked in",
    ("pulse_survey", "created_by_id"): "pulse surveys you created",
    ("channel_member", "person_id"): "channels you were seen posting in",
    ("interaction", "source_id"): "interactions you started",
    ("interaction", "target_id"): "interactions with you",
    ("audit_entry", "actor_id"): "audit log entries of your actions",
    ("audit_entry", "subject_id"): "audit log entries about you",
    ("dashboard_link", "person_id"): "dashboard sign-in links",
}

# Someone else's private wish about this person, or their reports: not theirs to read.
NOT_THEIRS = {("mentor_avoid", "avoid_id"), ("person", "manager_id")}
SECRET_COLUMNS = {"token_hash"}
# pulse_attribution is exported joined to its answers (below), as "attributed survey answers".
JOINED = {("pulse_attribution", "person_id")}


@dataclass
class Export:
    data: dict[str, Any]
    summary: str

    def json_bytes(self) -> bytes:
        return json.dumps(self.data, indent=2, ensure_ascii=False).encode()


async def collect(session: AsyncSession, person: Person, now: datetime) -> Export:
    assert person.id is not None
    names = await _names(session, person.workspace_id)
    titles = await _idea_titles(session, person.workspace_id)
    sections: dict[str, list[dict[str, Any]]] = {}
    connection = await session.connection()
    for table in tables():
        for column in person_columns(table):
            key = (table.name, column.name)
            if key in NOT_THEIRS or key in JOINED:
                continue
            found = await connection.execute(table.select().where(column == person.id))
            rows = [_row(table, dict(r), names, titles, column.name) for r in found.mappings()]
            if rows:
                sections[LABELS.get(key, f"{table.name} ({column.name})")] = rows
    groups = await _coffee_groups(session, person, names)
    if groups:
        sections["coffee groups"] = groups
    answers = await _attributed_answers(session, person.id)
    if answers:
        sections["attributed survey answers"] = answers
    data = {
        "exported_at": now.isoformat(),
        "profile": _profile(person, names),
        "anonymous_survey_answers": ANONYMOUS_NOTE,
        "data": sections,
    }
    return Export(data, _summary(person, sections))


def _profile(person: Person, names: dict[int, str]) -> dict[str, Any]:
    profile = {c: plain(getattr(person, c)) for c in Person.model_fields}
    profile["manager_name"] = names.get(person.manager_id or 0)
    return profile


def _row(
    table: Table, row: dict[str, Any], names: dict[int, str], titles: dict[int, str], own: str
) -> dict[str, Any]:
    """One row as the person whose id is in column `own` may see it: an anonymous row (a
    question asked anonymously, found by the expert who claimed it) names nobody else."""
    shown = {k: plain(v) for k, v in row.items() if k not in SECRET_COLUMNS}
    for column in person_columns(table):
        if row.get(column.name) is None:
            continue
        if row.get("anonymous") and column.name != own:
            shown[column.name] = None
            continue
        shown[f"{column.name.removesuffix('_id')}_name"] = names.get(row[column.name])
    if table.name != "idea" and row.get("idea_id") in titles:
        shown["idea_title"] = titles[row["idea_id"]]
    return shown


async def _names(session: AsyncSession, workspace_id: int) -> dict[int, str]:
    found = await session.exec(
        select(Person.id, Person.display_name).where(Person.workspace_id == workspace_id)
    )
    return {person_id: name for person_id, name in found.all() if person_id is not None}


async def _idea_titles(session: AsyncSession, workspace_id: int) -> dict[int, str]:
    found = await session.exec(select(Idea.id, Idea.title).where(Idea.workspace_id == workspace_id))
    return {idea_id: title for idea_id, title in found.all() if idea_id is not None}


async def _coffee_groups(
    session: AsyncSession, person: Person, names: dict[int, str]
) -> list[dict[str, Any]]:
    found = await session.exec(
        select(CoffeeGroup).where(CoffeeGroup.workspace_id == person.workspace_id)
    )
    return [
        {
            "period": group.period,
            "with": [names.get(m) for m in group.members if m != person.id],
            "met": group.met,
            "created_at": plain(group.created_at),
        }
        for group in found.all()
        if person.id in group.members
    ]


async def _attributed_answers(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    found = await session.exec(
        select(PulseSurvey.title, PulseRun.period, PulseSurvey.spec, PulseAnswer)
        .select_from(PulseAttribution)
        .join(PulseAnswer, col(PulseAttribution.answer_id) == col(PulseAnswer.id))
        .join(PulseRun, col(PulseRun.id) == col(PulseAnswer.run_id))
        .join(PulseSurvey, col(PulseSurvey.id) == col(PulseRun.survey_id))
        .where(PulseAttribution.person_id == person_id)
        .order_by(col(PulseRun.opened_at), col(PulseAnswer.question))
    )
    answers = []
    for title, period, spec, answer in found.all():
        questions = spec.get("questions", [])
        asked = questions[answer.question] if answer.question < len(questions) else {}
        answers.append(
            {
                "survey": title,
                "run": period,
                "question": asked.get("prompt", answer.question),
                "score": answer.score,
                "choice": answer.choice,
                "comment": answer.comment,
                "day": plain(answer.day),
            }
        )
    return answers


def _summary(person: Person, sections: dict[str, list[dict[str, Any]]]) -> str:
    lines = [
        f"What Rapport holds about {person.display_name}: your profile (time zone "
        f"{person.timezone}, department {person.department or 'none'}, roles "
        f"{', '.join(person.roles) or 'member'}) and:"
    ]
    lines += [f"• {label}: {len(rows)}" for label, rows in sections.items()]
    if not sections:
        lines.append("• nothing else yet")
    lines.append(ANONYMOUS_NOTE)
    lines.append("Everything is in the attached JSON file. `/rapport forget-me` erases it.")
    return "\n".join(lines)
