"""Times kept to the day: for rows that must not date what a person did, e.g. an answer."""

from datetime import datetime


def day_start(moment: datetime) -> datetime:
    """Midnight (in the moment's own zone, UTC for stored times) of the moment's day."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)
