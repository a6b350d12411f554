"""The dashboard's session cookie: who signed in and until when, signed with HMAC-SHA256.

Nothing secret is in it; the signature only stops anyone from making one up or stretching
its expiry. The key is DASHBOARD_SECRET, or a random key per process when that is empty
(then each replica has its own, and a restart signs everyone out).
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

NAME = "rapport_dashboard"


@dataclass(frozen=True)
class Session:
    workspace_id: int
    person_id: int
    expires_at: datetime


def _signature(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def sign(key: bytes, session: Session) -> str:
    body = f"{session.workspace_id}.{session.person_id}.{int(session.expires_at.timestamp())}"
    return f"{body}.{_signature(key, body)}"


def verify(key: bytes, value: str, now: datetime) -> Session | None:
    """The session in a cookie value, or None if it is forged, mangled or expired."""
    body, _, signature = value.rpartition(".")
    if not hmac.compare_digest(signature, _signature(key, body)):
        return None
    parts = body.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    expires = datetime.fromtimestamp(int(parts[2]), UTC)
    if expires <= now:
        return None
    return Session(int(parts[0]), int(parts[1]), expires)
