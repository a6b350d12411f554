"""Cross-team coffee pairing: people opt in (or a channel's members are pooled) and are paired
every round with someone they have not met."""

from bot.contract.feature import Feature
from bot.contract.router import Router
from handlers.coffee import commands, dashboard, digest, history
from handlers.coffee.personal_data import PERSONAL_DATA
from handlers.coffee.tables import CoffeeGroup, CoffeeMember

router = Router()
router.include(commands.router)
feature = Feature(
    "coffee",
    router,
    tables=(CoffeeMember, CoffeeGroup),
    personal_data=PERSONAL_DATA,
    history=history.edges,
    dashboard=dashboard.PARTS,
    digest=digest.part,
)

__all__ = ["feature", "router"]
