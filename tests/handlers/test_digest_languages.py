"""The digest speaks the workspace's language in its channels, and each community manager's
own in their DM."""

from tests.handlers.conftest import Talk
from tests.handlers.test_digest import block


async def test_channel_in_the_workspace_language_dm_in_the_manager_language(talk: Talk) -> None:
    await talk(
        "advance 1m\n"
        "ann in #general: /rapport settings workspace-language de\n"
        "user dan lang=ja\n"
        "dan in #general: /rapport digest channels #community\n"
        "ann in #general: /kudos @bob danke für die Demo\n"
    )
    out = await talk("advance 7d")
    posted = block(out, "#community")
    assert "📰 Wöchentlicher Digest, 04.01.2027 – 11.01.2027" in posted
    assert "Diese Woche: 1 Kudos" in posted
    assert "*Im Vergleich zur Vorwoche*:" in posted
    private = block(out, "dm @dan", "コミュニティマネージャー")
    assert "*コミュニティマネージャー限定、2027/01/04～2027/01/11。*" in private
    assert "ダイジェストは #community に投稿されました。" in private


async def test_settings_answer_in_the_asker_language(talk: Talk) -> None:
    out = await talk(
        "user dan lang=fr\ndan in #general: /rapport digest at vendredi 16:30\n"
        "dan in #general: /rapport digest at fri 16:30"
    )
    assert "le jour doit être l'un de mon, tue, wed, thu, fri, sat, sun" in out
    assert "Digest hebdomadaire : activé, publié dans aucun canal le vendredi à 16:30" in out
