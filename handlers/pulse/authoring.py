"""Creating and changing surveys, from the `/pulse new` form or a YAML file."""

import re
from datetime import datetime
from difflib import get_close_matches
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.errors import FormInvalid, UserError
from bot.kit.i18n import format_list, language_name
from bot.kit.people import find_person
from bot.models import Person, Schedule, Workspace
from bot.time.scheduler import add_schedule
from bot.wiring.config import Settings
from handlers.pulse.delivery import RUN, audience_query
from handlers.pulse.i18n import _, ngettext
from handlers.pulse.problems import problem
from handlers.pulse.settings import pulse_settings
from handlers.pulse.spec import (
    ONCE_NOW,
    AudienceSpec,
    SurveySpec,
    TextsError,
    known_language,
    parse_questions,
    written_per_language,
)
from handlers.pulse.tables import (
    ChannelMember,
    PulseAnswer,
    PulseAttribution,
    PulseBallot,
    PulseRun,
    PulseSurvey,
)

FORM_FIELDS = (
    "title",
    "questions",
    "audience",
    "schedule",
    "timezone",
    "anonymous",
    "reminders",
    "close",
    "language",
)
_YES = {"yes": True, "y": True, "true": True, "on": True, "no": False, "n": False, "false": False}


def spec_from_form(values: dict[str, str], settings: Settings, language: str) -> SurveySpec:
    """The form's fields as a spec (written in `language` unless the form says which);
    FormInvalid names the field of each problem."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {
        "title": values.get("title", ""),
        "language": values.get("language", "").strip() or language,
        "audience": values.get("audience", "everyone"),
        "schedule": values.get("schedule", "once"),
        "timezone": values.get("timezone", "").strip() or "UTC",
    }
    try:
        data["questions"] = parse_questions(values.get("questions", ""))
    except ValueError as bad:
        errors["questions"] = str(bad)
    anonymous = values.get("anonymous", "yes").strip().lower()
    if anonymous not in _YES:
        errors["anonymous"] = _("Answer yes or no.")
    data["anonymous"] = _YES.get(anonymous, True)
    data["reminders"] = values.get("reminders", "").strip().lower() or "targeted"
    close = values.get("close", "").strip() or str(pulse_settings(settings).close_after_days)
    if not close.isdigit():
        errors["close"] = _("Give a whole number of days, like 5.")
    data["close_after_days"] = int(close) if close.isdigit() else 0
    # Defaults that fall after the close are dropped rather than refused: nobody typed them.
    close_days = data["close_after_days"]
    data["reminder_days"] = [d for d in pulse_settings(settings).reminder_days if d < close_days]
    try:
        spec = SurveySpec.model_validate(data)
    except ValidationError as invalid:
        for error in invalid.errors():
            field = str(error["loc"][0]) if error["loc"] else "title"
            field = "close" if field in ("close_after_days", "reminder_days") else field
            errors.setdefault(field if field in FORM_FIELDS else "title", problem(error))
    if errors:
        raise FormInvalid(errors)
    return spec


def other_language(spec: SurveySpec, tag: str) -> str:
    """The language `tag` names, for texts besides the survey's own; UserError otherwise."""
    try:
        language = known_language(tag)
    except ValueError as unknown:
        raise UserError(f"{unknown}.") from unknown
    if language == spec.language:
        raise UserError(
            _(
                "The survey is written in {language} already: its {language} texts are the "
                "ones it was created with."
            ).format(language=language_name(language))
        )
    return language


def translate(spec: SurveySpec, language: str, values: dict[str, str]) -> SurveySpec:
    """The spec with its texts in `language` as the translate form gives them (a title, and
    a line per question with a choice's options after `|`), or without them when the form
    is empty; FormInvalid names the field of each problem."""
    language = other_language(spec, language)
    title = values.get("title", "").strip()
    lines = [line for line in re.split(r"[\n;]", values.get("questions", "")) if line.strip()]
    data = spec.model_dump()
    data["titles"] = {k: v for k, v in spec.titles.items() if k != language}
    for question in data["questions"]:
        question["translations"].pop(language, None)
    if not title and not lines:
        return SurveySpec.model_validate(data)
    if len(lines) != len(spec.questions):
        count = len(spec.questions)
        wanted = ngettext(
            "The survey has {count} question: give one line for it ({given} given).",
            "The survey has {count} questions: give one line for each, in the same order "
            "({given} given).",
            count,
        )
        raise FormInvalid({"questions": wanted.format(count=count, given=len(lines))})
    data["titles"][language] = title or spec.title
    for question, line in zip(data["questions"], lines, strict=True):
        prompt, *options = line.split("|")
        text = {"prompt": prompt.strip(), "options": [o.strip() for o in options if o.strip()]}
        question["translations"][language] = text
    try:
        return SurveySpec.model_validate(data)
    except ValidationError as invalid:
        problems = [problem(error) for error in invalid.errors()]
        field = "title" if invalid.errors()[0]["loc"][:1] == ("titles",) else "questions"
        raise FormInvalid({field: " ".join(problems)}) from invalid


