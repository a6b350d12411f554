"""The people directory: HR files, SCIM provisioning, and who is who for admins.

Its table registers with the store's metadata when the package loads.
"""

from handlers.people import tables
from handlers.people.commands import people_command

__all__ = ["people_command", "tables"]
