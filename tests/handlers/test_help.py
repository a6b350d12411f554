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


async def test_every_command_works_after_rapport(talk: Talk) -> None:
    out = await talk("ann in #general: /rapport kudos @bob thanks for the demo")
    assert "[#kudos]" in out and "@ann gave kudos to @bob: thanks for the demo" in out
    assert "/pulse new" in await talk("bob in #general: /rapport pulse help")
    assert "I don't know `/rapport /rapport`" in await talk("bob in #general: /rapport /rapport")
    unknown = await talk("bob in #general: /rapport kudoz @ann thanks")
    assert "I don't know `/rapport kudoz`" in unknown
    out = await talk("bob in #general: /rapport help")
    assert "`/help`" not in out and "like `/rapport kudos @name thanks`" in out


async def test_the_overview_speaks_the_askers_language(talk: Talk) -> None:
    await talk("bob in #general: /rapport settings language es")
    out = await talk("bob in #general: /rapport help")
    assert "Hola, soy Rapport. Esto es lo que puedo hacer:" in out
    assert "• `/help`" not in out and "`/rapport settings" in out
    assert "No conozco el comando `/kudoz`." in await talk("bob in #general: /kudoz")
