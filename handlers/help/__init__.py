"""Help for the bot as a whole, and the answer to any command it does not know."""

from handlers.help.overview import advertised, feature, overview, overview_text, router

__all__ = ["advertised", "feature", "overview", "overview_text", "router"]
