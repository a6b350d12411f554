"""`rapport backup FILE`: a consistent copy of a SQLite database taken while it is in use.

SQLite's online backup API copies the file page by page inside one read transaction: in WAL
mode writers go on meanwhile, and the copy is the database as of one commit, never a torn
mixture of two. The inbound events waiting beside it (bot/store/intake_store.py) are copied to
the same name with `.intake` before the suffix, the name a restored database looks for them
under. Each copy is written beside its target and renamed into place only when complete.

PostgreSQL has pg_dump for this (docs/operations/backups.md).
"""

import sqlite3
from pathlib import Path

from sqlalchemy import make_url

from bot.store.intake_store import intake_url


class CannotBackUp(Exception):
    """The database is not a SQLite file, or the target is taken."""


def sqlite_path(url: str) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise CannotBackUp("rapport backup copies a SQLite file")
    return Path(parsed.database)


def backup(url: str, target: Path) -> list[Path]:
    """Copy the database at `url`, and its intake file if it has one, to `target` (and its
    intake name); the files written."""
    pairs = [(sqlite_path(url), target)]
    intake = sqlite_path(intake_url(url))
    if intake.exists():
        pairs.append((intake, sqlite_path(intake_url(f"sqlite:///{target}"))))
    if not pairs[0][0].exists():
        raise CannotBackUp(f"there is no database at {pairs[0][0]}")
    for _, copy in pairs:
        if copy.exists():
            raise CannotBackUp(f"{copy} exists already: name a new file")
    for source, copy in pairs:
        _copy(source, copy)
    return [copy for _, copy in pairs]


def _copy(source: Path, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Read-only: a backup never creates the database it was pointed at.
    reading = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    written = sqlite3.connect(partial)
    try:
        # pages=-1 (the default): every page in one step, in one read transaction.
        reading.backup(written)
    finally:
        written.close()
        reading.close()
    partial.rename(target)
