"""Replaying a StackExchange dump through the Q&A expert ranking: routing quality, measured.

Protocol (the dump's README): questions sorted by CreationDate; the first 70% of questions and
every answer posted before the cut are history; each later question with an accepted answer is
a test case whose target is the accepted answerer. History answers count as accepted answers
and tags as topics: each becomes a topic signal for its answerer on its question's tags, and
its question's text becomes text evidence, exactly as accepted answers do in chat. Comments
count as replies in their question's thread, as the bot records replies in chat. The ranking
is handlers.qa.expertise.Ranker, the code the bot routes with.

Its weights, half-life and the workload rule's share are chosen on the history alone (`tune`):
weights fitted by learning to rank on earlier history questions, each ranked from what came
before it, and measured on later history questions. Figures come twice: as the protocol says
(the router built once at the cut), and `online` (the router and the baselines rebuilt before
each test question from everything posted before it, as the bot learns in chat).

Reported for the router and two baselines measured in the same run (most active answerer
first; tag overlap: answers on questions sharing a tag): Hit@1/3/5/10, MRR, and load spread
(the share of first routes that go to the single busiest expert).
"""

import html
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from handlers.evaluation.learning import Choice, fit
from handlers.qa.expertise import (
    ACCEPTED_ANSWER,
    MAX_FIRST_SHARE,
    RECENT_DAYS,
    WEIGHTS,
    Answered,
    Ranker,
    Reply,
    Signal,
    Workload,
    answered_text,
    best_first,
    combine,
    rerank,
)

Weights = dict[str, float]
Rows = dict[int, dict[str, float]]

HISTORY_SHARE = 0.7
VALIDATION_SHARE = 0.55
TRAIN_SHARE = 0.3
HALF_LIVES = (14.0, 30.0, 90.0)
RULE_SHARES = (0.25, 0.2, 0.15, 0.1)
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


@dataclass(frozen=True)
class Comment:
    post: int
    user: int
    at: datetime


def load_tags(dump: Path) -> set[str]:
    return {row.attrib["TagName"] for row in ElementTree.parse(dump / "Tags.xml").getroot()}


def known_topics(posts: list[Post], tags: set[str]) -> list[Post]:
    """Questions' topics are their tags that Tags.xml knows (as a workspace's known topics)."""
    return [Post(**{**p.__dict__, "tags": tuple(t for t in p.tags if t in tags)}) for p in posts]


def load_comments(dump: Path) -> list[Comment]:
    """Comments, when the dump has them (each is a reply in its question's thread)."""
    if not (dump / "Comments.xml").is_file():
        return []
    found = []
    for _, row in ElementTree.iterparse(dump / "Comments.xml"):
        if row.tag == "row" and row.attrib.get("UserId"):
            a = row.attrib
            at = datetime.fromisoformat(a["CreationDate"]).replace(tzinfo=UTC)
            found.append(Comment(int(a["PostId"]), int(a["UserId"]), at))
        row.clear()
    return found


