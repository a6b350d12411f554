"""Mentoring profiles: checking what people type, saving it, and bulk import from CSV."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.errors import UserError
from bot.kit.directory import reachable
from bot.kit.i18n import format_number
from bot.kit.safety import neutralise
from bot.models import Person, Workspace
from handlers.mentoring.i18n import _, ngettext
from handlers.mentoring.tables import MentorAvoid, MentoringRole, MentorProfile

ROLES: tuple[MentoringRole, ...] = ("mentor", "mentee", "both")
DEFAULT_CAPACITY = 2
MAX_CAPACITY = 10
MAX_TAGS_TEXT = 500
MAX_TAG_LENGTH = 40
MAX_TAGS = 15
MAX_AVAILABILITY = 200
CSV_COLUMNS = ("user", "role", "skills", "goals", "availability", "capacity")
# Chinese and Japanese write their commas "、" and "，".
_SEPARATORS = re.compile(r"[,;\n、，；]+")


class ProfileInvalid(UserError):
    """A profile field is wrong; `field` names the form input it is about."""

    def __init__(self, text: str, field: str) -> None:
        super().__init__(text)
        self.field = field


@dataclass(frozen=True)
class ProfileInput:
    role: MentoringRole
    skills: list[str]
    goals: list[str]
    availability: str
    capacity: int


def parse_tags(text: str, field: str) -> list[str]:
    """Comma- (or semicolon-) separated tags, normalised so that "Public Speaking" and
    "public  speaking" are the same skill. `field` is "skills" or "goals"."""
    if len(text) > MAX_TAGS_TEXT:
        too_long = (
            _(
                "That list of skills is {length} characters; please keep it to at most {most} "
                "(a few words each, separated by commas)."
            )
            if field == "skills"
            else _(
                "That list of goals is {length} characters; please keep it to at most {most} "
                "(a few words each, separated by commas)."
            )
        )
        raise ProfileInvalid(
            too_long.format(length=format_number(len(text)), most=format_number(MAX_TAGS_TEXT)),
            field,
        )
    tags: list[str] = []
    for raw in _SEPARATORS.split(neutralise(text)):
        tag = " ".join(raw.lower().split())
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            one_too_long = (
                _(
                    "“{start}…” is too long for one of your skills: keep each to at most {most} "
                    "characters and separate them with commas."
                )
                if field == "skills"
                else _(
                    "“{start}…” is too long for one of your goals: keep each to at most {most} "
                    "characters and separate them with commas."
                )
            )
            raise ProfileInvalid(
                one_too_long.format(start=tag[:MAX_TAG_LENGTH], most=format_number(MAX_TAG_LENGTH)),
                field,
            )
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        listed = (
            ngettext(
                "Please list at most {count} skill.",
                "Please list at most {count} skills.",
                MAX_TAGS,
            )
            if field == "skills"
            else ngettext(
                "Please list at most {count} goal.", "Please list at most {count} goals.", MAX_TAGS
            )
        )
        raise ProfileInvalid(listed.format(count=format_number(MAX_TAGS)), field)
    return tags


def parse_capacity(text: str) -> int:
    text = text.strip()
    if not text:
        return DEFAULT_CAPACITY
    try:
        capacity = int(text)
    except ValueError:
        capacity = 0
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ProfileInvalid(
            _(
                "Capacity is how many mentees you can take at once: a whole number from 1 to "
                "{most} (you wrote “{typed}”)."
            ).format(most=format_number(MAX_CAPACITY), typed=neutralise(text)[:20]),
            "capacity",
        )
    return capacity


def parse_profile(
    role: str, skills: str, goals: str, availability: str, capacity: str
) -> ProfileInput:
    chosen = _role(role)
    offered = parse_tags(skills, "skills")
    sought = parse_tags(goals, "goals")
    if chosen in ("mentor", "both") and not offered:
        raise ProfileInvalid(_("As a mentor, list the skills you can offer."), "skills")
    if chosen in ("mentee", "both") and not sought:
        raise ProfileInvalid(_("As a mentee, list the goals you want help with."), "goals")
    available = " ".join(neutralise(availability).split())
    if len(available) > MAX_AVAILABILITY:
        raise ProfileInvalid(
            _("Please describe your availability in at most {most} characters.").format(
                most=format_number(MAX_AVAILABILITY)
            ),
            "availability",
        )
    spare = parse_capacity(capacity) if chosen in ("mentor", "both") else DEFAULT_CAPACITY
    return ProfileInput(chosen, offered, sought, available, spare)


def _role(text: str) -> MentoringRole:
    typed = text.strip().lower()
    for role in ROLES:
        if typed == role:
            return role
    raise ProfileInvalid(
        _("Role must be mentor, mentee or both (you wrote “{typed}”).").format(
            typed=neutralise(typed)[:20]
        ),
        "role",
    )


async def profile_of(session: AsyncSession, person: Person) -> MentorProfile | None:
    found = await session.exec(select(MentorProfile).where(MentorProfile.person_id == person.id))
    return found.first()


async def save_profile(
    session: AsyncSession, person: Person, given: ProfileInput, now: datetime
) -> MentorProfile:
    profile = await profile_of(session, person) or MentorProfile(
        workspace_id=person.workspace_id, person_id=person.id or 0, role=given.role, updated_at=now
    )
    profile.role = given.role
    profile.skills = given.skills
    profile.goals = given.goals
    profile.availability = given.availability
    profile.capacity = given.capacity
    profile.active = True
    profile.updated_at = now
    session.add(profile)
    await session.flush()
    return profile


async def avoid(session: AsyncSession, person: Person, other: Person, now: datetime) -> bool:
    """Never pair these two; False if it was already on the list."""
    known = await session.exec(
        select(MentorAvoid.id).where(
            MentorAvoid.person_id == person.id, MentorAvoid.avoid_id == other.id
        )
    )
    if known.first() is not None:
        return False
    session.add(
        MentorAvoid(
            workspace_id=person.workspace_id,
            person_id=person.id or 0,
            avoid_id=other.id or 0,
            created_at=now,
        )
    )
    return True


class ImportFailed(Exception):
    """The CSV had bad rows; nothing was imported. `errors` says which and why."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


