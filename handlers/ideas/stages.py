"""The stages of an idea by name: shown in the reader's language, typed in theirs or English."""

from bot.contract.errors import UserError
from bot.kit.i18n import format_list
from handlers.ideas.i18n import _
from handlers.ideas.tables import Stage

# The stages a moderator can move an idea to (draft and merged are reached otherwise).
STAGES: tuple[Stage, ...] = ("new", "under_review", "planned", "in_progress", "done", "declined")

ICONS = {
    "new": "🆕",
    "under_review": "🔎",
    "planned": "🗓️",
    "in_progress": "🚧",
    "done": "✅",
    "declined": "🚫",
    "merged": "🔀",
}


def stage_name(stage: Stage) -> str:
    """The stage's name in the language spoken."""
    names: dict[Stage, str] = {
        "draft": _("draft"),
        # Translators: the stages of an idea; moderators may type them too, as in
        # `/idea stage #12 under review`, so keep each short and easy to type.
        "new": _("new"),
        "under_review": _("under review"),
        "planned": _("planned"),
        "in_progress": _("in progress"),
        "done": _("done"),
        "declined": _("declined"),
        "merged": _("merged"),
    }
    return names[stage]


def stage_label(stage: Stage) -> str:
    return f"{ICONS.get(stage, '')} {stage_name(stage)}".strip()


def _folded(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())


def typed_stage(text: str) -> Stage:
    """The stage `text` names, in English (`under review`, `in-progress`) or the language
    spoken (`prévue`)."""
    wanted = _folded(text)
    for stage in STAGES:
        if wanted in (_folded(stage), _folded(stage_name(stage))):
            return stage
    shown = format_list(stage_name(s) for s in STAGES)
    raise UserError(
        _("{text} is not a stage. Stages: {stages}.").format(text=repr(text.strip()), stages=shown)
    )
