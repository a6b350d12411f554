"""Every table: the core's, each feature's and each adapter's. Importing a table module
registers its tables with SQLModel.metadata; Alembic (migrations/env.py), the tests and
anything else that needs the whole schema get it from here."""

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from bot.models import import_all
from bot.wiring.features import every_feature


def metadata() -> MetaData:
    """SQLModel.metadata, every feature's and adapter's tables registered on it."""
    import_all()
    every_feature()  # importing a feature imports its tables
    return SQLModel.metadata