async def import_csv(session: AsyncSession, workspace: Workspace, text: str, now: datetime) -> int:
    """Create or update a profile per row; every row is checked first, so one bad row
    means nothing is written. Returns how many profiles were saved."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in ("user", "role") if name not in header]
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if missing or unknown:
        raise ImportFailed(
            [
                # The command line speaks English: `rapport mentoring import`'s answers.
                f"the header must name the columns {', '.join(CSV_COLUMNS)} "  # not translated: CLI
                f"(user and role required); missing: {', '.join(missing) or 'none'}, "
                f"unknown: {', '.join(unknown) or 'none'}"
            ]
        )
    reader.fieldnames = header
    people = await session.exec(select(Person).where(Person.workspace_id == workspace.id))
    by_key: dict[str, Person] = {}
    for known in people.all():
        by_key[known.platform_user_id.lower()] = known
        if known.email:
            by_key[known.email.lower()] = known
    rows: list[tuple[Person, ProfileInput]] = []
    errors: list[str] = []
    seen: set[int] = set()
    for line, row in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
        who = cells.get("user", "")
        person = by_key.get(who.lower())
        try:
            if person is None:
                raise UserError(
                    "no one in this workspace has the user id or email "  # not translated: CLI
                    f"{who!r}"
                )
            if person.id in seen:
                raise UserError(f"{who} appears twice")  # not translated: CLI
            given = parse_profile(
                cells.get("role", ""),
                cells.get("skills", ""),
                cells.get("goals", ""),
                cells.get("availability", ""),
                cells.get("capacity", ""),
            )
        except UserError as bad:
            errors.append(f"row {line}: {bad.text}")
            continue
        seen.add(person.id or 0)
        rows.append((person, given))
    if errors:
        raise ImportFailed(errors)
    for person, given in rows:
        await save_profile(session, person, given, now)
    return len(rows)


async def active_profiles(
    session: AsyncSession, workspace: Workspace
) -> list[tuple[MentorProfile, Person]]:
    found = await session.exec(
        select(MentorProfile, Person)
        .join(Person, col(Person.id) == col(MentorProfile.person_id))
        .where(MentorProfile.workspace_id == workspace.id, col(MentorProfile.active), reachable())
        .order_by(col(MentorProfile.id))
    )
    return [(profile, person) for profile, person in found.all()]
