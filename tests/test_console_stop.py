"""The local console when the server stops: a line under way finishes, it is not cut."""

import asyncio
import logging
from types import SimpleNamespace

import pytest

from bot.wiring import serve


class SlowShell:
    """A shell whose line runs until the test releases it, as a query under way would."""

    def __init__(self, fails: bool = False) -> None:
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.finished = False
        self.fails = fails

    async def execute(self, line: str) -> None:
        self.started.set()
        await self.release.wait()
        self.finished = True
        if self.fails:
            raise RuntimeError("the database stayed busy")


async def test_a_line_under_way_when_the_server_stops_is_let_finish() -> None:
    shell = SlowShell()
    line = asyncio.create_task(serve._console_line(SimpleNamespace(shell=shell), "ann: /kudos"))  # type: ignore[arg-type]
    await shell.started.wait()
    line.cancel()  # the server stops: its clients are cancelled
    await asyncio.sleep(0)
    assert not shell.finished
    shell.release.set()
    with pytest.raises(asyncio.CancelledError):
        await line
    assert shell.finished


async def test_a_line_that_fails_while_stopping_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    shell = SlowShell(fails=True)
    line = asyncio.create_task(serve._console_line(SimpleNamespace(shell=shell), "ann: /kudos"))  # type: ignore[arg-type]
    await shell.started.wait()
    line.cancel()
    shell.release.set()
    with caplog.at_level(logging.ERROR), pytest.raises(asyncio.CancelledError):
        await line
    failures = [r for r in caplog.records if "console line failed" in r.getMessage()]
    assert len(failures) == 1


async def test_a_line_that_fails_is_logged_and_the_console_reads_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    shell = SlowShell(fails=True)
    shell.release.set()
    with caplog.at_level(logging.ERROR):
        await serve._console_line(SimpleNamespace(shell=shell), "ann: /kudos")  # type: ignore[arg-type]
    assert [r.getMessage() for r in caplog.records] == [
        "a console line failed; the console reads on"
    ]
