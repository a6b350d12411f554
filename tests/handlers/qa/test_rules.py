"""Q&A rules without chat: working hours, parsing, expertise, similarity."""

import math
from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.contract.errors import UserError
from handlers.qa import parsing
from handlers.qa.expertise import Answered, Ranker, Reply, Signal, Workload, decay, rerank
from handlers.qa.similarity import Profiles, index, similar, tokens
from handlers.qa.workhours import WorkingTime, add_working_hours

MONDAY = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
FRIDAY_3PM = datetime(2027, 1, 8, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "hours", "when", "due"),
    [
        # Inside one working day.
        (MONDAY, 4, WorkingTime("Europe/London"), datetime(2027, 1, 4, 13, 0, tzinfo=UTC)),
        # Friday afternoon in London: 2 hours on Friday, 2 on Monday morning.
        (FRIDAY_3PM, 4, WorkingTime("Europe/London"), datetime(2027, 1, 11, 11, 0, tzinfo=UTC)),
        # The same moment is 10:00 in New York: done on Friday.
        (FRIDAY_3PM, 4, WorkingTime("America/New_York"), datetime(2027, 1, 8, 19, 0, tzinfo=UTC)),
        # Saturday 03:00 in Singapore: nothing until Monday 09:00 there (01:00 UTC).
        (
            datetime(2027, 1, 8, 19, 0, tzinfo=UTC),
            4,
            WorkingTime("Asia/Singapore"),
            datetime(2027, 1, 11, 5, 0, tzinfo=UTC),
        ),
        # Before the day starts: the clock starts at opening time.
        (
            datetime(2027, 1, 4, 6, 0, tzinfo=UTC),
            1,
            WorkingTime("UTC"),
            datetime(2027, 1, 4, 10, 0, tzinfo=UTC),
        ),
        # Their own hours and days: 10-14 Tuesday and Thursday.
        (
            MONDAY,
            6,
            WorkingTime("UTC", time(10), time(14), (1, 3)),
            datetime(2027, 1, 7, 12, 0, tzinfo=UTC),
        ),
        # Half hours count: 08:30-12:30 gives 4 hours on Monday morning.
        (
            datetime(2027, 1, 4, 8, 0, tzinfo=UTC),
            4,
            WorkingTime("UTC", time(8, 30), time(12, 30)),
            datetime(2027, 1, 4, 12, 30, tzinfo=UTC),
        ),
        # Two working days from Friday 15:00 in London end on Tuesday 15:00.
        (FRIDAY_3PM, 16, WorkingTime("Europe/London"), datetime(2027, 1, 12, 15, 0, tzinfo=UTC)),
    ],
)
def test_working_hours_skip_nights_weekends_and_follow_time_zones(
    start: datetime, hours: float, when: WorkingTime, due: datetime
) -> None:
    assert add_working_hours(start, hours, when) == due


def test_working_hours_across_a_dst_change() -> None:
    # London moves to BST on Sunday 2027-03-28: 16:00 local on Monday is 15:00 UTC.
    friday = datetime(2027, 3, 26, 16, 0, tzinfo=UTC)
    assert add_working_hours(friday, 8, WorkingTime("Europe/London")) == datetime(
        2027, 3, 29, 15, 0, tzinfo=UTC
    )


def test_a_calendar_without_working_time_is_refused() -> None:
    with pytest.raises(ValueError, match="no working time"):
        add_working_hours(MONDAY, 1, WorkingTime("UTC", days=()))


def test_topics_from_hashtags_and_known_words() -> None:
    known = {"payroll", "parental-leave", "travel"}
    found = parsing.find_topics("Does #Overtime count for parental leave payrolls?", known)
    assert found == ["overtime", "parental-leave", "payroll"]
    assert parsing.find_topics("how do I travel light", {"leave"}) == []
    assert parsing.parse_topics("Payroll, parental leave, #benefits") == [
        "payroll",
        "parental-leave",
        "benefits",
    ]
    assert parsing.parse_topics("payroll benefits payroll") == ["payroll", "benefits"]


