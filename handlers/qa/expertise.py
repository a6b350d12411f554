"""Who knows about what: expertise scores from declared topics and behaviour, ranked.

Pure functions over plain data, so the bot (people from the store) and the routing
benchmark (users from a StackExchange dump) rank with exactly the same code.

A person's score for a question adds three pieces of evidence, on a log-like scale:

- activity: how much they answered well lately (accepted answers, decayed), as log(1 + n).
  Across StackExchange sites and companies alike, who answers often answers next; alone,
  this is the "most active" baseline.
- topics: their topic scores summed over the question's topics (declared topics, accepted
  answers and kudos values; declines and unhelpful answers count against), as a signed
  log(1 + |s|), weighted double: knowing the topic counts for more than being busy.
- text: BM25 of the question against their profile, the words of every question they
  answered well and of their answers, each weighted by its decay. One profile per person
  (rather than one document per answer) keeps a prolific answerer from winning on volume.

Behavioural evidence decays exponentially with its age (a half-life), so last year's expert
gives way to this year's; declared topics hold until the person removes them. The text
weight was chosen on a validation split inside the history of the routing benchmark (never
on its test questions); see benchmarks/README.md.

Then the workload rule (`Workload`, `rerank`): each question someone is answering now moves
them down, and so does having been asked first for more than a quarter of the last month's
questions, so one expert does not get everything.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from handlers.qa.similarity import Profiles

P = TypeVar("P", bound=Hashable)

DECLARED = 1.0
ACCEPTED_ANSWER = 1.0
KUDOS = 0.5
DECLINED = -0.5
UNHELPFUL = -0.25

TOPIC_WEIGHT = 2.0
TEXT_WEIGHT = 0.3
# A best cosine of 1 counts like a strong BM25 match; not measured on the benchmark dump,
# which runs without network.
EMBEDDING_WEIGHT = 3.0
OPEN_CLAIM_PENALTY = math.log(2)
RECENT_DAYS = 30
MAX_FIRST_SHARE = 0.25
OVER_SHARE_PENALTY = 3.0


@dataclass(frozen=True)
class Signal(Generic[P]):
    """Evidence that `person` knows (or, negative, does not know) `topic`; `at` None: declared."""

    person: P
    topic: str
    weight: float
    at: datetime | None = None


@dataclass(frozen=True)
class Answered(Generic[P]):
    """A question `person` answered well (its text and their answer's): evidence for questions
    like it, and for how active they are."""

    person: P
    text: str
    at: datetime


def decay(at: datetime | None, now: datetime, half_life_days: float) -> float:
    if at is None:
        return 1.0
    age_days = max((now - at).total_seconds(), 0.0) / 86400
    return float(0.5 ** (age_days / half_life_days))


def topic_scores(
    signals: Iterable[Signal[P]], now: datetime, half_life_days: float
) -> dict[P, dict[str, float]]:
    scores: dict[P, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for signal in signals:
        scores[signal.person][signal.topic] += signal.weight * decay(signal.at, now, half_life_days)
    return scores


def _signed_log(value: float) -> float:
    return math.copysign(math.log1p(abs(value)), value)


@dataclass(frozen=True)
class Workload(Generic[P]):
    """What people are doing already: questions they are answering now (`open_claims`), and
    how many of the last RECENT_DAYS days' questions each was asked first (`firsts`, of
    `questions` in all)."""

    open_claims: Counter[P] = field(default_factory=Counter)
    firsts: Counter[P] = field(default_factory=Counter)
    questions: int = 0

    def penalty(self, person: P) -> float:
        """Subtracted from a score (a log scale): each question someone is answering now
        halves their chance, and whoever already had more than MAX_FIRST_SHARE of the recent
        questions first is moved down, so nobody is everybody's first choice."""
        over = self.firsts[person] + 1 > MAX_FIRST_SHARE * (self.questions + 1)
        return self.open_claims[person] * OPEN_CLAIM_PENALTY + (OVER_SHARE_PENALTY if over else 0)