def save_spec(survey: PulseSurvey, spec: SurveySpec) -> None:
    survey.spec = spec.model_dump()


class SpecFileError(ValueError):
    """A YAML survey file that cannot be used; the message names the line."""


def spec_from_yaml(text: str, settings: Settings) -> tuple[SurveySpec, dict[str, Any]]:
    """The spec from a YAML file, and the file's other top-level keys (e.g. workspace)."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as bad:
        mark = getattr(bad, "problem_mark", None)
        why = getattr(bad, "problem", bad)
        if mark is None:
            raise SpecFileError(_("not valid YAML ({why})").format(why=why)) from bad
        raise SpecFileError(
            _("line {line}: not valid YAML ({why})").format(line=mark.line + 1, why=why)
        ) from bad
    if not isinstance(data, dict):
        raise SpecFileError(
            _("line {line}: expected a mapping with title, questions, audience, ...").format(line=1)
        )
    extra = {k: data.pop(k) for k in ("workspace", "platform", "created_by") if k in data}
    data.setdefault("reminder_days", list(pulse_settings(settings).reminder_days))
    data.setdefault("close_after_days", pulse_settings(settings).close_after_days)
    data.setdefault("language", settings.workspace_language)
    try:
        data = written_per_language(data)
    except TextsError as bad:
        where = ".".join(map(str, bad.where))
        raise SpecFileError(f"line {_line(root, bad.where)}: {where}: {bad}") from bad
    try:
        return SurveySpec.model_validate(data), extra
    except ValidationError as invalid:
        problems = [
            _("line {line}: {field}: {problem}").format(
                line=_line(root, error["loc"]),
                field=".".join(map(str, error["loc"])) or "survey",
                problem=problem(error),
            )
            for error in invalid.errors()
        ]
        raise SpecFileError("\n".join(problems)) from invalid


def _line(node: Any, loc: tuple[int | str, ...]) -> int:
    """The 1-based line of the YAML node at `loc`, or of its nearest existing parent."""
    line = node.start_mark.line + 1 if node is not None else 1
    for key in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


class AudienceRefused(UserError):
    """The audience holds nobody, or names a department nobody is in."""


async def audience_size(session: AsyncSession, workspace: Workspace, spec: AudienceSpec) -> int:
    """How many people the audience holds now. One that holds nobody is refused at creation,
    naming what comes close, rather than found out when a run goes to nobody; so is a
    department nobody is in, since a typo there silently leaves its people out."""
    if spec.kind == "departments":
        await _check_departments(session, workspace, spec.departments)
    query = select(func.count()).select_from(audience_query(workspace, spec).subquery())
    size = (await session.exec(query)).one()
    if size:
        return size
    if spec.kind == "channel":
        channels = await session.exec(
            select(ChannelMember.channel).where(ChannelMember.workspace_id == workspace.id)
        )
        close = get_close_matches(spec.channel, sorted(set(channels.all())), n=3)
        nobody = _(
            "Nobody has been seen posting in #{channel}, so that audience holds nobody (a "
            "channel's audience is the people I have seen post there)."
        ).format(channel=spec.channel)
        if not close:
            raise AudienceRefused(nobody)
        suggestion = _("Did you mean {names}?").format(names=_either(["#" + c for c in close]))
        raise AudienceRefused(f"{nobody} {suggestion}")
    raise AudienceRefused(_("There is nobody in this workspace to ask yet."))


async def _check_departments(
    session: AsyncSession, workspace: Workspace, wanted: list[str]
) -> None:
    found = await session.exec(
        select(Person.department)
        .where(
            Person.workspace_id == workspace.id,
            col(Person.is_bot).is_(False),
            col(Person.department).is_not(None),
        )
        .distinct()
    )
    known = {name.lower(): name for name in found.all() if name}
    problems = []
    for name in wanted:
        if name.lower() in known:
            continue
        close = [known[c] for c in get_close_matches(name.lower(), sorted(known), n=3)]
        if close:
            hint = _("No department {name} — did you mean {names}?").format(
                name=repr(name), names=_either(close)
            )
        else:
            hint = _listed(name, sorted(known.values()))
        problems.append(hint)
    if problems:
        raise AudienceRefused(" ".join(problems))


def _either(names: list[str]) -> str:
    return format_list(names, style="or")


def _listed(name: str, departments: list[str]) -> str:
    if not departments:
        return _("No department {name} — nobody here has a department yet.").format(name=repr(name))
    shown = format_list(departments) if len(departments) <= 15 else ", ".join(departments[:15])
    shown += "" if len(departments) <= 15 else ", ..."
    return _("No department {name} — the departments are {names}.").format(
        name=repr(name), names=shown
    )


async def create_survey(
    session: AsyncSession,
    workspace: Workspace,
    spec: SurveySpec,
    creator: Person | None,
    now: datetime,
) -> tuple[PulseSurvey, int]:
    """The survey and its schedule, and how many people its audience holds now."""
    assert workspace.id is not None
    size = await audience_size(session, workspace, spec.audience)
    survey = PulseSurvey(
        workspace_id=workspace.id,
        title=spec.title,
        language=spec.language,
        spec=spec.model_dump(),
        anonymous=spec.anonymous,
        created_by_id=creator.id if creator else None,
        created_at=now,
    )
    session.add(survey)
    await session.flush()
    trigger = spec.schedule.trigger
    if trigger == ONCE_NOW:
        trigger = {"type": "date", "at": now.isoformat()}
    schedule = await add_schedule(
        session,
        workspace,
        RUN,
        trigger,
        now=now,
        timezone=spec.timezone,
        name=f"pulse #{survey.id}",
        payload={"survey": survey.id},
    )
    if not schedule.enabled:
        raise UserError(_("That schedule never fires: is the date in the past?"))
    survey.schedule_id = schedule.id
    return survey, size


async def find_survey(session: AsyncSession, workspace: Workspace, ref: str) -> PulseSurvey:
    number = ref.strip().lstrip("#")
    survey = await session.get(PulseSurvey, int(number)) if number.isdigit() else None
    if survey is None or survey.workspace_id != workspace.id:
        raise UserError(
            _("I can't find pulse survey {ref}. `/pulse list` shows them.").format(
                ref=ref.strip() or _("(none given)")
            )
        )
    return survey


async def has_answers(session: AsyncSession, survey: PulseSurvey) -> bool:
    """Whether anyone answered, ballots still waiting in the box included."""
    for model in (PulseAnswer, PulseBallot):
        found = await session.exec(
            select(model.id)
            .join(PulseRun, col(PulseRun.id) == model.run_id)
            .where(PulseRun.survey_id == survey.id)
            .limit(1)
        )
        if found.first() is not None:
            return True
    return False


async def set_anonymous(session: AsyncSession, survey: PulseSurvey, anonymous: bool) -> None:
    """Anonymity can be switched on at any time (dropping attributions) but never off once an
    answer exists: people answered on the promise that it carries no name."""
    if not anonymous and survey.anonymous and await has_answers(session, survey):
        raise UserError(
            _(
                "This survey already has answers given anonymously, so it stays anonymous. "
                "Create a new survey if you need attributed answers."
            )
        )
    if not anonymous and survey.spec.get("reminders") == "strict":
        raise UserError(
            _(
                "This survey keeps no record of who answered (strict), so it stays anonymous. "
                "Create a new survey if you need attributed answers."
            )
        )
    if anonymous and not survey.anonymous:
        runs = select(PulseRun.id).where(PulseRun.survey_id == survey.id)
        answers = select(PulseAnswer.id).where(col(PulseAnswer.run_id).in_(runs))
        attributed = col(PulseAttribution.answer_id).in_(answers)
        await session.exec(delete(PulseAttribution).where(attributed))
    survey.anonymous = anonymous
    survey.spec = {**survey.spec, "anonymous": anonymous}
    session.add(survey)


async def stop(session: AsyncSession, survey: PulseSurvey) -> None:
    """No further runs: the schedule is switched off (runs already open finish as planned)."""
    survey.active = False
    session.add(survey)
    schedule = await session.get(Schedule, survey.schedule_id) if survey.schedule_id else None
    if schedule is not None:
        schedule.enabled = False
        session.add(schedule)


async def list_surveys(session: AsyncSession, workspace: Workspace) -> list[PulseSurvey]:
    found = await session.exec(
        select(PulseSurvey)
        .where(PulseSurvey.workspace_id == workspace.id)
        .order_by(col(PulseSurvey.id))
    )
    return list(found.all())


async def create_from_yaml(
    session: AsyncSession,
    text: str,
    settings: Settings,
    now: datetime,
    *,
    workspace: str | None,
    platform: str,
) -> tuple[PulseSurvey, int]:
    """A survey from a YAML file's text, and how many people its audience holds now;
    SpecFileError or UserError before anything is written."""
    spec, extra = spec_from_yaml(text, settings)
    external_id = workspace or extra.get("workspace")
    query = select(Workspace)
    if external_id:
        query = query.where(
            Workspace.platform == str(extra.get("platform", platform)),
            Workspace.external_id == str(external_id),
        )
    found = list((await session.exec(query)).all())
    if len(found) != 1:
        raise UserError(
            ngettext(
                "{count} workspace matches: name one with `workspace:` or --workspace.",
                "{count} workspaces match: name one with `workspace:` or --workspace.",
                len(found),
            ).format(count=len(found))
        )
    place = found[0]
    creator = None
    if extra.get("created_by"):
        creator = await find_person(session, place, str(extra["created_by"]))
        if creator is None:
            raise UserError(
                _("created_by: nobody called {name} in {workspace}.").format(
                    name=repr(extra["created_by"]), workspace=place.name
                )
            )
    try:
        return await create_survey(session, place, spec, creator, now)
    except AudienceRefused as refused:
        where = _line(yaml.compose(text), ("audience",))
        raise SpecFileError(
            _("line {line}: {field}: {problem}").format(
                line=where, field="audience", problem=refused.text
            )
        ) from refused
