"""The weekly digest: community channels get the week's highlights, community managers the
private part by DM."""

from handlers.digest.commands import digest_command, router

__all__ = ["digest_command", "router"]
