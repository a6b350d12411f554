from collections.abc import Awaitable, Callable

import pytest

from bot.wiring.assembly import Assembly

Talk = Callable[[str], Awaitable[str]]


@pytest.fixture
def talk(rapport: Assembly) -> Talk:
    """Run transcript lines through the local platform; return everything printed."""

    async def run(script: str) -> str:
        return "\n".join(await rapport.shell.run_script(script))

    return run
