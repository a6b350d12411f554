"""Text matching in other languages, as conversations: a duplicate idea in French, a similar
answered question in German, topics and company values in Japanese.

Demo workspace (START is Monday 2027-01-04 09:00 UTC): ann is admin; bob, cara, dan, eve and
fay are members. Unless a test sets one, nobody has a language, so each text's language is
guessed from its words.
"""

from sqlmodel import select

from bot.wiring.assembly import Assembly
from handlers.kudos.tables import CompanyValue
from handlers.qa.tables import Question
from tests.handlers.conftest import Talk
from tests.handlers.qa.test_conversations import sent_to


async def test_a_french_idea_in_the_plural_finds_its_duplicate_in_the_singular(
    talk: Talk,
) -> None:
    await talk("bob in #general: /idea Des vélos de service — pour aller chez les clients")
    out = await talk("eve in #general: /idea Un vélo de service pour l'équipe")
    assert "is yours one of these?" in out
    assert "• #1 Des vélos de service (0 votes, 🆕 new)" in out
    out = await talk("fay in #general: /idea Des places de parking pour les motos")
    assert "is yours one of these?" not in out and "[#ideas]" in out


async def test_a_french_speaker_s_short_idea_is_read_as_french(talk: Talk) -> None:
    await talk("bob in #general: /idea Des bureaux debout — pour le deuxième étage")
    # No stop word says "Nouveaux bureaux debout" is French: fay's language does.
    out = await talk("user fay lang=fr\nfay in #general: /idea Nouveaux bureaux debout")
    assert "#1 Des bureaux debout" in out and "[#ideas]" not in out


async def test_a_german_question_is_answered_by_one_asked_in_other_words(talk: Talk) -> None:
    await talk(
        "bob in #general: /expert add gehalt\n"
        "ann in #general: /ask Wann wird das Gehalt im Dezember ausgezahlt?\n"
        "bob clicks qa.claim 1\n"
        "bob dm: /answer 1 Am 20. Dezember, vor den Feiertagen.\n"
        "ann clicks qa.accept 1\n"
    )
    out = await talk("fay in #general: /ask Werden die Gehälter im Dezember früher ausgezahlt?")
    assert "Before I ask the experts" in out
    assert "#1 “Wann wird das Gehalt im Dezember ausgezahlt?”" in out
    assert "Am 20. Dezember, vor den Feiertagen." in out
    assert not sent_to(out, "dm @bob")
    out = await talk("eve in #general: /ask Wo steht der Fahrradkeller?")
    assert "Before I ask the experts" not in out


async def test_a_japanese_topic_is_accepted_and_found_in_a_question(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk("bob in #general: /expert add 育児休暇, 経費精算")
    assert "育児休暇" in out and "経費精算" in out and "is not a topic" not in out
    out = await talk("ann in #general: /ask 育児休暇の申請はいつまでに出せばいいですか?")
    assert "Your question #1 went to 1 expert" in out
    (dm,) = sent_to(out, "dm @bob")
    assert "Can you answer question #1 (#育児休暇)?" in dm
    async with rapport.db.session() as session:
        asked = (await session.exec(select(Question))).one()
    assert asked.topics == ["育児休暇"]
    out = await talk("eve in #general: /expert list 育児休暇")
    assert "Experts on #育児休暇:" in out and "Bob" in out


async def test_a_company_value_in_japanese_tags_kudos(talk: Talk, rapport: Assembly) -> None:
    out = await talk("ann in #general: /kudos values add チームワーク 助け合い")
    assert "Added #チームワーク" in out
    out = await talk("bob in #general: /kudos @cara 新人研修の準備をありがとう! #チームワーク")
    assert "gave kudos to @cara" in out
    out = await talk("ann in #general: /kudos values add 2026年 数字から始まる")
    assert "A value is one word of letters" in out
    async with rapport.db.session() as session:
        values = (await session.exec(select(CompanyValue.tag))).all()
    assert "チームワーク" in values and "2026年" not in values