def test_topics_in_any_script_and_with_their_language_s_commas() -> None:
    assert parsing.parse_topics("育児休暇、経費精算") == ["育児休暇", "経費精算"]
    assert parsing.parse_topics("Взаимопомощь, C++") == ["взаимопомощь", "c++"]
    assert parsing.normalise_topic("＃ＰａｙＲｏｌｌ") == "payroll"
    with pytest.raises(UserError, match="is not a topic I can use"):
        parsing.normalise_topic("育児休暇!")
    known = {"育児休暇", "vélo", "gehalt"}
    assert parsing.find_topics("育児休暇の申請はいつまでですか?", known) == ["育児休暇"]
    assert parsing.find_topics("Où garer les vélos ?", known) == ["vélo"]
    assert parsing.find_topics("Wann kommen die Gehälter?", known) == ["gehalt"]
    assert parsing.find_topics("＃育児休暇 について", set()) == ["育児休暇"]


def test_question_references_and_hours() -> None:
    assert parsing.question_ref("#12") == 12 and parsing.parse_answer("3 yes") == (3, "yes")
    with pytest.raises(UserError, match="not a question number"):
        parsing.question_ref("twelve")
    assert parsing.parse_hours("8-16") == (time(8), time(16), (0, 1, 2, 3, 4))
    assert parsing.parse_hours("10:00-18:00 sat-mon") == (time(10), time(18), (0, 5, 6))
    assert parsing.parse_hours("9-17 mon,wed,fri") == (time(9), time(17), (0, 2, 4))
    assert parsing.parse_hours("0-24") == (time(0), time(23, 59), (0, 1, 2, 3, 4))
    with pytest.raises(UserError):
        parsing.parse_hours("9-25")


def test_out_of_office_dates_are_local_midnights() -> None:
    back = parsing.parse_until("until 2027-01-11", "Asia/Singapore", MONDAY)
    assert back == datetime(2027, 1, 10, 16, 0, tzinfo=UTC)
    with pytest.raises(UserError, match="already begun"):
        parsing.parse_until("2027-01-04", "UTC", MONDAY)


def test_evidence_decays_by_half_life_and_declared_topics_do_not() -> None:
    assert decay(None, MONDAY, 30) == 1.0
    assert decay(MONDAY - timedelta(days=30), MONDAY, 30) == pytest.approx(0.5)
    assert decay(MONDAY - timedelta(days=90), MONDAY, 30) == pytest.approx(0.125)


def test_ranking_combines_topics_text_declines_and_recency() -> None:
    old = MONDAY - timedelta(days=360)
    signals = [
        Signal("ann", "payroll", 1.0, old),  # a year ago: a quarter at a 180-day half-life
        Signal("bob", "payroll", 1.0, MONDAY - timedelta(days=1)),
        Signal("cara", "payroll", 1.0),  # declared
        Signal("cara", "payroll", -0.5, MONDAY),  # and declined one
        Signal("dan", "travel", 1.0),
    ]
    answered = [Answered("eve", "how are payslips for contractors issued", MONDAY)]
    ranker = Ranker(signals, answered, MONDAY, 180, weights={"topics": 1.0, "text": 1.0})
    ranked = ranker.rank(["payroll"], "")
    # eve answered something else lately: a candidate, below any evidence on the topic.
    assert [person for person, _ in ranked] == ["bob", "cara", "ann", "eve"]
    assert ranked[1][1] == pytest.approx(math.log(1.5))
    assert ranked[2][1] == pytest.approx(math.log(1.25))
    by_text = ranker.rank([], "when are contractor payslips issued?")
    assert by_text[0][0] == "eve"
    assert ranker.topic_scores_of("cara", exclude=set()) == [("payroll", 0.5)]
    assert [p for p, _ in ranker.topic_ranking("payroll")] == ["bob", "cara", "ann"]
    assert ranker.rank(["gardening"], "") == [("eve", 0.0)]
    assert Ranker(signals, [], MONDAY, 180).rank(["gardening"], "") == []
    assert ranker.rank(["payroll"], "", asker="bob")[0][0] == "cara"


def test_with_the_chat_weights_a_declared_topic_beats_being_busy_elsewhere() -> None:
    signals = [Signal("cara", "payroll", 1.0)]
    answered = [Answered("eve", f"where is meeting room {n}", MONDAY) for n in range(3)]
    ranked = Ranker(signals, answered, MONDAY, 180).rank(["payroll"], "when is payroll?")
    assert [p for p, _ in ranked] == ["cara", "eve"]


