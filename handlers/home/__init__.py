"""A person's home page (Slack's App Home tab): their kudos, questions, surveys and ideas."""

from bot.contract.feature import Feature
from handlers.home.page import router

feature = Feature("home", router)

__all__ = ["feature", "router"]
