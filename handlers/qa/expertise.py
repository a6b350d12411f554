"""Who knows about what: expertise scores from declared topics and behaviour, ranked.

Pure functions over plain data, so the bot (people from the store) and the routing
benchmark (users from a StackExchange dump) rank with exactly the same code.

A person's score for a question is the sum, over the question's topics, of their topic
scores, plus how alike the question is to questions they answered well (TF-IDF cosine, so
questions without a known topic still find someone). Behavioural evidence decays
exponentially with its age (a half-life), so last year's expert gives way to this year's;
declared topics do not decay, they hold until the person removes them.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from handlers.qa.similarity import index

P = TypeVar("P", bound=Hashable)

DECLARED = 1.0
ACCEPTED_ANSWER = 1.0
KUDOS = 0.5
DECLINED = -0.5
UNHELPFUL = -0.25


@dataclass(frozen=True)
class Signal(Generic[P]):
    """Evidence that `person` knows (or, negative, does not know) `topic`; `at` None: declared."""

    person: P
    topic: str
    weight: float
    at: datetime | None = None


@dataclass(frozen=True)
class Answered(Generic[P]):
    """A question `person` answered well: its text is evidence for questions like it."""

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


def workload_factor(open_claims: int) -> float:
    """Each question someone is already answering halves their chance to be asked first."""
    return float(0.5**open_claims)


@dataclass
class Ranker(Generic[P]):
    """Scores people for questions; build once per batch of questions, rank many."""

    signals: Sequence[Signal[P]]
    answered: Sequence[Answered[P]]
    now: datetime
    half_life_days: float
    text_weight: float = 1.0

    def __post_init__(self) -> None:
        self._topics = topic_scores(self.signals, self.now, self.half_life_days)
        self._index = index(item.text for item in self.answered)
        self._weights = [decay(item.at, self.now, self.half_life_days) for item in self.answered]

    def scores(self, topics: Sequence[str], text: str) -> dict[P, float]:
        found: dict[P, float] = defaultdict(float)
        for person, known in self._topics.items():
            found[person] += sum(known.get(topic, 0.0) for topic in topics)
        if self.answered and text.strip():
            alike = self._index.scores(text)
            for item, score, weight in zip(self.answered, alike, self._weights, strict=True):
                found[item.person] += self.text_weight * score * weight
        return dict(found)

    def topic_scores_of(self, person: P, exclude: set[str]) -> list[tuple[str, float]]:
        """A person's positive topic scores, best first, leaving out `exclude`."""
        known = self._topics.get(person, {})
        found = [(t, s) for t, s in known.items() if s > 1e-9 and t not in exclude]
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))

    def rank(self, topics: Sequence[str], text: str) -> list[tuple[P, float]]:
        """People with a positive score, best first (ties in a stable, deterministic order)."""
        scored = [(person, score) for person, score in self.scores(topics, text).items()]
        positive = [(person, score) for person, score in scored if score > 1e-9]
        return sorted(positive, key=lambda pair: (-pair[1], str(pair[0])))
