"""Pulse in each reader's language: the survey, the answers' receipts, HR's replies, the
closing notice and results posted in a channel (the workspace's language).

Demo workspace: ann is admin, cara HR; nobody's platform has said a language.
"""

from tests.handlers.conftest import Talk

SURVEY = (
    "cara in #hr: /pulse new\n"
    'cara submits pulse.new title="Weekly pulse" questions="scale: How was your week?" '
    "audience=everyone schedule=once timezone=Europe/London anonymous=yes close=1\n"
)


async def test_each_reader_gets_pulse_in_their_own_language(talk: Talk) -> None:
    await talk(
        "ann in #general: /rapport settings workspace-language es\n"
        "ann in #general: /rapport settings language en\n"
        "user cara lang=de\n"
        "user dan lang=fr-FR\n"
        "bob in #general: /rapport settings language ja\n"
    )
    out = await talk(SURVEY)
    assert "Die Pulse-Umfrage #1 „Weekly pulse“ ist geplant (once, Europe/London)" in out
    assert "für alle: 1 Frage, anonym, endet 1 Tag nach dem Start jeder Runde." in out
    assert "📋 Pulse survey: Weekly pulse. Open until Tue 05 Jan 09:00 GMT." in out
    assert "📋 Enquête pulse : Weekly pulse. Ouverte jusqu'au mar. 5 janv. 10:00 CET." in out
    assert "📋 パルスサーベイ：Weekly pulse。1月5日(火) 09:00 GMT まで回答できます。" in out

    out = await talk("bob clicks pulse.answer 1:0:4\ndan clicks pulse.answer 1:0:4")
    assert "✓ 回答済み（お名前なしで保存されているため、ここには表示されません）" in out
    assert "Tout est répondu. Merci !" in out
    out = await talk("dan clicks pulse.answer 1:0:5")
    assert "Vous avez déjà répondu à la question 1" in out

    for person in ("ann", "eve", "fay"):
        await talk(f"{person} clicks pulse.answer 1:0:3")
    out = await talk("advance 1d")
    assert "Die Pulse-Umfrage #1 „Weekly pulse“ ist beendet: 5 von 6 Personen haben" in out

    out = await talk("cara in #hr: /pulse results 1")
    assert "Beteiligung: 83\u00a0%" in out
    assert "5 Antworten, Mittelwert 3,40" in out
    out = await talk("cara clicks pulse.share 1:general:")
    assert "[#general]" in out
    assert "Resultados de la encuesta pulse #1 «Weekly pulse»" in out
    assert "5 respuestas, media 3,40" in out
    assert "Die Ergebnisse der Pulse-Umfrage #1 wurden in #general gepostet." in out


async def test_refusals_and_help_speak_the_askers_language(talk: Talk) -> None:
    await talk("user cara lang=ja\nuser bob lang=es")
    out = await talk(
        "cara in #hr: /pulse new\n"
        'cara submits pulse.new title="調" questions="scale: 調子は？" audience="#開発" '
        "schedule=once close=cinco\n"
    )
    assert "3 文字以上で入力してください（中国語・日本語・韓国語は 2 文字以上）" in out
    assert "日数を整数で指定してください（例：5）。" in out
    out = await talk(
        'cara submits pulse.new title="調査" questions="scale: 調子は？" audience="#開発" '
        "schedule=once close=5\n"
    )
    assert "#開発 で投稿した人をまだ確認できていないため" in out
    out = await talk("bob in #general: /pulse help")
    assert "*Encuestas pulse*: preguntas breves y periódicas" in out
    assert "dejar de recibir recordatorios" in out
    out = await talk("bob in #general: /pulse optout")
    assert "Ya no recibirás recordatorios de pulse." in out
