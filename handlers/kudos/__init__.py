"""Kudos: peer recognition by command or reaction, with values, allowances and leaderboards."""

from handlers.kudos.commands import router

__all__ = ["router"]
