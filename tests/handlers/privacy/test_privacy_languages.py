"""Erasure, export and the audit log speak the reader's language (handlers/privacy/locale);
the export file's keys stay the same in every language."""

from tests.handlers.conftest import Talk


async def test_forget_me_asks_in_the_readers_language(talk: Talk) -> None:
    out = await talk("user cara lang=fr\ncara dm: /rapport forget-me")
    assert "Effacer tout ce que Rapport conserve sur vous ?" in out
    assert "Impossible de revenir en arrière." in out


async def test_an_admin_is_refused_in_their_language(talk: Talk) -> None:
    out = await talk("user ann lang=ja\nann in #general: /rapport forget")
    assert "使い方：`/rapport forget @名前`（1 人ずつ）。" in out


async def test_the_export_summary_is_german_and_the_file_is_not(talk: Talk) -> None:
    out = await talk("user eva lang=de\neva in #general: /rapport my-data")
    assert "Ich habe dir per DM alles geschickt, was ich über dich speichere." in out
    assert "Was Rapport über" in out
    assert "[file: rapport-my-data-" in out
