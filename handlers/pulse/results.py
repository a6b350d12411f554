"""The anonymity maths of results: summaries, eNPS, thresholds and complementary suppression.

Pure functions over plain numbers and strings; nothing here touches the store or chat.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.kit.language_guess import guess
from bot.kit.tallies import NO_DEPARTMENT
from bot.kit.tokenizing import worded_terms
from bot.kit.words import is_cjk
from handlers.pulse.spec import Kind, QuestionSpec

MIN_THRESHOLD = 3  # the floor no setting can go under (DESIGN.md, "Rules that protect people")
Value = int | str


@dataclass(frozen=True)
class Summary:
    """What may be shown of a set of answers: never the answers one by one."""

    n: int
    distribution: dict[str, int]
    mean: float | None = None
    enps: int | None = None


@dataclass(frozen=True)
class GroupResult:
    name: str
    summary: Summary | None  # None: not enough responses to show this group


def threshold(setting: int) -> int:
    """A configured threshold, but never below the floor."""
    return max(setting, MIN_THRESHOLD)


def enps(scores: Sequence[int]) -> int:
    """% promoters (9–10) minus % detractors (0–6), rounded to a whole number."""
    if not scores:
        raise ValueError("eNPS of no scores")
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round(100 * (promoters - detractors) / len(scores))


def scale_of(question: QuestionSpec) -> list[str]:
    """Every possible answer, in order, so that distributions show zeros too."""
    if question.kind == "scale":
        return [str(n) for n in range(1, 6)]
    if question.kind == "enps":
        return [str(n) for n in range(11)]
    return list(question.options)


def summarise(question: QuestionSpec, values: Sequence[Value]) -> Summary:
    counts = Counter(str(v) for v in values)
    distribution = {label: counts.get(label, 0) for label in scale_of(question)}
    kind: Kind = question.kind
    if kind in ("scale", "enps") and values:
        scores = [int(v) for v in values]
        mean = round(sum(scores) / len(scores), 2)
        return Summary(len(values), distribution, mean, enps(scores) if kind == "enps" else None)
    return Summary(len(values), distribution)


def shown(question: QuestionSpec, values: Sequence[Value], minimum: int) -> Summary | None:
    """The summary, or None when there are too few answers to show anything."""
    return summarise(question, values) if len(values) >= threshold(minimum) else None


def suppressed(counts: Mapping[str, int], minimum: int) -> set[str]:
    """Groups to hide: those under the threshold, plus enough others that none can be worked
    out by subtracting the shown groups from the (shown) total.

    One hidden group alone is recoverable (total minus the rest), and so is a hidden set that
    adds up to fewer than the threshold (their combined answers are a small group again); so
    the smallest shown groups join the hidden ones until neither is true.
    """
    k = threshold(minimum)
    hidden = {name for name, n in counts.items() if n < k}
    visible = sorted((n, name) for name, n in counts.items() if name not in hidden)
    while hidden and visible and (len(hidden) == 1 or sum(counts[h] for h in hidden) < k):
        hidden.add(visible.pop(0)[1])
    return hidden


def breakdown(
    question: QuestionSpec, by_group: Mapping[str, Sequence[Value]], minimum: int
) -> list[GroupResult]:
    """Per-group summaries in name order, each hidden group as "not enough responses"."""
    hidden = suppressed({name: len(values) for name, values in by_group.items()}, minimum)
    return [
        GroupResult(name, None if name in hidden else summarise(question, values))
        for name, values in sorted(by_group.items())
    ]


def participation(responded: int, invited: int) -> int | None:
    """Percent of those asked who answered anything; None before anyone was asked."""
    return round(100 * responded / invited) if invited else None


# Words that say little in a comment, on top of each language's stop words (bot.kit).
_COMMON = frozenset(
    {
        *("about", "after", "again", "also", "because", "been", "before", "being", "could"),
        *("does", "doing", "done", "from", "have", "just", "more", "most", "much", "only"),
        *("other", "really", "should", "some", "than", "that", "their", "them", "then", "there"),
        *("these", "they", "this", "those", "very", "want", "were", "what", "when", "where"),
        *("which", "while", "will", "with", "would", "your", "yours"),
    }
)


def themes(
    comments: Sequence[str], language: str | None = None, limit: int = 3
) -> list[tuple[str, int]]:
    """Words that come up in at least two comments, most frequent first: a local stand-in
    for topic extraction that needs no model and shows no single person's phrasing.

    Each comment is read in its own language: the one its words say, or where they do not
    say clearly, the one most of the comments are in (else `language`, the survey's). Stop
    words are left out and words stemmed, so "meetings" and "meeting" are one theme, and so
    are "réunions" and "réunion", or 会議 in "会議が多い" and "会議室". Words that stem alike
    in two languages ("budget", "Slack", "démo" and "demo") are one theme across them; a word
    and its translation ("meetings", "réunions") stay two. Each theme reads as the word most
    often written for it.
    """
    guessed = [guess(comment) for comment in comments]
    usual = Counter(own for own in guessed if own).most_common(1)
    fallback = usual[0][0] if usual else language
    read = [
        [(term, word) for term, word in worded_terms(c, fallback, _COMMON) if _telling(word)]
        for c in comments
    ]
    theme = _same_words([pair for pairs in read for pair in pairs])
    seen = Counter(theme_of for pairs in read for theme_of in {theme[term] for term, _ in pairs})
    written: dict[str, Counter[str]] = {}
    for term, word in (pair for pairs in read for pair in pairs):
        written.setdefault(theme[term], Counter())[word] += 1
    common = [(_word(written[key]), n) for key, n in seen.items() if n >= 2]
    return sorted(common, key=lambda item: (-item[1], item[0]))[:limit]


def _same_words(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Each term's theme: terms read from the same written word are one, since a short
    comment's language can be guessed wrong and the same word then stemmed another way."""
    theme: dict[str, str] = {}

    def root(term: str) -> str:
        while theme.setdefault(term, term) != term:
            term = theme[term]
        return term

    first: dict[str, str] = {}
    for term, word in pairs:
        theme[root(term)] = root(first.setdefault(word, term))
    return {term: root(term) for term in theme}


def _telling(word: str) -> bool:
    """Long enough to say something: a Chinese or Japanese term is two characters."""
    return len(word) >= (2 if is_cjk(word) else 4)


def _word(counts: Counter[str]) -> str:
    return min(counts, key=lambda word: (-counts[word], word))


@dataclass(frozen=True)
class RunFacts:
    label: str
    invited: int
    responded: int
    closed: bool


@dataclass(frozen=True)
class AnswerFacts:
    run: int  # index into the runs given to `report`
    question: int
    department: str
    value: Value | None  # a score or a choice
    comment: str | None


@dataclass(frozen=True)
class QuestionReport:
    question: QuestionSpec
    summary: Summary | None
    groups: list[GroupResult]
    comments: list[str] | None  # None: fewer than the comment threshold
    themes: list[str]
    trend: list[tuple[str, Summary | None]]


@dataclass(frozen=True)
class Report:
    run: RunFacts | None  # the latest closed run, which the numbers are about
    open_run: RunFacts | None
    participation: int | None
    questions: list[QuestionReport]


def report(
    questions: Sequence[QuestionSpec],
    runs: Sequence[RunFacts],
    answers: Sequence[AnswerFacts],
    *,
    scores_min: int,
    comments_min: int,
    by_department: bool = False,
    language: str | None = None,
) -> Report:
    """Results of the latest closed run, with trends across closed runs.

    Open runs show participation only: results that change as each answer comes in would
    let anyone who knows who just answered work out what they said. Answers count together
    whatever language they were given in; `language`, the survey's, reads comments whose
    own words do not say theirs.
    """
    closed = [i for i, run in enumerate(runs) if run.closed]
    open_run = next((run for run in reversed(runs) if not run.closed), None)
    if not closed:
        return Report(None, open_run, None, [])
    latest = closed[-1]
    reports = []
    for index, question in enumerate(questions):
        mine = [a for a in answers if a.question == index]
        current = [a for a in mine if a.run == latest]
        if question.kind == "text":
            comments = sorted(a.comment for a in current if a.comment)
            visible = comments if len(comments) >= threshold(comments_min) else None
            common = [f"{word} ({n})" for word, n in themes(visible or [], language)]
            reports.append(QuestionReport(question, None, [], visible, common, []))
            continue
        values = [a.value for a in current if a.value is not None]
        groups: list[GroupResult] = []
        if by_department:
            by_group: dict[str, list[Value]] = {}
            for a in current:
                if a.value is not None:
                    by_group.setdefault(a.department or NO_DEPARTMENT, []).append(a.value)
            groups = breakdown(question, by_group, scores_min)
        trend = [
            (
                runs[i].label,
                shown(
                    question,
                    [a.value for a in mine if a.run == i and a.value is not None],
                    scores_min,
                ),
            )
            for i in closed
        ]
        reports.append(
            QuestionReport(question, shown(question, values, scores_min), groups, None, [], trend)
        )
    run = runs[latest]
    return Report(run, open_run, participation(run.responded, run.invited), reports)


# The export is data for sheets and scripts: its columns and values read the same in every
# language; only the survey's own texts (prompts, choices) are its reader's (render.export).
CSV_HEADER = ("run", "question", "group", "answers", "mean", "enps", "distribution")


@dataclass(frozen=True)
class ExportRow:
    run: str
    question: QuestionSpec
    group: str
    summary: Summary | None  # None: not enough responses to show this group


def export_rows(
    questions: Sequence[QuestionSpec],
    runs: Sequence[RunFacts],
    answers: Sequence[AnswerFacts],
    scores_min: int,
) -> list[ExportRow]:
    """Aggregates of every closed run, overall and by department, under the same rules as
    the chat results; free-text answers are never exported."""
    rows: list[ExportRow] = []
    for index, run in enumerate(runs):
        if not run.closed:
            continue
        for number, question in enumerate(questions):
            if question.kind == "text":
                continue
            mine = [a for a in answers if a.run == index and a.question == number]
            by_group: dict[str, list[Value]] = {}
            for a in mine:
                if a.value is not None:
                    by_group.setdefault(a.department or NO_DEPARTMENT, []).append(a.value)
            overall = shown(question, [v for vs in by_group.values() for v in vs], scores_min)
            groups = breakdown(question, by_group, scores_min) if overall else []
            for name, summary in [("all", overall), *((g.name, g.summary) for g in groups)]:
                rows.append(ExportRow(run.label, question, name, summary))
    return rows


def csv_row(row: ExportRow) -> tuple[str, ...]:
    run, prompt, group, summary = row.run, row.question.prompt, row.group, row.summary
    if summary is None:
        return (run, prompt, group, "not enough responses", "", "", "")  # not translated: data
    spread = " ".join(f"{k}:{v}" for k, v in summary.distribution.items())
    mean = "" if summary.mean is None else f"{summary.mean:.2f}"
    enps_text = "" if summary.enps is None else str(summary.enps)
    return (run, prompt, group, str(summary.n), mean, enps_text, spread)
