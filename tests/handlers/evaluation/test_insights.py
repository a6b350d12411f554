"""The StackExchange validation on a tiny hand-written dump, and its CLI."""

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.wiring import cli
from handlers.evaluation.insights import report


def dump(folder: Path) -> Path:
    """Questions by 5 (tag alpha) and 6 (tag beta); 2 answers alpha, 3 beta, and 4 answers
    both, with one accepted answer each for 2 and 3; 7 comments on everything."""
    posts = []
    answers = [(101, 1, 2, True), (102, 1, 4, False), (103, 2, 3, True), (104, 2, 4, False)]
    for question, owner, tag in [(1, 5, "alpha"), (2, 6, "beta")]:
        accepted = next(a for a, q, _, ok in answers if q == question and ok)
        posts.append(
            f'<row Id="{question}" PostTypeId="1" AcceptedAnswerId="{accepted}" '
            f'CreationDate="2018-03-0{question}T10:00:00.000" OwnerUserId="{owner}" '
            f'Title="q" Body="b" Tags="&lt;{tag}&gt;" />'
        )
    for answer, question, owner, _ in answers:
        posts.append(
            f'<row Id="{answer}" PostTypeId="2" ParentId="{question}" '
            f'CreationDate="2018-03-0{question}T12:00:00.000" OwnerUserId="{owner}" Body="a" />'
        )
    (folder / "Posts.xml").write_text("<posts>" + "".join(posts) + "</posts>")
    comments = "".join(
        f'<row Id="{i}" PostId="{post}" CreationDate="2018-03-03T10:00:00.000" UserId="7" '
        'Text="nice" />'
        for i, post in enumerate([1, 2, 101, 103, 104])
    )
    (folder / "Comments.xml").write_text(f"<comments>{comments}</comments>")
    users = "".join(f'<row Id="{i}" DisplayName="user {i}" />' for i in range(2, 8))
    (folder / "Users.xml").write_text(f"<users>{users}</users>")
    return folder


def test_mavens_from_accepted_answers_against_top_answerers(tmp_path: Path) -> None:
    figures = report(dump(tmp_path))
    assert figures["edges"] == 9 and figures["accepted_answer_edges"] == 2
    # 4 answered most but was never accepted: the mavens are 2 and 3.
    assert figures["top_mavens"] == [["user 2", 1, 1], ["user 3", 1, 1]]
    assert figures["top_answerers"][0] == ["user 4", 2]
    assert figures["mavens_among_top_answerers"] == 2
    # The commenter touches both topics and everyone: the bridge.
    assert figures["top_connectors"][0][0] == "user 7"


def test_rapport_eval_insights_prints_json_or_says_what_is_wrong(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli.app, ["eval", "insights", "--stackexchange", str(dump(tmp_path))])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["mavens_among_top_answerers"] == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(cli.app, ["eval", "insights", "--stackexchange", str(empty)])
    assert result.exit_code == 1 and "has no Posts.xml" in result.output
    (tmp_path / "Comments.xml").write_text("<comments><row Id=")
    result = runner.invoke(cli.app, ["eval", "insights", "--stackexchange", str(tmp_path)])
    assert result.exit_code == 1 and "could not read the dump" in result.output
