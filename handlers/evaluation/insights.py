"""The insights metrics on a real network: a StackExchange dump's answers and comments.

Mapping: an accepted answer is an `answer` edge (answerer -> asker), as in chat, where only an
accepted answer is recorded; any other answer, and every comment (commenter -> the owner of
the post), is a `reply`. A user's department is the tag they touched most (on questions they
asked, answered or commented on), so connectors are people who bridge topic communities.
Self-answers and self-comments are not interactions. The whole dump is one window.

The check: mavens come only from accepted answers; how many of the top 10 are among the top
10 answerers by answers posted (accepted or not)?
"""

import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from handlers.evaluation.routing import Post, load_posts
from handlers.insights.graph import EdgeRow, Member
from handlers.insights.metrics import compute_insights
from handlers.qa.history import ANSWER, REPLY

TOP = 10
# Fewer sources than people, to see what sampling changes on a real network.
SAMPLES = 100


def load_comments(dump: Path) -> list[tuple[int, int, datetime]]:
    """(post id, commenter, when) for every comment with a known author (the Q&A replay
    reads only posts)."""
    found = []
    for _, row in ElementTree.iterparse(dump / "Comments.xml"):
        if row.tag == "row" and row.attrib.get("UserId"):
            a = row.attrib
            when = datetime.fromisoformat(a["CreationDate"]).replace(tzinfo=UTC)
            found.append((int(a["PostId"]), int(a["UserId"]), when))
        row.clear()
    return found


def load_names(dump: Path) -> dict[int, str]:
    names = {}
    for _, row in ElementTree.iterparse(dump / "Users.xml"):
        if row.tag == "row":
            names[int(row.attrib["Id"])] = row.attrib.get("DisplayName", "")
        row.clear()
    return names


def network(
    posts: list[Post], comments: list[tuple[int, int, datetime]]
) -> tuple[list[EdgeRow], Counter[tuple[int, str]]]:
    """The edges, and how often each user touched each tag."""
    by_id = {p.id: p for p in posts}
    accepted = {p.accepted for p in posts if p.kind == 1 and p.accepted}
    edges: list[EdgeRow] = []
    touched: Counter[tuple[int, str]] = Counter()

    def question_of(post: Post) -> Post | None:
        return by_id.get(post.parent or -1) if post.kind == 2 else post

    for post in posts:
        question = question_of(post)
        if post.owner and question is not None:
            touched.update((post.owner, tag) for tag in question.tags)
        if post.kind == 2 and post.owner and question is not None and question.owner:
            kind = ANSWER if post.id in accepted else REPLY
            edges.append((post.owner, question.owner, kind, 1.0, post.at))
    for post_id, author, when in comments:
        commented = by_id.get(post_id)
        if commented is None:
            continue
        question = question_of(commented)
        if question is not None:
            touched.update((author, tag) for tag in question.tags)
        if commented.owner:
            edges.append((author, commented.owner, REPLY, 1.0, when))
    return edges, touched


def departments(touched: Counter[tuple[int, str]]) -> dict[int, str]:
    best: dict[int, tuple[int, str]] = {}
    for (user, tag), count in touched.items():
        if user not in best or (count, tag) > best[user]:
            best[user] = (count, tag)
    return {user: tag for user, (_, tag) in best.items()}


def report(dump: Path) -> dict[str, object]:
    posts = load_posts(dump)
    edges, touched = network(posts, load_comments(dump))
    names = load_names(dump)
    topic = departments(touched)
    people = sorted({s for s, *_ in edges} | {t for _, t, *_ in edges})
    members = [Member(p, names.get(p, str(p)), topic.get(p)) for p in people]
    start = min(e[4] for e in edges)
    end = max(e[4] for e in edges) + timedelta(seconds=1)
    began = time.perf_counter()
    insights = compute_insights(edges, members, start, end, samples=None)
    seconds = time.perf_counter() - began
    sampled = compute_insights(edges, members, start, end, samples=SAMPLES)
    answers = Counter(p.owner for p in posts if p.kind == 2 and p.owner)
    answerers = [u for u, _ in sorted(answers.items(), key=lambda a: (-a[1], a[0]))[:TOP]]
    mavens = [m.person_id for m in insights.mavens(TOP)]
    community = insights.community
    return {
        "dump": dump.name,
        "people": len(members),
        "edges": len(edges),
        "accepted_answer_edges": community.by_kind.get(ANSWER, 0),
        "ties": community.ties,
        "reciprocity": round(community.reciprocity, 3),
        "cross_topic_share": round(community.cross_department_share, 3),
        "seconds": round(seconds, 3),
        "top_answerers": [[names.get(u, str(u)), answers[u]] for u in answerers],
        "top_mavens": [
            [m.name, m.answers_given, answers[m.person_id]] for m in insights.mavens(TOP)
        ],
        "mavens_among_top_answerers": len(set(mavens) & set(answerers)),
        "top_connectors": [
            [c.name, c.department, round(c.betweenness, 4), c.cross_department_ties]
            for c in insights.connectors(TOP)
        ],
        "connectors_sampled_vs_exact": len(
            {c.person_id for c in insights.connectors(TOP)}
            & {c.person_id for c in sampled.connectors(TOP)}
        ),
        "connectors_among_top_answerers": len(
            {c.person_id for c in insights.connectors(TOP)} & set(answerers)
        ),
        "isolated_in_last_4_weeks": len(insights.isolated),
    }
