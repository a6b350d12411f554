"""LOG_FORMAT=console: each line written by rich on stderr, with the level, the time and the
replica's prefix, rich loaded for the first line (tests/test_lean_start.py: not before)."""

import logging

import pytest

from bot.observe.console_logs import ConsoleHandler


def test_a_line_is_written_by_rich_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    handler = ConsoleHandler()
    handler.setFormatter(logging.Formatter("[replica-1] %(message)s"))
    logger = logging.getLogger("tests.console_logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("outbox paused for %s", "slack")
        logger.warning("outbox resumed")
    finally:
        logger.removeHandler(handler)
    written = capsys.readouterr()
    assert written.out == ""
    lines = written.err.splitlines()
    assert len(lines) == 2
    assert "WARNING" in lines[0]
    assert lines[0].rstrip().endswith("[replica-1] outbox paused for slack")
    assert lines[1].rstrip().endswith("[replica-1] outbox resumed")
