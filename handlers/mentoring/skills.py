"""Which of the mentees' goals a mentor's skills meet, whatever language each is written in.

A skill and a goal are read as terms (bot.kit.tokenizing: words less stop words, stemmed in
the writer's language, Chinese and Japanese as character pairs). They meet when every term
of the one with fewer terms is among the other's:

- "vélo" meets "vélos", "Verhandlungen" meets "Verhandlung" (one stem), "public speaking"
  meets "speaking in public" (word order and small words do not count);
- "python" meets "Python-Entwicklung" and "python development": a mentor offering the
  broader skill can help with the narrower goal, and the other way round;
- "people management" does not meet "product management": each has a term the other lacks;
- a skill in one language does not meet its translation ("Datenanalyse", "data analysis"):
  stems compare words, not meanings.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping

from bot.kit.tokenizing import terms

Terms = frozenset[str]


def read(tag: str, language: str | None) -> Terms:
    return frozenset(terms(tag, language))


def meets(skill: Terms, goal: Terms) -> bool:
    if not skill or not goal:
        return False
    return skill <= goal or goal <= skill


class Goals:
    """The goals of a round, indexed by term, so that each skill is compared only with the
    goals it shares a term with."""

    def __init__(self, goals: Mapping[str, Terms]) -> None:
        self.goals = goals
        self._by_term: dict[str, set[str]] = defaultdict(set)
        for goal, found in goals.items():
            for term in found:
                self._by_term[term].add(goal)

    def met_by(self, skills: Iterable[Terms]) -> frozenset[str]:
        """The goals (as their mentees wrote them) that any of `skills` meets."""
        met: set[str] = set()
        for skill in skills:
            near = set().union(*(self._by_term.get(term, set()) for term in skill))
            met |= {goal for goal in near if meets(skill, self.goals[goal])}
        return frozenset(met)
