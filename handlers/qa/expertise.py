"""Who knows about what: expertise scores from declared topics and behaviour, ranked.

Pure functions over plain data, so the bot (people from the store) and the routing
benchmark (users from a StackExchange dump) rank with exactly the same code.

A person's score for a question is a weighted sum of what the bot knows about them for it
(handlers.qa.features: answer activity at two paces, days idle, topic evidence, how rare
and how specialised their topics are, BM25 text similarity, their history with the asker,
their replies in question threads). The weights are on a log-odds scale: they were fitted
by learning to rank (handlers.evaluation.learning) on the history of the routing benchmark,
never on its test questions; see benchmarks/README.md. The fit gave the topic score no weight
beyond what topic share and rarity already say on that dump (validation MRR 0.349 at 0,
0.324 at 2); it is set to 2 for chat, where it alone carries declared topics: someone who
declared a topic must outrank someone merely busy answering other things.

Behavioural evidence decays exponentially with its age (a half-life), so last year's expert
gives way to this year's; declared topics hold until the person removes them.

Then the workload rule (`Workload`, `rerank`): each question someone is answering now halves
their chance, and whoever was asked first for more than a quarter of the last month's
questions is not asked first again (they stay next in line), so one expert does not get
everything.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from handlers.qa.features import (
    Answered,
    Behaviour,
    Reply,
    decay,
    signed_log,
)

P = TypeVar("P", bound=Hashable)

__all__ = [
    "Answered",
    "Ranker",
    "Reply",
    "Signal",
    "Workload",
    "answered_text",
    "best_first",
    "combine",
    "decay",
    "on_topic",
    "rerank",
    "topic_scores",
]

DECLARED = 1.0
ACCEPTED_ANSWER = 1.0
KUDOS = 0.5
DECLINED = -0.5
UNHELPFUL = -0.25

# Fitted on the routing benchmark's history at the chat's default half-life of 180 days
# (`rapport eval routing` prints the fit); "topics" set for chat, see above.
WEIGHTS: dict[str, float] = {
    "activity": 0.29,
    "lately": 0.69,
    "idle": -0.65,
    "topics": 2.0,
    "rare_topics": 0.2,
    "topic_share": 3.17,
    "text": 0.013,
    # Not fitted: the benchmark runs without network, so it has no embeddings. A best cosine
    # of 1 weighs like three times the evidence of log(1 + n) answers' worth of activity.
    "meaning": 3.0,
    "asker": 0.23,
    "replies": 0.0,
}
OPEN_CLAIM_PENALTY = math.log(2)
RECENT_DAYS = 30
MAX_FIRST_SHARE = 0.25


@dataclass(frozen=True)
class Signal(Generic[P]):
    """Evidence that `person` knows (or, negative, does not know) `topic`; `at` None: declared."""

    person: P
    topic: str
    weight: float
    at: datetime | None = None


def topic_scores(
    signals: Iterable[Signal[P]], now: datetime, half_life_days: float
) -> dict[P, dict[str, float]]:
    scores: dict[P, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for signal in signals:
        scores[signal.person][signal.topic] += signal.weight * decay(signal.at, now, half_life_days)
    return scores


@dataclass(frozen=True)
class Workload(Generic[P]):
    """What people are doing already: questions they are answering now (`open_claims`), and
    how many of the last RECENT_DAYS days' questions each was asked first (`firsts`, of
    `questions` in all)."""

    open_claims: Counter[P] = field(default_factory=Counter)
    firsts: Counter[P] = field(default_factory=Counter)
    questions: int = 0
    max_share: float = MAX_FIRST_SHARE

    def penalty(self, person: P) -> float:
        """Subtracted from a score (a log-odds scale): each question someone is answering
        now halves their chance."""
        return self.open_claims[person] * OPEN_CLAIM_PENALTY

    def over_share(self, person: P) -> bool:
        """Being asked first once more would give them more than `max_share` of the recent
        questions."""
        return self.firsts[person] + 1 > self.max_share * (self.questions + 1)


def rerank(ranked: Sequence[tuple[P, float]], workload: Workload[P]) -> list[tuple[P, float]]:
    """`ranked` after the workload rule, best first (ties in a stable order). Whoever is
    over their share is not asked first but stays next in line: moving them further down
    would lose their answer for nothing, since the cap is only about who is asked first.
    While few questions came in, a first one would take anybody past the share: then the
    better expert stays first."""
    order = best_first((person, score - workload.penalty(person)) for person, score in ranked)
    for position, (person, score) in enumerate(order):
        if not workload.over_share(person):
            return [(person, score), *order[:position], *order[position + 1 :]]
    return order


def on_topic(row: Mapping[str, float], topics: Sequence[str]) -> bool:
    """Whether a candidate's features show evidence on the question itself: on one of its
    topics, or (a question without topics) answers alike to it. Everyone else is offered
    only for having helped before, and is asked only when nobody on topic is available."""
    if topics:
        return row.get("topics", 0.0) > 1e-9
    return row.get("text", 0.0) > 1e-9 or row.get("meaning", 0.0) > 1e-9


def combine(row: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """A person's score: the weighted sum of their features."""
    return sum(weights.get(name, 0.0) * value for name, value in row.items())


