"""`/rapport help`: every command and every `/rapport` part, in one message."""

import re

from tests.handlers.conftest import Talk


async def test_rapport_help_is_one_complete_message(talk: Talk) -> None:
    out = await talk("bob in #general: /rapport help")
    assert len(re.findall(r"^\[.*?\] \(m\d+\)", out, re.MULTILINE)) == 1, out
    for command in ("kudos", "pulse", "idea", "ask", "rapport"):
        assert f"• `/{command}`" in out
    for part in (
        "settings",
        "roles",
        "role grant",
        "my-data",
        "forget-me",
        "forget @name",
        "audit",
        "digest",
        "dashboard",
        "fairness",
    ):
        assert f"`/rapport {part}" in out, part
    assert "| preview]`: the weekly digest" in out
