"""Network insights: metrics over the interaction graph (mavens, connectors, salespeople, the
isolated, community figures) and the fairness of recognition, for the digest and dashboard.

The names below load with the module that holds them, on first use: the metrics bring numpy,
scipy and networkx, which a bot that has not yet asked for a figure need not pay for.
"""

import importlib
from typing import TYPE_CHECKING

from bot.contract.feature import Feature
from handlers.insights import dashboard, digest

if TYPE_CHECKING:
    from handlers.insights.backfill import rebuild_interactions
    from handlers.insights.fairness import (
        FairnessReport,
        GroupRecognition,
        KudosRing,
        compute_fairness,
        fairness_report,
    )
    from handlers.insights.graph import EdgeRow, EdgeTable, Member, edge_table
    from handlers.insights.metrics import compute_insights
    from handlers.insights.report import (
        CommunityMetrics,
        DepartmentMetrics,
        Insights,
        Isolated,
        PersonMetrics,
        Summary,
    )
    from handlers.insights.store import load_edges, load_members, weekly_insights

# Commands come through admin (`/rapport fairness`); the network's part of the weekly digest
# and its page on the dashboard come through this.
feature = Feature("insights", digest=digest.part, dashboard=dashboard.PARTS)

_HOMES = {
    "rebuild_interactions": "backfill",
    "FairnessReport": "fairness",
    "GroupRecognition": "fairness",
    "KudosRing": "fairness",
    "compute_fairness": "fairness",
    "fairness_report": "fairness",
    "EdgeRow": "graph",
    "EdgeTable": "graph",
    "Member": "graph",
    "edge_table": "graph",
    "compute_insights": "metrics",
    "CommunityMetrics": "report",
    "DepartmentMetrics": "report",
    "Insights": "report",
    "Isolated": "report",
    "PersonMetrics": "report",
    "Summary": "report",
    "load_edges": "store",
    "load_members": "store",
    "weekly_insights": "store",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        missing = f"module {__name__!r} has no attribute {name!r}"  # not translated: code
        raise AttributeError(missing)
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "CommunityMetrics",
    "DepartmentMetrics",
    "EdgeRow",
    "EdgeTable",
    "FairnessReport",
    "GroupRecognition",
    "Insights",
    "Isolated",
    "KudosRing",
    "Member",
    "PersonMetrics",
    "Summary",
    "compute_fairness",
    "compute_insights",
    "edge_table",
    "fairness_report",
    "feature",
    "load_edges",
    "load_members",
    "rebuild_interactions",
    "weekly_insights",
]
