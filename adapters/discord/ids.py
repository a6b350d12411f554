"""Custom ids that survive a restart: every button, select and modal carries its own routing.

Discord gives a custom id at most 100 characters. Buttons and selects are matched by
discord.ui.DynamicItem templates (so no view needs to be registered per message); modal
submits are matched by prefix in the client's interaction listener.
"""

import hashlib
import re

from adapters.discord.limits import CUSTOM_ID as CUSTOM_ID_LIMIT
from adapters.discord.limits import NONCE as NONCE_LIMIT

BUTTON_TEMPLATE = r"rp:(?P<action>[^:]+):(?P<value>.*)"
SELECT_TEMPLATE = r"rps:(?P<action>[^:]+)"
FORM_PREFIX = "rpf:"
# A modal's text inputs are `name:kind`; the box holding a form's folded inputs (those past
# Discord's five) is `name,name,...:folded`.
FOLDED = "folded"

_OURS = (re.compile(BUTTON_TEMPLATE), re.compile(SELECT_TEMPLATE))


def button_id(action_id: str, value: str) -> str | None:
    """The custom id of a button, or None when it would not fit (or could not be parsed back)."""
    if ":" in action_id:
        return None
    custom_id = f"rp:{action_id}:{value}"
    return custom_id if len(custom_id) <= CUSTOM_ID_LIMIT else None


def select_id(action_id: str) -> str | None:
    if ":" in action_id:
        return None
    custom_id = f"rps:{action_id}"
    return custom_id if len(custom_id) <= CUSTOM_ID_LIMIT else None


def form_id(form: str, metadata: str) -> str | None:
    custom_id = f"{FORM_PREFIX}{form}:{metadata}"
    return custom_id if ":" not in form and len(custom_id) <= CUSTOM_ID_LIMIT else None


def parse_form_id(custom_id: str) -> tuple[str, str] | None:
    if not custom_id.startswith(FORM_PREFIX):
        return None
    form, _, metadata = custom_id.removeprefix(FORM_PREFIX).partition(":")
    return form, metadata


def is_component_of_ours(custom_id: str) -> bool:
    """Whether a DynamicItem will pick this click up; anything else gets a friendly reply."""
    return any(pattern.fullmatch(custom_id) for pattern in _OURS)


def nonce(outbox_key: str) -> str:
    """A message nonce stable across re-sends of one outbox row: with enforce_nonce, Discord
    returns the message it already created for this nonce instead of posting it twice."""
    return hashlib.sha256(outbox_key.encode()).hexdigest()[:NONCE_LIMIT]
