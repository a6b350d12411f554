"""The insights metrics on a real interaction network: a StackExchange dump.

    .venv/bin/python -m benchmarks.insights_validation [DUMP_DIR]

The same run as `rapport eval insights --stackexchange DIR`: handlers.evaluation.insights
describes the mapping and the check; the last results are in benchmarks/README.md.
"""

import json
import sys
from pathlib import Path

from handlers.evaluation.insights import report

DEFAULT_DUMP = (
    Path(__file__).resolve().parents[2] / "shared/data/stackexchange-quantumcomputing-2018"
)


def main(argv: list[str]) -> None:
    dump = Path(argv[1]) if len(argv) > 1 else DEFAULT_DUMP
    print(json.dumps(report(dump), indent=2))


if __name__ == "__main__":
    main(sys.argv)
