"""Metrics on small hand-built graphs whose answers are known."""

from datetime import UTC, datetime, timedelta

import networkx as nx
import numpy as np
import pytest

from handlers.insights import Member, compute_insights, edge_table
from handlers.insights.betweenness import adjacency, betweenness
from handlers.insights.graph import EdgeRow

START = datetime(2027, 1, 4, tzinfo=UTC)
END = START + timedelta(weeks=1)


def at(days: float) -> datetime:
    return START + timedelta(days=days)


# Two departments joined through one bridge, bob (Eng) - cara (Sales); ops has an unseen dan
# and an eve who only talks inside Ops.
PEOPLE = [
    Member(1, "ann", "Eng"),
    Member(2, "bob", "Eng"),
    Member(3, "cara", "Sales"),
    Member(4, "dan", "Ops"),
    Member(5, "eve", "Sales"),
    Member(6, "fay", "Eng"),
    Member(7, "gus", "Ops"),
    Member(8, "hal", "Ops"),
]
EDGES: list[EdgeRow] = [
    (1, 2, "kudos", 1.0, at(0.1)),
    (2, 1, "kudos", 1.0, at(0.2)),
    (6, 2, "kudos", 1.0, at(0.3)),
    (2, 3, "answer", 1.0, at(1)),
    (2, 5, "answer", 1.0, at(1.5)),
    (2, 5, "answer", 1.0, at(2)),
    (3, 5, "coffee", 1.0, at(2)),
    (1, 3, "vote", 1.0, at(3)),
    (6, 3, "vote", 1.0, at(3)),
    (5, 3, "vote", 1.0, at(3)),
    (6, 3, "idea_comment", 1.0, at(3.5)),
    (7, 8, "kudos", 1.0, at(4)),
    # the week before: one interaction, for growth
    (1, 6, "kudos", 1.0, at(-2)),
]


def test_counts_per_person() -> None:
    insights = compute_insights(EDGES, PEOPLE, START, END)
    bob = insights.person(2)
    assert bob is not None
    assert (bob.kudos_given, bob.kudos_received, bob.answers_given, bob.people_helped) == (
        1,
        2,
        3,
        2,
    )
    assert (bob.activity, bob.ties, bob.cross_department_ties) == (6, 4, 2)


def test_mavens_connectors_and_salespeople() -> None:
    insights = compute_insights(EDGES, PEOPLE, START, END)
    assert [p.name for p in insights.mavens()] == ["bob"]
    # bob and cara carry every path between Eng and Sales, and as many; cara has three
    # people outside Sales (bob, and the voters ann and fay), bob two.
    assert [p.name for p in insights.connectors(top=2)] == ["cara", "bob"]
    # cara's idea got votes from ann and fay (Eng), and a comment from fay; eve is in her
    # own department.
    assert [(p.name, p.idea_reach) for p in insights.salespeople()] == [("cara", 2)]


def test_isolated_people_and_why() -> None:
    insights = compute_insights(EDGES, PEOPLE, START, END)
    assert [(i.name, i.reason) for i in insights.isolated] == [
        ("dan", "no_interactions"),
        ("gus", "own_team_only"),
        ("hal", "own_team_only"),
    ]
    ops = next(d for d in insights.departments if d.name == "Ops")
    assert (ops.people, ops.active_people, ops.isolated) == (3, 2, 3)


def test_community_figures() -> None:
    community = compute_insights(EDGES, PEOPLE, START, END).community
    assert community.interactions == 12
    assert community.ties == 8  # 1-2 2-6 2-3 2-5 3-5 1-3 3-6 7-8
    assert community.cross_department_ties == 4  # 2-3 2-5 1-3 3-6
    # Eng 3, Sales 2, Ops 3: 3*2 + 3*3 + 2*3 = 21 possible cross-department pairs.
    assert community.cross_department_density == pytest.approx(4 / 21)
    # one-way relations: 1>2 2>1 6>2 2>3 2>5 1>3 6>3 (a vote and a comment) 5>3 7>8; only
    # 1<>2 is returned.
    assert community.reciprocity == pytest.approx(2 / 9)
    assert community.previous_interactions == 1
    assert community.interactions_growth == pytest.approx(11.0)
    assert community.active_people_growth == pytest.approx((7 - 2) / 2)
    assert community.department_ties == {("Eng", "Sales"): 4}
    assert community.by_kind == {
        "kudos": 4,
        "answer": 3,
        "coffee": 1,
        "vote": 3,
        "idea_comment": 1,
    }


def test_an_empty_window_is_all_zeros_not_an_error() -> None:
    insights = compute_insights([], PEOPLE, START, END)
    assert insights.community.interactions == 0
    assert insights.community.interactions_growth is None
    assert insights.connectors() == [] and insights.mavens() == []
    assert len(insights.isolated) == len(PEOPLE)


def test_edges_of_strangers_and_bots_are_ignored() -> None:
    insights = compute_insights([(1, 99, "kudos", 1.0, at(1))], PEOPLE, START, END)
    assert insights.community.interactions == 0


@pytest.mark.parametrize(
    "graph",
    [
        nx.karate_club_graph(),
        nx.barbell_graph(6, 3),
        nx.disjoint_union(nx.path_graph(5), nx.star_graph(4)),
        nx.connected_watts_strogatz_graph(200, 6, 0.1, seed=3),
    ],
)
def test_betweenness_is_exact_with_every_source(graph: nx.Graph) -> None:
    pairs = np.array(list(graph.edges()), dtype=np.int64)
    ours = betweenness(adjacency(graph.number_of_nodes(), pairs[:, 0], pairs[:, 1]))
    exact = nx.betweenness_centrality(graph)
    assert np.allclose(ours, [exact[i] for i in range(graph.number_of_nodes())])


def test_sampled_betweenness_finds_the_same_bridges() -> None:
    graph = nx.barabasi_albert_graph(500, 2, seed=1)
    pairs = np.array(list(graph.edges()), dtype=np.int64)
    ours = betweenness(adjacency(500, pairs[:, 0], pairs[:, 1]), samples=100, seed=1)
    exact = nx.betweenness_centrality(graph)
    top = set(sorted(exact, key=exact.__getitem__)[-10:])
    assert len(top & set(np.argsort(ours)[-10:].tolist())) >= 8


def test_edge_table_keeps_unknown_kinds() -> None:
    table = edge_table([(1, 2, "poke", 1.0, at(1))])
    assert table.kinds[table.kind[0]] == "poke"


def test_any_person_ids_work_even_negative_ones() -> None:
    people = [Member(-1, "community", "Ops"), Member(10**6, "ann", "Eng")]
    insights = compute_insights([(-1, 10**6, "reply", 1.0, at(1))], people, START, END)
    assert insights.community.cross_department_ties == 1
