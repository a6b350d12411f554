"""Text with characters that can't be stored (lone surrogates) gets a clear reply, once, in
the core, before any handler sees it."""

from sqlmodel import select

from bot.wiring.assembly import Assembly
from handlers.kudos.tables import Kudos
from tests.handlers.conftest import Talk


async def test_a_lone_surrogate_is_refused_in_plain_words(talk: Talk, rapport: Assembly) -> None:
    out = await talk("ann in #general: /kudos @bob thanks for the \ud800 great demo")
    assert "has a character I can't read" in out
    assert "something went wrong" not in out
    out = await talk("eve in #general: /idea Bike \udfff parking in the garage")
    assert "has a character I can't read" in out
    async with rapport.db.session() as session:
        assert not (await session.exec(select(Kudos))).all()
    out = await talk("ann in #general: /kudos @bob thanks for the great demo")
    assert "something went wrong" not in out and "can't read" not in out
