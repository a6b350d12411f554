"""Answer tickets of strict surveys: answer once, with no record of who answered.

Each invitation carries a fresh ticket in its buttons: a random nonce signed with the run's
key (HMAC), so that nobody can make up more. Answering spends the ticket for that question:
only a digest of (run, ticket, question) is stored, in `pulse_ticket`, which has no person
column. The bot keeps no list of who got which ticket, and the invitation's outbox row is
deleted once sent, so the digests say how many answered, never who.
"""

import hashlib
import hmac
import re
import secrets

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.store.db_upsert import insert_ignore
from bot.store.secrets_at_rest import Sealer
from handlers.pulse.tables import PulseRun, PulseTicket

NONCE_HEX = 16
MAC_HEX = 16
TICKET = re.compile(f"[0-9a-f]{{{NONCE_HEX + MAC_HEX}}}")
# The digest spent by a ticket's first answer to any question: it counts the respondent once.
FIRST = "first"


def new_key(seal: Sealer) -> str:
    return seal.seal(secrets.token_hex(32))


def issue(seal: Sealer, run: PulseRun) -> str:
    nonce = secrets.token_hex(NONCE_HEX // 2)
    return nonce + _mac(seal, run, nonce)


def valid(seal: Sealer, run: PulseRun, ticket: str) -> bool:
    nonce, mac = ticket[:NONCE_HEX], ticket[NONCE_HEX:]
    if run.ticket_key is None or not TICKET.fullmatch(ticket):
        return False
    return hmac.compare_digest(mac, _mac(seal, run, nonce))


async def spend(session: AsyncSession, run: PulseRun, ticket: str, question: int | str) -> bool:
    """Spend the ticket on `question`; False if it was spent on it before."""
    row = {"digest": _digest(run, ticket, question), "run_id": run.id}
    return await insert_ignore(session, PulseTicket, [row]) == 1


async def spent(session: AsyncSession, run: PulseRun, ticket: str, question: int) -> bool:
    return await session.get(PulseTicket, _digest(run, ticket, question)) is not None


def _digest(run: PulseRun, ticket: str, question: int | str) -> str:
    return hashlib.sha256(f"{run.id}:{ticket}:{question}".encode()).hexdigest()


def _mac(seal: Sealer, run: PulseRun, nonce: str) -> str:
    assert run.ticket_key is not None
    key = seal.open(run.ticket_key).encode()
    return hmac.new(key, f"{run.id}:{nonce}".encode(), hashlib.sha256).hexdigest()[:MAC_HEX]
