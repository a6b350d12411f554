"""Pooled PostgreSQL connections the server closed are replaced at checkout, at no round trip.

SQLAlchemy's `pool_pre_ping` asks the server on every checkout; over asyncpg that is BEGIN, an
empty statement and ROLLBACK, three round trips and their protocol work in the event loop, for
each of the several transactions an event handled takes. asyncpg learns that the server closed
a connection once the event loop reads the end of its socket, which it watches for a pooled
connection too: a restart, a failover and `pg_terminate_backend` all end it that way. A
connection found closed is refused at checkout, and the pool opens a new one in its place
(SQLAlchemy's pessimistic disconnect handling, with a check of our own).

What this does not see, the ping did not save either: a connection dropped without its end
reaching this host (a network partition) waits for the server's answer to a ping as to any
statement. And one closed a moment before its checkout, its end not yet read, fails its first
statement: the pool replaces it, and the pass or event is retried as after any failure.
"""

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError


def replace_closed(engine: Engine) -> None:
    event.listen(engine, "checkout", _refuse_closed)


def _refuse_closed(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    driver = record.driver_connection
    if driver is None or driver.is_closed():
        raise DisconnectionError("the server closed this connection")
