"""Terms for matching, per language: stop words, Snowball stems, Chinese and Japanese pairs."""

import pytest

from bot.kit.tokenizing import shared_language, terms, text_language


@pytest.mark.parametrize(
    ("language", "one", "other"),
    [
        ("en", "The meetings we have", "a meeting"),
        ("fr", "Des vélos pour l'équipe", "un vélo de l'équipe"),
        ("de", "Fahrräder für alle Teams", "ein Fahrrad für das Team"),
        ("es", "Las bicicletas de la oficina", "una bicicleta en la oficina"),
        ("it", "Le biciclette dell'ufficio", "una bicicletta per l'ufficio"),
        ("pt", "As bicicletas são do escritório", "uma bicicleta no escritório"),
        ("nl", "De vergaderingen van het kantoor", "een vergadering in de kantoren"),
        ("ru", "Велосипеды для офиса", "велосипед в офисе"),
    ],
)
def test_inflected_forms_are_one_term_in_each_language(language: str, one: str, other: str) -> None:
    assert text_language(one) == language and text_language(other) == language
    assert terms(one) == terms(other)
    assert terms(one, language) == terms(one)


@pytest.mark.parametrize(
    ("text", "language", "wanted"),
    [
        ("vélos", "fr", ["velo"]),
        ("vélo", "fr", ["velo"]),
        ("velo", "fr", ["velo"]),
        ("Fahrräder", "de", ["fahrrad"]),
        ("Fahrrad", "de", ["fahrrad"]),
        ("Meetings and the meeting", None, ["meet", "meet"]),
        ("c++ and c# jobs", None, ["c++", "c#", "job"]),
        ("ＡＰＩ keys", None, ["api", "key"]),
    ],
)
def test_words_are_stemmed_and_folded(text: str, language: str | None, wanted: list[str]) -> None:
    assert terms(text, language) == wanted


def test_japanese_is_cut_into_pairs_without_particles_or_verb_endings() -> None:
    assert terms("会議室を予約したい") == ["会議", "議室", "予約"]
    # "会議" alone is one of the pairs of "会議室", so the shorter text finds the longer.
    assert set(terms("会議の予約")) <= set(terms("会議室を予約したい"))
    assert terms("ミーティング") == ["ミー", "ーテ", "ティ", "ィン", "ング"]


def test_chinese_is_cut_into_pairs_at_its_function_characters() -> None:
    assert terms("会议室的预订") == ["会议", "议室", "预订"]
    assert text_language("会议室的预订") == "zh"


def test_kanji_alone_reads_as_japanese_when_the_writer_is_japanese() -> None:
    assert text_language("有給休暇") == "zh"
    assert text_language("有給休暇", "ja") == "ja"
    assert terms("有給休暇", "ja") == ["有給", "給休", "休暇"]


def test_a_text_s_own_words_overrule_its_writer_s_language() -> None:
    # A French speaker writing English: the English stop words say so.
    assert text_language("the meetings are too long", "fr") == "en"
    assert terms("the meetings are too long", "fr") == terms("the meetings are too long")
    # Nothing to go on: the writer's language decides, and "réunions" is French.
    assert text_language("réunions", "fr") == "fr"
    assert terms("réunions", "fr-CA") == ["reunion"] == terms("une réunion")


def test_words_in_another_script_are_stemmed_in_that_script_s_language() -> None:
    assert terms("Slackのチャンネル") == ["slack", "チャ", "ャン", "ンネ", "ネル"]
    assert terms("The велосипеды") == ["велосипед"]
    assert terms("हिन्दी भाषा") == ["हिन्द", "भाष"]


def test_text_without_words_has_no_terms() -> None:
    assert terms("") == [] and terms("?! …") == [] and terms("the of and") == []


def test_a_comparison_reads_a_query_without_evidence_in_the_language_of_its_texts() -> None:
    ideas = ["Des bureaux debout pour le deuxième étage", "Un parking pour les vélos"]
    assert shared_language("Nouveaux bureaux", ideas) == "fr"
    assert shared_language("Nouveaux bureaux", ideas, "de") == "de"
    assert shared_language("The new desks", ideas, "de") == "en"
    spoken = shared_language("Nouveaux bureaux", ideas)
    assert "bureau" in terms("Nouveaux bureaux", spoken)
    assert "bureau" in terms(ideas[0], spoken)
