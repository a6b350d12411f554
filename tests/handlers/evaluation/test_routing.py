"""The routing evaluation without chat: learning the weights, the replay of a tiny
StackExchange dump, and `rapport eval routing`."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.wiring import cli
from handlers.evaluation import routing_report
from handlers.evaluation.learning import Choice, fit


def test_weights_are_fitted_to_the_choices_history_made() -> None:
    """Whoever was chosen had answered the asker before; activity says nothing: the fit puts
    its weight on the asker, keeps idleness non-positive and leaves meaning unfitted."""
    choices = []
    for n in range(12):
        rows = {
            f"p{k}": {"asker": float(k == n % 4), "activity": float((k + n) % 3)} for k in range(4)
        }
        choices.append(Choice(rows, f"p{n % 4}"))
    choices.append(Choice({"x": {"asker": 1.0}}, "nobody"))  # teaches nothing
    weights = fit(choices)
    assert weights["asker"] > 1.0 and abs(weights["activity"]) < weights["asker"] / 4
    assert weights["idle"] <= 0 and "meaning" not in weights
    assert fit([]) == dict.fromkeys(weights, 0.0)


def _dump(folder: Path) -> Path:
    """A tiny StackExchange dump: alpha and beta specialists, and a busy gamma answerer."""
    rows = []
    topics = [
        "alpha",
        "alpha",
        "beta",
        "gamma",
        "gamma",
        "gamma",
        "gamma",
        "alpha",
        "beta",
        "gamma",
    ]
    experts = {"alpha": 2, "beta": 3, "gamma": 4}
    for n, tag in enumerate(topics, start=1):
        asked = f"2018-03-{n:02d}T10:00:00.000"
        answered = f"2018-03-{n:02d}T12:00:00.000"
        accepted = f' AcceptedAnswerId="{100 + n}"' if n in (8, 9) else ""
        rows.append(
            f'<row Id="{n}" PostTypeId="1"{accepted} CreationDate="{asked}" OwnerUserId="5" '
            f'Title="{tag} question {n}" Body="&lt;p&gt;about {tag} things&lt;/p&gt;" '
            f'Tags="&lt;{tag}&gt;" />'
        )
        rows.append(
            f'<row Id="{100 + n}" PostTypeId="2" ParentId="{n}" CreationDate="{answered}" '
            f'OwnerUserId="{experts[tag]}" Body="an answer" />'
        )
    (folder / "Posts.xml").write_text("<posts>\n" + "\n".join(rows) + "\n</posts>")
    comment = '<row Id="1" PostId="101" CreationDate="2018-03-01T13:00:00.000" UserId="3" />'
    (folder / "Comments.xml").write_text(f"<comments>{comment}</comments>")
    tags = "".join(f'<row Id="{i}" TagName="{t}" />' for i, t in enumerate(experts))
    (folder / "Tags.xml").write_text(f"<tags>{tags}</tags>")
    return folder


def test_routing_replay_measures_router_and_baselines(tmp_path: Path) -> None:
    figures = routing_report.report(_dump(tmp_path), half_life_days=180)
    assert figures["history_answers"] == 7 and figures["test_questions"] == 2
    assert figures["router"] == {
        "hit@1": 1.0,
        "hit@3": 1.0,
        "hit@5": 1.0,
        "hit@10": 1.0,
        "mrr": 1.0,
        "load_spread": 0.5,
    }
    online = figures["online"]
    assert isinstance(online, dict) and online["router"] == figures["router"]
    chosen = figures["chosen_on_history"]
    assert isinstance(chosen, dict) and set(chosen) == {
        "half_life_days",
        "workload_rule_share",
        "weights",
    }
    # The busy gamma answerer comes first for everything: alpha's expert second, beta's third.
    most_active = figures["most_active"]
    assert isinstance(most_active, dict)
    assert most_active["hit@1"] == 0.0 and most_active["mrr"] == pytest.approx(0.417, abs=1e-3)
    assert most_active["load_spread"] == 1.0
    # One order for both questions, even chosen knowing the answers, misses one of them.
    ceilings = figures["ceilings"]
    assert isinstance(ceilings, dict)
    assert ceilings["best_single_order"]["mrr"] == 0.75
    assert ceilings["best_single_order"]["load_spread"] == 1.0
    assert ceilings["weights_fitted_on_test_answers"]["static"]["mrr"] == 1.0


def test_rapport_eval_routing_prints_json_or_says_what_is_wrong(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli.app, ["eval", "routing", "--stackexchange", str(_dump(tmp_path))])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["router"]["mrr"] == 1.0
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(cli.app, ["eval", "routing", "--stackexchange", str(empty)])
    assert result.exit_code == 1 and "has no Posts.xml or Tags.xml" in result.output
    (tmp_path / "Posts.xml").write_text("<posts><row Id=")
    result = runner.invoke(cli.app, ["eval", "routing", "--stackexchange", str(tmp_path)])
    assert result.exit_code == 1 and "could not read the dump" in result.output
