"""Fairness of recognition: groups compared with their share of people, and kudos rings."""

from datetime import UTC, datetime, timedelta

from bot.kit.i18n import speaking
from bot.kit.tallies import NO_DEPARTMENT
from handlers.insights import Member, compute_fairness
from handlers.insights.graph import EdgeRow
from handlers.insights.render import group_name

START = datetime(2027, 1, 4, tzinfo=UTC)
END = START + timedelta(weeks=4)

PEOPLE = [
    Member(1, "ann", "Eng", ("admin",)),
    Member(2, "bob", "Eng", (), manager_id=1),
    Member(3, "cara", "Eng", (), manager_id=1),
    Member(4, "dan", "Sales"),
    Member(5, "eve", "Sales"),
    Member(6, "fay", "Sales"),
    Member(7, "gus", "Ops", ("community_manager",)),
]


def kudos(giver: int, receiver: int, times: int, day: int = 1) -> list[EdgeRow]:
    return [
        (giver, receiver, "kudos", 1.0, START + timedelta(days=day, minutes=i))
        for i in range(times)
    ]


def test_two_people_trading_kudos_are_flagged_with_the_counts() -> None:
    edges = kudos(4, 5, 4) + kudos(5, 4, 3) + kudos(4, 1, 1) + kudos(2, 3, 2) + kudos(3, 2, 1)
    report = compute_fairness(edges, PEOPLE, START, END)
    assert [(r.names, r.kudos_within, r.kudos_given) for r in report.rings] == [
        (("dan", "eve"), 7, 8)
    ]
    assert report.rings[0].pairs == ((4, 5, 4), (5, 4, 3))
    assert report.flagged


def test_a_ring_of_three_is_one_group() -> None:
    edges = kudos(1, 2, 3) + kudos(2, 3, 3) + kudos(3, 1, 3)
    (ring,) = compute_fairness(edges, PEOPLE, START, END).rings
    assert ring.members == (1, 2, 3) and ring.share_within == 1.0


def test_generous_people_who_also_give_widely_are_not_a_ring() -> None:
    spread = [e for r in (2, 3, 6, 7) for e in kudos(4, r, 2)] + kudos(5, 6, 4)
    edges = kudos(4, 5, 3) + kudos(5, 4, 3) + spread
    assert compute_fairness(edges, PEOPLE, START, END).rings == []
    # Below the threshold each way: nothing either.
    assert compute_fairness(kudos(4, 5, 3) + kudos(5, 4, 2), PEOPLE, START, END).rings == []


def test_kudos_outside_the_window_do_not_count() -> None:
    edges = kudos(4, 5, 3, day=-3) + kudos(5, 4, 3, day=40)
    report = compute_fairness(edges, PEOPLE, START, END)
    assert report.kudos == 0 and report.rings == []


def test_recognition_by_department_and_role_against_headcount() -> None:
    # Eng (3 people) receives everything; Sales (3) nothing.
    edges = kudos(4, 1, 2) + kudos(5, 2, 2) + kudos(6, 3, 2)
    report = compute_fairness(edges, PEOPLE, START, END)
    by_department = {g.group: g for g in report.by_department}
    assert (by_department["Eng"].received, by_department["Eng"].given) == (6, 0)
    assert by_department["Eng"].index == 7 / 3
    assert by_department["Sales"].under_recognised
    assert not by_department["Ops"].under_recognised  # one person is not a pattern
    assert report.flows == {("Sales", "Eng"): 6}
    by_role = {g.group: g for g in report.by_role}
    assert set(by_role) == {"admin", "community_manager", "manager", "member"}
    assert (by_role["manager"].people, by_role["manager"].received) == (1, 2)
    assert (by_role["member"].people, by_role["member"].received) == (5, 4)


def test_people_without_a_department_are_one_group_named_in_the_reader_language() -> None:
    people = [*PEOPLE, Member(8, "hal", None), Member(9, "ida", "")]
    report = compute_fairness(kudos(8, 9, 1), people, START, END)
    assert NO_DEPARTMENT in {g.group for g in report.by_department}
    with speaking("fr"):
        assert group_name(NO_DEPARTMENT) == "(sans service)"
