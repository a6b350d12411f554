"""Which replica this process is, and its connection to the database."""

import secrets
import socket

from bot.store.db import Database, make_engine
from bot.wiring.config import Settings


def replica_name(settings: Settings) -> str:
    return settings.replica_id or f"{socket.gethostname()}-{secrets.token_hex(3)}"


def open_database(settings: Settings, replica: str) -> Database:
    return Database(
        make_engine(
            settings.database_url,
            settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            application_name=f"rapport {replica}",
        )
    )
