"""The insights speak their reader's language: the fairness report the asker's."""

from tests.handlers.conftest import Talk


async def test_the_fairness_report_in_the_asker_language(talk: Talk) -> None:
    out = await talk(
        "bob in #general: /kudos @eve merci pour la démo\n"
        "user dan lang=fr\ndan in #general: /rapport fairness 2"
    )
    assert "*Équité de la reconnaissance*, du " in out and "(2 semaines, 1 kudos)" in out
    assert "*Par service* (reçus par rapport à sa part de l'effectif) :" in out
    out = await talk("user dan lang=ja\ndan in #general: /rapport fairness 99")
    assert "週数は 1 から 26 までで指定してください" in out
