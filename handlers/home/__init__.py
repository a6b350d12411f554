"""A person's home page (Slack's App Home tab): their kudos, questions, surveys and ideas."""

from handlers.home.page import router

__all__ = ["router"]
