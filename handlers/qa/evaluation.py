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
from datetime import UTC, datetime
from pathlib import Path

from handlers.qa.expertise import ACCEPTED_ANSWER, Answered, Ranker, Signal, workload_factor

HISTORY_SHARE = 0.7
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
    answered_at: dict[int, datetime]  # test question -> when its accepted answer came
    cut: datetime


def split(posts: list[Post]) -> Split:
    questions = sorted((p for p in posts if p.kind == 1), key=lambda p: (p.at, p.id))
    by_id = {p.id: p for p in posts}
    cut = questions[int(len(questions) * HISTORY_SHARE)].at
    history = [
        (p, by_id[p.parent])
        for p in sorted(posts, key=lambda p: (p.at, p.id))
        if p.kind == 2 and p.owner and p.at < cut and p.parent in by_id
    ]
    tests, answered_at = [], {}
    for question in questions:
        answer = by_id.get(question.accepted or -1)
        if question.at >= cut and answer is not None and answer.owner:
            tests.append((question, answer.owner))
            answered_at[question.id] = answer.at
    return Split(history, tests, answered_at, cut)


Rank = Callable[[Post], list[int]]


def _ranker(data: Split, half_life_days: float) -> Ranker[int]:
    signals = [
        Signal(answer.owner or 0, tag, ACCEPTED_ANSWER, answer.at)
        for answer, question in data.history
        for tag in question.tags
    ]
    answered = [
        Answered(answer.owner or 0, question.text, answer.at) for answer, question in data.history
    ]
    return Ranker(signals, answered, data.cut, half_life_days)


def router(data: Split, half_life_days: float) -> Rank:
    ranker = _ranker(data, half_life_days)
    return lambda q: [p for p, _ in ranker.rank(list(q.tags), q.text) if p != q.owner]


def router_with_workload(
    data: Split, half_life_days: float, answered_at: dict[int, datetime]
) -> Rank:
    """The router as the bot runs it: whoever is routed first holds the question until its
    accepted answer was posted, and each question held weighs their score down
    (handlers.qa.expertise.workload_factor). Test questions must be ranked in time order."""
    ranker = _ranker(data, half_life_days)
    held: list[tuple[int, datetime]] = []

    def rank(q: Post) -> list[int]:
        busy = Counter(person for person, until in held if until > q.at)
        scored = [
            (score * workload_factor(busy[p]), p)
            for p, score in ranker.rank(list(q.tags), q.text)
            if p != q.owner
        ]
        ranked = [p for _, p in sorted(scored, key=lambda pair: (-pair[0], str(pair[1])))]
        if ranked:
            held.append((ranked[0], answered_at[q.id]))
        return ranked

    return rank


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
    data = split(known_topics(load_posts(dump), load_tags(dump)))
    return {
        "dump": dump.name,
        "history_answers": len(data.history),
        "test_questions": len(data.tests),
        "half_life_days": half_life_days,
        "router": evaluate(router(data, half_life_days), data.tests),
        "router_with_workload": evaluate(
            router_with_workload(data, half_life_days, data.answered_at), data.tests
        ),
        "router_half_life_30_days": evaluate(router(data, 30.0), data.tests),
        "most_active": evaluate(most_active(data), data.tests),
        "tag_overlap": evaluate(tag_overlap(data), data.tests),
    }