def rerank(ranked: Sequence[tuple[P, float]], workload: Workload[P]) -> list[tuple[P, float]]:
    """`ranked` after the workload rule, best first (ties in a stable order)."""
    adjusted = [(person, score - workload.penalty(person)) for person, score in ranked]
    return sorted(adjusted, key=lambda pair: (-pair[1], str(pair[0])))


@dataclass
class Ranker(Generic[P]):
    """Scores people for questions; build once per batch of questions, rank many."""

    signals: Sequence[Signal[P]]
    answered: Sequence[Answered[P]]
    now: datetime
    half_life_days: float

    def __post_init__(self) -> None:
        self._topics = topic_scores(self.signals, self.now, self.half_life_days)
        self._activity: dict[P, float] = defaultdict(float)
        texts: list[tuple[P, str, float]] = []
        for item in self.answered:
            weight = decay(item.at, self.now, self.half_life_days)
            self._activity[item.person] += weight
            texts.append((item.person, item.text, weight))
        self._profiles = Profiles.of(texts)

    def scores(
        self, topics: Sequence[str], text: str, embedded: Sequence[float] | None = None
    ) -> dict[P, float]:
        """Everyone with some evidence for this question, or some recent good answers.
        `embedded`: the question's cosine to each answered text by embeddings, used instead
        of BM25 when given."""
        found: dict[P, float] = {}
        alike = self._alike(text, embedded)
        for person in set(self._topics) | set(self._activity):
            known = self._topics.get(person, {})
            on_topic = sum(known.get(topic, 0.0) for topic in topics)
            matched = alike.get(person, 0.0)
            if on_topic <= 1e-9 and matched <= 0 and self._activity.get(person, 0.0) <= 1e-9:
                continue
            found[person] = (
                math.log1p(self._activity.get(person, 0.0))
                + TOPIC_WEIGHT * _signed_log(on_topic)
                + matched
            )
        return found

    def _alike(self, text: str, embedded: Sequence[float] | None) -> dict[P, float]:
        """How alike `text` is to what each person answered, on the weighted BM25 scale."""
        if embedded is None:
            return (
                {p: TEXT_WEIGHT * s for p, s in self._profiles.scores(text).items()}
                if text.strip()
                else {}
            )
        best: dict[P, float] = {}
        for item, cosine in zip(self.answered, embedded, strict=True):
            score = cosine * decay(item.at, self.now, self.half_life_days)
            best[item.person] = max(best.get(item.person, 0.0), score)
        return {p: EMBEDDING_WEIGHT * s for p, s in best.items() if s > 0}

    def topic_scores_of(self, person: P, exclude: set[str]) -> list[tuple[str, float]]:
        """A person's positive topic scores, best first, leaving out `exclude`."""
        known = self._topics.get(person, {})
        found = [(t, s) for t, s in known.items() if s > 1e-9 and t not in exclude]
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))

    def topic_ranking(self, topic: str) -> list[tuple[P, float]]:
        """People by their score on one topic alone (who knows most about it), best first."""
        found = [(p, known.get(topic, 0.0)) for p, known in self._topics.items()]
        return sorted(
            ((p, s) for p, s in found if s > 1e-9), key=lambda pair: (-pair[1], str(pair[0]))
        )

    def rank(
        self, topics: Sequence[str], text: str, embedded: Sequence[float] | None = None
    ) -> list[tuple[P, float]]:
        """Candidates best first (ties in a stable, deterministic order)."""
        scored = self.scores(topics, text, embedded).items()
        return sorted(scored, key=lambda pair: (-pair[1], str(pair[0])))


def answered_text(question: str, topics: Iterable[str], answer: str) -> str:
    """What an accepted answer says about its author: the question, its topics, the answer."""
    return " ".join([question, *topics, answer])
