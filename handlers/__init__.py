"""Feature handlers. `build_router` gathers every feature's routes for the entry points."""

from bot.contract.router import Router


def build_router() -> Router:
    from handlers import (
        admin,
        coffee,
        digest,
        help,
        home,
        ideas,
        kudos,
        mentoring,
        privacy,
        profile,
        pulse,
        qa,
    )

    router = Router()
    for feature in (
        help.router,
        home.router,
        admin.router,
        digest.router,
        kudos.router,
        ideas.router,
        mentoring.router,
        coffee.router,
        profile.router,
        pulse.router,
        privacy.router,
        qa.router,
    ):
        router.include(feature)
    return router
