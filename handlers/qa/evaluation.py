"""Replaying a StackExchange dump through the Q&A expert ranking: routing quality, measured.

Protocol (the dump's README): questions sorted by CreationDate; the first 70% of questions and
every answer posted before the cut are history; each later question with an accepted answer is
a test case whose target is the accepted answerer. History answers count as accepted answers
and tags as topics: each becomes a topic signal for its answerer on its question's tags, and
its question's text becomes text evidence, exactly as accepted answers do in chat. The ranking
is handlers.qa.expertise.Ranker, the code the bot routes with.

Reported for the router and two baselines measured in the same run (most active answerer
first; tag overlap: answers on questions sharing a tag): Hit@1/3/5/10, MRR, and load spread
(the share of first routes that go to the single busiest expert).
"""

import html
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from handlers.qa.expertise import (
    ACCEPTED_ANSWER,
    RECENT_DAYS,
    Answered,
    Ranker,
    Signal,
    Workload,
    answered_text,
    rerank,
)

HISTORY_SHARE = 0.7
VALIDATION_SHARE = 0.55
HALF_LIVES = (7.0, 14.0, 30.0, 90.0, 180.0)
CUTOFFS = (1, 3, 5, 10)
_TAGS = re.compile(r"<([^<>]+)>")
_MARKUP = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Post:
    id: int
    kind: int
    parent: int | None
    accepted: int | None
    owner: int | None
    at: datetime
    text: str
    tags: tuple[str, ...]


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def load_posts(dump: Path) -> list[Post]:
    posts = []
    for _, row in ElementTree.iterparse(dump / "Posts.xml"):
        if row.tag != "row":
            continue
        a = row.attrib
        body = _MARKUP.sub(" ", html.unescape(a.get("Body", "")))
        posts.append(
            Post(
                id=int(a["Id"]),
                kind=int(a["PostTypeId"]),
                parent=_int(a.get("ParentId")),
                accepted=_int(a.get("AcceptedAnswerId")),
                owner=_int(a.get("OwnerUserId")),
                at=datetime.fromisoformat(a["CreationDate"]).replace(tzinfo=UTC),
                text=f"{html.unescape(a.get('Title', ''))} {body}",
                tags=tuple(_TAGS.findall(html.unescape(a.get("Tags", "")))),
            )
        )
        row.clear()
    return posts


def load_tags(dump: Path) -> set[str]:
    return {row.attrib["TagName"] for row in ElementTree.parse(dump / "Tags.xml").getroot()}


def known_topics(posts: list[Post], tags: set[str]) -> list[Post]:
    """Questions' topics are their tags that Tags.xml knows (as a workspace's known topics)."""
    return [Post(**{**p.__dict__, "tags": tuple(t for t in p.tags if t in tags)}) for p in posts]


@dataclass
class Split:
    history: list[tuple[Post, Post]]  # (answer, its question)
    tests: list[tuple[Post, int]]  # (question, accepted answerer), in time order
    later: list[Post]  # every question after the cut, in time order: what the bot routes
    answered_at: dict[int, datetime]  # later question -> when its accepted answer came
    cut: datetime


def split(posts: list[Post], share: float = HISTORY_SHARE, end: datetime | None = None) -> Split:
    """The protocol's split at `share` of the questions; `end` stops the test period early
    (a validation split inside the history ends where the real test period begins)."""
    questions = sorted((p for p in posts if p.kind == 1), key=lambda p: (p.at, p.id))
    by_id = {p.id: p for p in posts}
    cut = questions[int(len(questions) * share)].at
    history = [
        (p, by_id[p.parent])
        for p in sorted(posts, key=lambda p: (p.at, p.id))
        if p.kind == 2 and p.owner and p.at < cut and p.parent in by_id
    ]
    later = [q for q in questions if q.at >= cut and (end is None or q.at < end)]
    tests, answered_at = [], {}
    for question in later:
        answer = by_id.get(question.accepted or -1)
        if answer is not None and answer.owner:
            tests.append((question, answer.owner))
            answered_at[question.id] = answer.at
    return Split(history, tests, later, answered_at, cut)


Rank = Callable[[Post], list[int]]


def _ranker(data: Split, half_life_days: float) -> Ranker[int]:
    signals = [
        Signal(answer.owner or 0, tag, ACCEPTED_ANSWER, answer.at)
        for answer, question in data.history
        for tag in question.tags
    ]
    answered = [
        Answered(
            answer.owner or 0, answered_text(question.text, question.tags, answer.text), answer.at
        )
        for answer, question in data.history
    ]
    return Ranker(signals, answered, data.cut, half_life_days)


