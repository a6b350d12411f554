"""Coffee pairing speaks each reader's language: replies the actor's, the introduction (a
group DM) the workspace's."""

from tests.handlers.coffee.test_coffee import join
from tests.handlers.conftest import Talk


async def test_the_introduction_speaks_the_workspace_language(talk: Talk) -> None:
    out = await talk(
        "ann in #general: /rapport settings workspace-language ja\n"
        + join("ann", "bob")
        + "ann in #general: /coffee now\nadvance 1h"
    )
    assert "☕ コーヒータイム！今回のラウンドでは @ann（Engineering）、@bob（Engineering）" in out
    assert "[会えた] coffee.met" in out


async def test_replies_speak_the_actor_language(talk: Talk) -> None:
    out = await talk(
        "user eve lang=es\neve in #general: /coffee join\neve in #general: /coffee snooze 2w"
    )
    assert "¡Dentro! Te emparejaremos para un café en cada ronda." in out
    assert "En pausa: sin cafés en pareja hasta el lunes, 18 de enero de 2027." in out
    out = await talk("user fay lang=de\nfay in #general: /coffee snooze 1y")
    assert "Pausiere für Tage oder Wochen" in out
