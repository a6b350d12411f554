"""Network insights: metrics over the interaction graph (mavens, connectors, salespeople, the
isolated, community figures) and the fairness of recognition, for the digest and dashboard."""

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
    "load_edges",
    "load_members",
    "rebuild_interactions",
    "weekly_insights",
]