def router(data: Split, half_life_days: float) -> Rank:
    ranker = _ranker(data, half_life_days)
    return lambda q: [p for p, _ in ranker.rank(list(q.tags), q.text) if p != q.owner]


def router_with_workload(data: Split, half_life_days: float) -> Rank:
    """The router as the bot runs it. Every question after the cut is routed in time order
    through the workload rule (handlers.qa.expertise.rerank): whoever is asked first counts
    as first for it during RECENT_DAYS, and holds it until its accepted answer was posted.
    Only what happened before each question is used."""
    ranker = _ranker(data, half_life_days)
    held: list[tuple[int, datetime]] = []
    firsts: list[tuple[int, datetime]] = []
    ranked_at: dict[int, list[int]] = {}
    window = timedelta(days=RECENT_DAYS)
    for q in data.later:
        recent = [person for person, at in firsts if q.at - window <= at < q.at]
        workload = Workload(
            open_claims=Counter(person for person, until in held if until > q.at),
            firsts=Counter(recent),
            questions=len(recent),
        )
        candidates = [(p, s) for p, s in ranker.rank(list(q.tags), q.text) if p != q.owner]
        ranked = [p for p, _ in rerank(candidates, workload)]
        ranked_at[q.id] = ranked
        if ranked:
            firsts.append((ranked[0], q.at))
            if q.id in data.answered_at:
                held.append((ranked[0], data.answered_at[q.id]))
    return lambda q: ranked_at[q.id]


def choose_half_life(posts: list[Post], test_cut: datetime, default: float) -> float:
    """The half-life with the best MRR on a validation split inside the history: questions
    from 55% to 70% of the way through, ranked from the history before them. The test
    questions play no part. `default` when that split has no question to learn from."""
    data = split(posts, VALIDATION_SHARE, end=test_cut)
    if not data.tests or not data.history:
        return default
    scored = [(evaluate(router(data, h), data.tests)["mrr"], -h) for h in HALF_LIVES]
    return -max(scored)[1]


def most_active(data: Split) -> Rank:
    counts = Counter(answer.owner for answer, _ in data.history)
    order = [p for p, _ in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])) if p]
    return lambda q: [p for p in order if p != q.owner]


def tag_overlap(data: Split) -> Rank:
    by_tag: dict[str, Counter[int]] = {}
    for answer, question in data.history:
        for tag in question.tags:
            by_tag.setdefault(tag, Counter())[answer.owner or 0] += 1

    def rank(q: Post) -> list[int]:
        total: Counter[int] = Counter()
        for tag in q.tags:
            total.update(by_tag.get(tag, Counter()))
        ordered = sorted(total.items(), key=lambda pair: (-pair[1], pair[0]))
        return [p for p, n in ordered if n > 0 and p != q.owner]

    return rank


def evaluate(rank: Rank, tests: Sequence[tuple[Post, int]]) -> dict[str, float]:
    hits = dict.fromkeys(CUTOFFS, 0)
    reciprocal = 0.0
    firsts: Counter[int] = Counter()
    for question, target in tests:
        ranked = rank(question)
        if ranked:
            firsts[ranked[0]] += 1
        if target in ranked:
            position = ranked.index(target) + 1
            reciprocal += 1 / position
            for cutoff in CUTOFFS:
                hits[cutoff] += position <= cutoff
    n = len(tests)
    result = {f"hit@{c}": round(hits[c] / n, 3) for c in CUTOFFS}
    result["mrr"] = round(reciprocal / n, 3)
    result["load_spread"] = round(max(firsts.values(), default=0) / n, 3)
    return result


def report(dump: Path, half_life_days: float) -> dict[str, object]:
    posts = known_topics(load_posts(dump), load_tags(dump))
    data = split(posts)
    chosen = choose_half_life(posts, data.cut, half_life_days)
    return {
        "dump": dump.name,
        "history_answers": len(data.history),
        "test_questions": len(data.tests),
        "half_life_days": half_life_days,
        "half_life_chosen_on_history": chosen,
        "router": evaluate(router(data, half_life_days), data.tests),
        "router_with_workload": evaluate(router_with_workload(data, half_life_days), data.tests),
        "router_chosen_half_life": evaluate(router(data, chosen), data.tests),
        "router_chosen_half_life_with_workload": evaluate(
            router_with_workload(data, chosen), data.tests
        ),
        "most_active": evaluate(most_active(data), data.tests),
        "tag_overlap": evaluate(tag_overlap(data), data.tests),
    }
