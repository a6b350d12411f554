"""Mentoring speaks each reader's language: replies the actor's, DMs the recipient's, the
introduction (a group DM) the workspace's."""

from tests.handlers.conftest import Talk
from tests.handlers.test_mentoring import ROUND, button, profile


async def test_each_reader_gets_their_language(talk: Talk) -> None:
    out = await talk("user cara lang=fr\ncara dm: /mentor me")
    assert "Vous n'avez pas encore de profil de mentorat. `/mentor` ouvre le formulaire." in out
    out = await talk(
        "user dan lang=ja\n"
        + profile("dan", "mentor", "python, sql", capacity="2")
        + profile("cara", "mentee", goals="python")
        + ROUND
    )
    assert "C'est enregistré." in out
    assert "保存しました。次のラウンドでマッチします。" in out
    assert "Meet each other: @dan (Dan Okafor) will mentor @cara (Cara Diaz)." in out
    pair = button(out, "mentor.decline")
    out = await talk(f"dan clicks mentor.decline {pair}")
    assert "辞退しました。" in out  # dan's own answer, in Japanese
    assert (
        "[dm @cara] (m" in out
        and "Dan Okafor ne peut pas donner suite à ce binôme de mentorat." in out
    )


async def test_plurals_and_lists_follow_the_language(talk: Talk) -> None:
    out = await talk(
        "user dan lang=de\n"
        + profile("dan", "mentor", "python, sql, führung", capacity="1")
        + "dan dm: /mentor me"
    )
    assert "Angebotene Fähigkeiten: python, sql und führung" in out
    assert "Kapazität: 1 Mentee gleichzeitig" in out
    out = await talk("user eve lang=es\neve in #general: /mentor help")
    assert "cada 14 días" in out
