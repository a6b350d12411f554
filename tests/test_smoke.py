from bot.wiring.assembly import Assembly


async def test_kudos_round_trip(rapport: Assembly) -> None:
    lines = await rapport.shell.execute("ann in #general: /kudos @bob thanks for the great demo")
    assert any(line.startswith("[#kudos]") for line in lines)
