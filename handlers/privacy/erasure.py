"""Erasure: a person's rows deleted or handed to an anonymous stand-in, their words removed.

Rows that only describe the person (profiles, preferences, memberships) are deleted. Rows that
counts and results depend on (kudos, votes, ideas, pairs, interaction edges, the audit log)
are kept but point at a fresh stand-in person, "a former colleague", who keeps only the
department, so per-department counts stay right; the person's own words on them are removed.
Every table with a foreign key to person.id is handled, including tables added later (they
are re-pointed by default), and every text or JSON column is searched for their mentions,
name, e-mail and platform id, which are replaced (or the row, if it exists only to reach them,
deleted). The words they wrote (kudos reasons, ideas, questions, answers, comments on attributed
surveys) are found the same way in every stored copy (the outbox, due work) and become
"(removed)"; the channel posts already in chat that carried them are returned, to be edited.

What only a feature knows comes from its PersonalData (bot/kit/personal_data.py): the tables
that belong to the person alone, the columns holding their words on kept rows, and hooks for
what no foreign key shows (mentoring and coffee pairing end the matches and pairings still
to come, so that nobody keeps a partner who is gone; pulse removes the comments of
attributed answers).
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String as SAString
from sqlalchemy import Table, cast, delete, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.ui import Destination, Message
from bot.kit.erasure_notice import Notice
from bot.kit.personal_data import REMOVED, PersonalData, Reference
from bot.models import OutboxMessage, Person
from handlers.privacy.references import (
    Identifiers,
    Phrases,
    person_columns,
    referenced_tables,
    rewrite,
    strings_in,
    table_named,
    tables,
    text_columns,
)

FORMER = "a former colleague"  # not translated: stored in place of a name, for every reader

# A row here is reworded, never deleted, even when it names the person outright.
KEEP_ROWS = {"audit_entry", "person"}
# Posts in chat that can be edited in place: the bot's own channel posts and thread replies.
EDITABLE = ("channel", "thread")


@dataclass(frozen=True)
class Repost:
    """A post in chat whose stored copy was reworded: to be edited to `message` in place."""

    key: str
    destination: Destination
    message: Message


@dataclass(frozen=True)
class Erasure:
    stand_in_id: int
    rows_deleted: int
    rows_kept: int
    rows_reworded: int
    reposts: list[Repost]
    # What to tell the people whose matches and pairings with them ended, without naming them.
    notices: list[Notice]


async def erase(
    session: AsyncSession, person: Person, now: datetime, contributions: Sequence[PersonalData]
) -> Erasure:
    """Erase `person` in the caller's transaction, with what each feature contributes."""
    assert person.id is not None
    await session.flush()
    who = Identifiers.of(person)
    stand_in = Person(
        workspace_id=person.workspace_id,
        platform_user_id=f"former-{secrets.token_hex(8)}",
        display_name=FORMER,
        department=person.department,
        # Marked as a bot so that no feature invites, pairs, routes to or counts as invited
        # someone nobody can reach; their rows still count where rows are counted.
        is_bot=True,
        created_at=now,
    )
    session.add(stand_in)
    await session.flush()
    assert stand_in.id is not None
    their_words = {k: v for given in contributions for k, v in given.their_words.items()}
    phrases = Phrases.of(await _their_words(session, person.id, their_words, contributions))
    notices = [
        notice
        for given in contributions
        if given.ending is not None
        for notice in await given.ending(session, person.id, now)
    ]
    await session.flush()
    personal = set().union(*(given.personal_tables for given in contributions))
    deleted, kept = await _repoint(session, person.id, stand_in.id, personal, their_words)
    for given in contributions:
        if given.repoint is not None:
            await given.repoint(session, person.id, stand_in.id)
    connection = await session.connection()
    due_work = table_named("due_work")
    people = table_named("person")
    # Due work names its recipient by person id or platform id, in a plain string column.
    recipients = [str(person.id), who.platform_user_id]
    found = await connection.execute(delete(due_work).where(due_work.c.recipient.in_(recipients)))
    deleted += found.rowcount
    session.expunge(person)
    await connection.execute(delete(people).where(people.c.id == person.id))
    scrubbed, reworded, outbox = await _scrub(session, who, phrases)
    reposts = await _reposts(session, outbox)
    return Erasure(stand_in.id, deleted + scrubbed, kept, reworded, reposts, notices)