@dataclass
class Site:
    """A dump's posts and comments, as the evidence the bot would have at any moment."""

    posts: list[Post]
    comments: list[Comment] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rows: dict[tuple[int, datetime, float], Rows] = {}
        self._ranker: tuple[tuple[datetime, float] | None, Ranker[int] | None] = (None, None)
        self.by_id = {p.id: p for p in self.posts}
        self.questions = sorted((p for p in self.posts if p.kind == 1), key=lambda p: (p.at, p.id))
        self.answers = [
            (p, self.by_id[p.parent])
            for p in sorted(self.posts, key=lambda p: (p.at, p.id))
            if p.kind == 2 and p.owner and p.parent in self.by_id
        ]
        self.replies = [
            Reply(c.user, question.owner, c.at)
            for c in sorted(self.comments, key=lambda c: c.at)
            if (question := self._thread(c.post)) is not None
        ]

    def _thread(self, post_id: int) -> Post | None:
        post = self.by_id.get(post_id)
        if post is not None and post.kind == 2:
            post = self.by_id.get(post.parent or -1)
        return post if post is not None and post.kind == 1 else None

    def cut(self, share: float) -> datetime:
        return self.questions[int(len(self.questions) * share)].at

    def rows(self, q: Post, before: datetime, half_life_days: float) -> Rows:
        """The features of everyone the ranker built at `before` offers for `q`; kept, since
        tuning scores the same questions with many weights."""
        key = (q.id, before, half_life_days)
        if key not in self._rows:
            if self._ranker[0] != (before, half_life_days):
                self._ranker = ((before, half_life_days), self.ranker(before, half_life_days))
            ranker = self._ranker[1]
            assert ranker is not None
            self._rows[key] = ranker.features(list(q.tags), q.text, asker=q.owner)
        return self._rows[key]

    def ranker(self, before: datetime, half_life_days: float) -> Ranker[int]:
        """The ranker as the bot would build it at `before`: answers count as accepted
        answers (topic signals on their question's tags, text evidence), comments as replies
        in the question's thread."""
        answers = [(a, q) for a, q in self.answers if a.at < before]
        signals = [
            Signal(a.owner or 0, tag, ACCEPTED_ANSWER, a.at) for a, q in answers for tag in q.tags
        ]
        answered = [
            Answered(a.owner or 0, answered_text(q.text, q.tags, a.text), a.at, q.tags, q.owner)
            for a, q in answers
        ]
        replies = [r for r in self.replies if r.at < before]
        return Ranker(signals, answered, before, half_life_days, replies)

    def accepted(self, question: Post) -> Post | None:
        answer = self.by_id.get(question.accepted or -1)
        return answer if answer is not None and answer.owner else None

    def period(self, start: datetime, end: datetime | None = None) -> "Period":
        later = [q for q in self.questions if q.at >= start and (end is None or q.at < end)]
        tests, answered_at = [], {}
        for question in later:
            if (answer := self.accepted(question)) is not None:
                tests.append((question, answer.owner or 0))
                answered_at[question.id] = answer.at
        return Period(tests, later, answered_at, start)


@dataclass
class Period:
    """Questions from `cut` on: the test cases (question, accepted answerer), every question
    (what the bot routes), and when each test question's accepted answer came."""

    tests: list[tuple[Post, int]]
    later: list[Post]
    answered_at: dict[int, datetime]
    cut: datetime


Rank = Callable[[Post], list[int]]


@dataclass(frozen=True)
class Setup:
    """How the router is built: its half-life and weights, the workload rule's share, and
    `online` (rebuilt before each question from everything before it, as the bot learns in
    chat) or not (built once at the cut, the protocol of the dump)."""

    half_life_days: float
    weights: Mapping[str, float]
    max_share: float = MAX_FIRST_SHARE
    online: bool = False


def evidence(site: Site, period: Period, q: Post, half_life_days: float, online: bool) -> Rows:
    """The features of `q`'s candidates, from everything before `q` (online) or before the
    period's cut."""
    return site.rows(q, q.at if online else period.cut, half_life_days)


def ranked(site: Site, period: Period, setup: Setup) -> Callable[[Post], list[tuple[int, float]]]:
    """Ranker.rank, by its parts: the features, combined by the weights, best first."""

    def rank(q: Post) -> list[tuple[int, float]]:
        rows = evidence(site, period, q, setup.half_life_days, setup.online)
        return best_first((p, combine(row, setup.weights)) for p, row in rows.items())

    return rank


def router(site: Site, period: Period, setup: Setup) -> Rank:
    scored = ranked(site, period, setup)
    return lambda q: [p for p, _ in scored(q)]


