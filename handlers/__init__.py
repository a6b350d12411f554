"""Feature handlers: each feature is a package (or module) exporting its `feature`
(bot/contract/feature.py). `features` lists them for the wiring; `build_router` gathers their
routes."""

from bot.contract.feature import Feature, router_of
from bot.contract.router import Router


def features() -> tuple[Feature, ...]:
    """Every feature, in the order their routes are gathered."""
    from handlers import (
        admin,
        coffee,
        dashboard,
        digest,
        evaluation,
        help,
        home,
        ideas,
        insights,
        kudos,
        mentoring,
        people,
        privacy,
        profile,
        pulse,
        qa,
    )

    return (
        help.feature,
        home.feature,
        admin.feature,
        digest.feature,
        kudos.feature,
        ideas.feature,
        mentoring.feature,
        coffee.feature,
        profile.feature,
        pulse.feature,
        privacy.feature,
        qa.feature,
        insights.feature,
        dashboard.feature,
        people.feature,
        evaluation.feature,
    )


def build_router() -> Router:
    return router_of(features())
