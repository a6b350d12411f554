"""Feature handlers: each feature is a package (or module) exporting its `feature`
(bot/contract/feature.py). `features` lists them for the wiring; `build_router` gathers their
routes; `COMMAND_GROUPS` names their command-line groups.

Importing this package imports no feature: `rapport --help` lists the features' groups from
`COMMAND_GROUPS` alone, and the wiring imports the features when a command needs them.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.contract.feature import Feature
    from bot.contract.router import Router

# Each feature's `rapport <name> …` group (its `Feature.commands`) and that group's help, in
# the order `rapport --help` lists them; tests/test_cli.py keeps them equal to the groups.
COMMAND_GROUPS = {
    "mentoring": "Mentoring profiles in bulk.",
    "pulse": "Pulse surveys.",
    "people": "The people directory: HR data.",
    "eval": "Measure decisions against real history.",
}


def features() -> tuple["Feature", ...]:
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


def build_router() -> "Router":
    from bot.contract.feature import router_of

    return router_of(features())