async def _their_words(
    session: AsyncSession,
    person_id: int,
    their_words: Mapping[Reference, Mapping[str, Any]],
    contributions: Sequence[PersonalData],
) -> list[str]:
    """Every text they wrote on rows kept for counts, read before it is removed there; a
    feature's own reader (comments on attributed surveys) removes its words itself."""
    connection = await session.connection()
    words: list[str] = []
    for (name, column), removed in their_words.items():
        table = table_named(name)
        texts = [table.c[field] for field, value in removed.items() if isinstance(value, str)]
        if texts:
            found = await connection.execute(select(*texts).where(table.c[column] == person_id))
            words += [text for row in found.all() for text in row if isinstance(text, str)]
    for given in contributions:
        if given.words is not None:
            words += await given.words(session, person_id)
    return words


async def _repoint(
    session: AsyncSession,
    person_id: int,
    stand_in_id: int,
    personal: set[str],
    their_words: Mapping[Reference, Mapping[str, Any]],
) -> tuple[int, int]:
    connection = await session.connection()
    deleted = kept = 0
    for table in tables():
        columns = person_columns(table)
        if not columns:
            continue
        if table.name in personal:
            found = await connection.execute(
                delete(table).where(or_(*(c == person_id for c in columns)))
            )
            deleted += found.rowcount
            continue
        for column in columns:
            words = their_words.get((table.name, column.name))
            if words:
                await connection.execute(update(table).where(column == person_id).values(words))
            found = await connection.execute(
                update(table).where(column == person_id).values({column.name: stand_in_id})
            )
            kept += found.rowcount
    return deleted, kept


async def _scrub(
    session: AsyncSession, who: Identifiers, phrases: Phrases
) -> tuple[int, int, list[int]]:
    """Reword every text or JSON value that names them or holds their words; delete rows that
    only address them. Also the ids of the outbox rows reworded."""
    connection = await session.connection()
    pattern = who.pattern()
    referenced = referenced_tables()
    needles = [*who.words(), *phrases.needles()]
    deleted = reworded = 0
    outbox: list[int] = []
    for table in tables():
        columns = text_columns(table)
        keys = list(table.primary_key.columns)
        if not columns or not keys:
            continue
        match = or_(*(cast(c, SAString).ilike(f"%{word}%") for c in columns for word in needles))
        rows = (await connection.execute(table.select().where(match))).mappings().all()
        for row in rows:
            where = [k == row[k.name] for k in keys]
            values = {c.name: row[c.name] for c in columns}
            if _addresses(table, values, who, referenced):
                await connection.execute(delete(table).where(*where))
                deleted += 1
                continue
            changed = {
                name: phrases.remove(rewrite(value, pattern, FORMER), REMOVED)
                for name, value in values.items()
                if value is not None
            }
            changed = {k: v for k, v in changed.items() if v != values[k]}
            if changed:
                await connection.execute(update(table).where(*where).values(changed))
                reworded += 1
                if table.name == "outbox_message":
                    outbox.append(row["id"])
    return deleted, reworded, outbox


async def _reposts(session: AsyncSession, reworded: list[int]) -> list[Repost]:
    """The sent channel posts whose latest version in chat was among the reworded rows: each
    post (an original and its edits share the original's key) once, as it now reads."""
    if not reworded:
        return []
    found = await session.exec(select(OutboxMessage).where(col(OutboxMessage.id).in_(reworded)))
    roots = {row.update_of or row.key for row in found.all()}
    chains = await session.exec(
        select(OutboxMessage)
        .where(
            or_(col(OutboxMessage.key).in_(roots), col(OutboxMessage.update_of).in_(roots)),
            OutboxMessage.status == "sent",
        )
        .order_by(col(OutboxMessage.id))
    )
    latest = {row.update_of or row.key: row for row in chains.all()}
    reposts = []
    for root, row in latest.items():
        destination = Destination.model_validate(row.destination)
        if row.id in reworded and destination.kind in EDITABLE and not destination.thread_of:
            reposts.append(Repost(root, destination, Message.model_validate(row.message)))
    return reposts


def _addresses(
    table: Table, values: dict[str, Any], who: Identifiers, referenced: set[str]
) -> bool:
    """True for a row that exists to reach or describe this person (a DM or reply to them,
    their Teams conversation, a message of theirs the bot remembered) and that nothing
    else points at."""
    if table.name in KEEP_ROWS or table.name in referenced:
        return False
    return any(text == who.platform_user_id for text in strings_in(list(values.values())))
