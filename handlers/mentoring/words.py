"""The names people read for mentoring's roles and a match's states, in their language."""

from bot.kit.i18n import Deferred, named
from handlers.mentoring.i18n import N_

ROLES: dict[str, Deferred] = {
    "mentor": N_("Mentor"),
    "mentee": N_("Mentee"),
    "both": N_("Both"),
}
# Translators: a mentoring role inside a sentence, as in "Your mentoring profile: mentor".
ROLE_WORDS: dict[str, Deferred] = {
    "mentor": N_("mentor"),
    "mentee": N_("mentee"),
    "both": N_("mentor and mentee"),
}
STATUSES: dict[str, Deferred] = {
    # Translators: the state of a mentoring match, as in "your mentor Ann (proposed)".
    "proposed": N_("proposed"),
    "active": N_("active"),
    "declined": N_("declined"),
    "paused": N_("paused"),
    "ended": N_("ended"),
}


def role_name(role: str) -> str:
    """As a choice on its own: "Mentor"."""
    return named(ROLES, role)


def role_word(role: str) -> str:
    """Inside a sentence: "Your mentoring profile: mentor"."""
    return named(ROLE_WORDS, role)


def status_name(status: str) -> str:
    return named(STATUSES, status)