def best_first(scored: Iterable[tuple[P, float]]) -> list[tuple[P, float]]:
    """Best first, ties in a stable, deterministic order."""
    return sorted(scored, key=lambda pair: (-pair[1], str(pair[0])))


@dataclass
class Ranker(Generic[P]):
    """Scores people for questions; build once per batch of questions, rank many.

    A person's score is the weighted sum of their features (handlers.qa.features), a log-odds
    scale: `weights` were fitted on history (see handlers.evaluation.learning)."""

    signals: Sequence[Signal[P]]
    answered: Sequence[Answered[P]]
    now: datetime
    half_life_days: float
    replies: Sequence[Reply[P]] = ()
    weights: Mapping[str, float] = field(default_factory=lambda: dict(WEIGHTS))

    def __post_init__(self) -> None:
        self._topics = topic_scores(self.signals, self.now, self.half_life_days)
        self._behaviour = Behaviour(self.answered, self.replies, self.now, self.half_life_days)

    def features(
        self,
        topics: Sequence[str],
        text: str,
        embedded: Sequence[float] | None = None,
        asker: P | None = None,
        language: str | None = None,
    ) -> dict[P, dict[str, float]]:
        """Everyone with some evidence for this question, or some recent answers or replies.
        `embedded`: the question's cosine to each answered text by embeddings, used instead
        of BM25 when given. `language`: the asker's, when known (else guessed from `text`)."""
        found: dict[P, dict[str, float]] = {}
        alike = self._alike(text, embedded, language)
        for person in set(self._topics) | self._behaviour.people():
            if person == asker:
                continue
            known = self._topics.get(person, {})
            row = self._behaviour.row(person, topics, asker)
            row["topics"] = signed_log(sum(known.get(topic, 0.0) for topic in topics))
            row["meaning" if embedded is not None else "text"] = alike.get(person, 0.0)
            if row["topics"] <= 1e-9 and not alike.get(person) and self._quiet(person):
                continue
            found[person] = row
        return found

    def _quiet(self, person: P) -> bool:
        behaviour = self._behaviour
        return (
            behaviour.activity.get(person, 0.0) <= 1e-9
            and behaviour.replies.get(person, 0.0) <= 1e-9
        )

    def scores(
        self,
        topics: Sequence[str],
        text: str,
        embedded: Sequence[float] | None = None,
        asker: P | None = None,
        language: str | None = None,
    ) -> dict[P, float]:
        found = self.features(topics, text, embedded, asker, language)
        return {person: combine(row, self.weights) for person, row in found.items()}

    def _alike(
        self, text: str, embedded: Sequence[float] | None, language: str | None
    ) -> dict[P, float]:
        """How alike `text` is to what each person answered: BM25, or the best decayed
        cosine by embeddings."""
        if embedded is None:
            return self._behaviour.profiles.scores(text, language) if text.strip() else {}
        best: dict[P, float] = {}
        for item, cosine in zip(self.answered, embedded, strict=True):
            score = cosine * decay(item.at, self.now, self.half_life_days)
            best[item.person] = max(best.get(item.person, 0.0), score)
        return {p: s for p, s in best.items() if s > 0}

    def topic_scores_of(self, person: P, exclude: set[str]) -> list[tuple[str, float]]:
        """A person's positive topic scores, best first, leaving out `exclude`."""
        known = self._topics.get(person, {})
        found = [(t, s) for t, s in known.items() if s > 1e-9 and t not in exclude]
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))

    def known_topics(self, person: P, topics: Sequence[str]) -> list[str]:
        """Which of `topics` `person` has positive evidence on (declared or earned)."""
        known = self._topics.get(person, {})
        return [t for t in topics if known.get(t, 0.0) > 1e-9]

    def topic_ranking(self, topic: str) -> list[tuple[P, float]]:
        """People by their score on one topic alone (who knows most about it), best first."""
        found = [(p, known.get(topic, 0.0)) for p, known in self._topics.items()]
        return best_first((p, s) for p, s in found if s > 1e-9)

    def rank(
        self,
        topics: Sequence[str],
        text: str,
        embedded: Sequence[float] | None = None,
        asker: P | None = None,
        language: str | None = None,
    ) -> list[tuple[P, float]]:
        """Candidates best first (ties in a stable, deterministic order); never the asker."""
        return best_first(self.scores(topics, text, embedded, asker, language).items())


def answered_text(question: str, topics: Iterable[str], answer: str) -> str:
    """What an accepted answer says about its author: the question, its topics, the answer."""
    return " ".join([question, *topics, answer])
