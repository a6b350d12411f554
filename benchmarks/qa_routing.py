"""Routing quality of the Q&A expert ranking on a real StackExchange dump.

    .venv/bin/python -m benchmarks.qa_routing [DUMP_DIR]

The same replay as `rapport eval routing --stackexchange DIR`: handlers.evaluation.routing
describes the protocol and the figures; the last results are in benchmarks/README.md.
"""

import json
import sys
from pathlib import Path

from handlers.evaluation.routing_report import report
from handlers.qa.settings import QaSettings

DEFAULT_DUMP = (
    Path(__file__).resolve().parents[2] / "shared/data/stackexchange-quantumcomputing-2018"
)


def main(argv: list[str]) -> None:
    dump = Path(argv[1]) if len(argv) > 1 else DEFAULT_DUMP
    half_life = QaSettings().expertise_half_life_days
    print(json.dumps(report(dump, half_life), indent=2))


if __name__ == "__main__":
    main(sys.argv)