def test_features_count_the_asker_replies_idleness_and_specialisation() -> None:
    week_ago = MONDAY - timedelta(days=7)
    answered = [
        Answered("bob", "visa letter", week_ago, ("visa",), "ann"),
        Answered("bob", "payroll date", week_ago, ("payroll",), "dan"),
        Answered("cara", "visa fees", MONDAY, ("visa",), "dan"),
        Answered("dan", "payroll run", MONDAY, ("payroll",), "bob"),
    ]
    replies = [Reply("eve", "ann", week_ago), Reply("eve", "eve", MONDAY)]
    rows = Ranker([], answered, MONDAY, 180, replies).features(["visa"], "", asker="ann")
    assert set(rows) == {"bob", "cara", "dan", "eve"}
    bob, cara, eve = rows["bob"], rows["cara"], rows["eve"]
    assert bob["asker"] == pytest.approx(math.log(2)) and cara["asker"] == 0.0
    assert eve["asker"] == pytest.approx(math.log(2))  # a reply in ann's thread
    assert bob["idle"] == pytest.approx(math.log(8)) and cara["idle"] == 0.0
    assert eve["idle"] == 0.0 and eve["replies"] > 0 and eve["activity"] == 0.0
    # Half of bob's answers were on visa, all of cara's.
    assert cara["topic_share"] > bob["topic_share"] > eve["topic_share"] > 0
    assert cara["rare_topics"] > 0 and eve["rare_topics"] == 0.0 == rows["dan"]["rare_topics"]
    # Two answers a week (the half-life of `lately`) ago count as one today.
    assert bob["lately"] == pytest.approx(cara["lately"]) == pytest.approx(math.log(2))
    assert "ann" not in Ranker([], answered, MONDAY, 180, replies).features([], "", asker="ann")


def test_activity_counts_and_a_text_profile_beats_volume() -> None:
    """Two answers about the office make bob the more active; one about payroll makes ann
    the better match for a payroll question, by BM25 over their profiles."""
    answered = [
        Answered("bob", f"where is meeting room {n} in the office", MONDAY) for n in range(2)
    ]
    answered.append(Answered("ann", "when does the payroll run for contractors", MONDAY))
    weights = {"activity": 1.0, "text": 0.3}
    ranker = Ranker([], answered, MONDAY, half_life_days=180, weights=weights)
    assert [p for p, _ in ranker.rank([], "is payroll late for contractors this month?")] == [
        "ann",
        "bob",
    ]
    assert ranker.rank([], "anything at all")[0][0] == "bob"
    profiles = Profiles.of([("ann", "payroll payroll", 1.0), ("bob", "office", 1.0)])
    assert set(profiles.scores("payroll")) == {"ann"} and profiles.scores("garden") == {}


def test_workload_rule_moves_the_busy_and_keeps_the_over_asked_next_in_line() -> None:
    ranked = [("bob", 3.0), ("cara", 2.0), ("dan", 1.0)]
    assert [p for p, _ in rerank(ranked, Workload())] == ["bob", "cara", "dan"]
    # Answering one question halves bob's chance: log(2) off, still ahead of cara at 3 - 0.69.
    busy = Workload(open_claims=Counter({"bob": 1}))
    assert [p for p, _ in rerank(ranked, busy)] == ["bob", "cara", "dan"]
    busier = Workload(open_claims=Counter({"bob": 2}))
    assert [p for p, _ in rerank(ranked, busier)] == ["cara", "bob", "dan"]
    # bob was asked first for 3 of the last 8 questions: a fourth would pass a quarter. He
    # is not asked first, but still next.
    over = Workload(firsts=Counter({"bob": 3, "cara": 1}), questions=8)
    assert [p for p, _ in rerank(ranked, over)] == ["cara", "bob", "dan"]
    assert over.penalty("cara") == 0.0 and over.over_share("bob")
    # A stricter share holds cara back too; with everyone held back, merit decides.
    strict = Workload(firsts=Counter({"bob": 3, "cara": 1}), questions=8, max_share=0.2)
    assert [p for p, _ in rerank(ranked, strict)] == ["dan", "bob", "cara"]
    everyone = Workload(firsts=Counter({"bob": 1}), questions=1)
    assert [p for p, _ in rerank(ranked, everyone)] == ["bob", "cara", "dan"]


def test_similarity_is_local_and_deterministic() -> None:
    assert tokens("Meetings and the meeting") == ["meet", "meet"]
    texts = ["when is payroll run?", "where is the bike shed?", "how do I book leave"]
    assert similar("what day does payroll run?", texts, 0.3, 3) == [0]
    assert similar("parking", texts, 0.3, 3) == []
    scores = index(texts).scores("payroll")
    assert scores[0] > 0 and scores[1] == 0.0
    assert index(texts).scores("the and of") == [0.0, 0.0, 0.0]
