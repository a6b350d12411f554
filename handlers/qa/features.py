"""What the Q&A ranking knows about each person for one question: a few numbers (features).

Every feature comes from what the bot records in chat, dated, and only what happened before
the question is asked counts:

- activity: accepted answers, decayed by the half-life, as log(1 + n); `lately` the same with
  a one-week half-life (who is answering these days).
- idle: log(1 + days) since their last answer or reply in a question's thread (recency).
- topics: the topic scores (declared topics, accepted answers, kudos values, declines) summed
  over the question's topics, as a signed log(1 + |s|).
- rare_topics: their answers on the question's topics, each topic weighted by how rare it is
  among all answers (an answer on a niche topic says more than one on the common topic).
- topic_share: the share of their answers that were on one of the question's topics (a
  specialist against someone who answers everything).
- text: BM25 of the question against their profile (see similarity.Profiles).
- meaning: instead of text when embeddings are configured, the best cosine of the question
  to what they answered, each decayed.
- asker: log(1 + how often they answered or replied to this asker before).
- replies: their replies in question threads, decayed, as log(1 + n) (who helps in the open
  without necessarily answering).
"""

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from handlers.qa.similarity import Profiles

P = TypeVar("P", bound=Hashable)

FEATURES = (
    "activity",
    "lately",
    "idle",
    "topics",
    "rare_topics",
    "topic_share",
    "text",
    "meaning",
    "asker",
    "replies",
)
LATELY_HALF_LIFE_DAYS = 7.0


def decay(at: datetime | None, now: datetime, half_life_days: float) -> float:
    if at is None:
        return 1.0
    age_days = max((now - at).total_seconds(), 0.0) / 86400
    return float(0.5 ** (age_days / half_life_days))


def signed_log(value: float) -> float:
    return math.copysign(math.log1p(abs(value)), value)


@dataclass(frozen=True)
class Answered(Generic[P]):
    """A question `person` answered well (its text and their answer's, its topics, who asked
    it): evidence for questions like it, and for how active they are."""

    person: P
    text: str
    at: datetime
    topics: tuple[str, ...] = ()
    asker: P | None = None


@dataclass(frozen=True)
class Reply(Generic[P]):
    """`person` replied in the thread of a question `asker` asked."""

    person: P
    asker: P | None
    at: datetime


class Behaviour(Generic[P]):
    """What people did (answers, replies), summed once for many questions asked at `now`."""

    def __init__(
        self,
        answered: Sequence[Answered[P]],
        replies: Sequence[Reply[P]],
        now: datetime,
        half_life_days: float,
    ) -> None:
        self.activity: dict[P, float] = defaultdict(float)
        self.lately: dict[P, float] = defaultdict(float)
        self.on_topic: dict[P, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.topic_answers: Counter[str] = Counter()
        self.last: dict[P, datetime] = {}
        self.askers: Counter[tuple[P, P]] = Counter()
        self.replies: dict[P, float] = defaultdict(float)
        self.now = now
        texts = []
        for item in answered:
            weight = decay(item.at, now, half_life_days)
            self.activity[item.person] += weight
            self.lately[item.person] += decay(item.at, now, LATELY_HALF_LIFE_DAYS)
            self.topic_answers.update(set(item.topics))
            for topic in set(item.topics):
                self.on_topic[item.person][topic] += weight
            self._saw(item.person, item.asker, item.at)
            texts.append((item.person, item.text, weight))
        for reply in replies:
            self.replies[reply.person] += decay(reply.at, now, half_life_days)
            self._saw(reply.person, reply.asker, reply.at)
        self.profiles = Profiles.of(texts)
        self.answers = float(len(answered))

    def _saw(self, person: P, asker: P | None, at: datetime) -> None:
        self.last[person] = max(self.last.get(person, at), at)
        if asker is not None and asker != person:
            self.askers[(person, asker)] += 1

    def people(self) -> set[P]:
        return set(self.activity) | set(self.replies)

    def rare_topics(self, person: P, topics: Sequence[str]) -> float:
        known = self.on_topic.get(person, {})
        total = self.answers
        return math.log1p(
            sum(
                known.get(t, 0.0) * math.log((1 + total) / (1 + self.topic_answers[t]))
                for t in set(topics)
            )
        )

    def topic_share(self, person: P, topics: Sequence[str]) -> float:
        """Smoothed, so one lucky answer is not a specialist; answers on several of the
        question's topics count once each."""
        known = self.on_topic.get(person, {})
        covered = max((known.get(t, 0.0) for t in set(topics)), default=0.0)
        return (covered + 0.1) / (self.activity.get(person, 0.0) + 1)

    def idle(self, person: P) -> float:
        """0 for someone never seen answering or replying (say, with declared topics only):
        nothing says they went quiet."""
        if person not in self.last:
            return 0.0
        return math.log1p(max((self.now - self.last[person]).total_seconds(), 0.0) / 86400)

    def row(self, person: P, topics: Sequence[str], asker: P | None) -> dict[str, float]:
        """Every feature but `topics` and `text`, which the ranker adds."""
        return {
            "activity": math.log1p(self.activity.get(person, 0.0)),
            "lately": math.log1p(self.lately.get(person, 0.0)),
            "idle": self.idle(person),
            "rare_topics": self.rare_topics(person, topics),
            "topic_share": self.topic_share(person, topics),
            "asker": math.log1p(self.askers[(person, asker)]) if asker is not None else 0.0,
            "replies": math.log1p(self.replies.get(person, 0.0)),
        }