def router_with_workload(site: Site, period: Period, setup: Setup) -> Rank:
    """The router as the bot runs it. Every question of the period is routed in time order
    through the workload rule (handlers.qa.expertise.rerank): whoever is asked first counts
    as first for it during RECENT_DAYS, and holds it until its accepted answer was posted.
    Only what happened before each question is used."""
    scored = ranked(site, period, setup)
    held: list[tuple[int, datetime]] = []
    firsts: list[tuple[int, datetime]] = []
    ranked_at: dict[int, list[int]] = {}
    window = timedelta(days=RECENT_DAYS)
    for q in period.later:
        recent = [person for person, at in firsts if q.at - window <= at < q.at]
        workload = Workload(
            open_claims=Counter(person for person, until in held if until > q.at),
            firsts=Counter(recent),
            questions=len(recent),
            max_share=setup.max_share,
        )
        order = [p for p, _ in rerank(scored(q), workload)]
        ranked_at[q.id] = order
        if order:
            firsts.append((order[0], q.at))
            if q.id in period.answered_at:
                held.append((order[0], period.answered_at[q.id]))
    return lambda q: ranked_at[q.id]


def fit_on(site: Site, period: Period, half_life_days: float, online: bool = True) -> Weights:
    """Weights fitted on the period's questions and who answered them
    (handlers.evaluation.learning), each question's candidates as `evidence` gives them."""
    tests = period.tests
    return fit([Choice(evidence(site, period, q, half_life_days, online), t) for q, t in tests])


def learn_weights(site: Site, start: datetime, end: datetime, half_life_days: float) -> Weights:
    """Weights fitted on the questions asked from `start` to `end`, each ranked from
    everything before it."""
    return fit_on(site, site.period(start, end), half_life_days)


@dataclass(frozen=True)
class Tuned:
    half_life_days: float
    weights: Weights
    max_share: float


def tune(site: Site, test_cut: datetime, default_half_life: float) -> Tuned:
    """Everything chosen on the history alone: for each half-life, weights are fitted on the
    questions from TRAIN_SHARE to VALIDATION_SHARE of the way through and the router is
    measured on those from VALIDATION_SHARE to the test cut; the best half-life by MRR wins,
    then the largest share for the workload rule that keeps the load spread of those
    questions within MAX_FIRST_SHARE (the rule counts every routed question, the load spread
    only those with an accepted answer, where the busiest answerer is busier still), and
    the weights are fitted again on every question from TRAIN_SHARE up to the cut."""
    train, validation = site.cut(TRAIN_SHARE), site.cut(VALIDATION_SHARE)
    period = site.period(validation, test_cut)
    if not period.tests:
        return Tuned(default_half_life, dict(WEIGHTS), MAX_FIRST_SHARE)
    scored = []
    for half_life in HALF_LIVES:
        weights = learn_weights(site, train, validation, half_life)
        setup = Setup(half_life, weights, online=True)
        scored.append((evaluate(router(site, period, setup), period.tests)["mrr"], -half_life))
    half_life = -max(scored)[1]
    weights = learn_weights(site, train, validation, half_life)
    share = min(RULE_SHARES)
    for candidate in sorted(RULE_SHARES, reverse=True):
        setup = Setup(half_life, weights, candidate, online=True)
        spread = evaluate(router_with_workload(site, period, setup), period.tests)["load_spread"]
        if spread <= MAX_FIRST_SHARE:
            share = candidate
            break
    return Tuned(half_life, learn_weights(site, train, test_cut, half_life), share)


def order_by_count(counts: Counter[int]) -> list[int]:
    return [p for p, _ in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])) if p]


def most_active(site: Site, period: Period, online: bool = False) -> Rank:
    def rank(q: Post) -> list[int]:
        before = q.at if online else period.cut
        counts = Counter(a.owner or 0 for a, _ in site.answers if a.at < before)
        return [p for p in order_by_count(counts) if p != q.owner]

    return rank


def tag_overlap(site: Site, period: Period, online: bool = False) -> Rank:
    def rank(q: Post) -> list[int]:
        before = q.at if online else period.cut
        total: Counter[int] = Counter()
        for answer, question in site.answers:
            if answer.at < before:
                shared = len(set(q.tags) & set(question.tags))
                total[answer.owner or 0] += shared
        return [p for p in order_by_count(total) if total[p] > 0 and p != q.owner]

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
