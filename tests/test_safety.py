"""User text can neither ping a crowd, mention through platform syntax, nor inject markup."""

import re

import pytest

from bot.contract.events import MENTION
from bot.kit.safety import neutralise, readable, truncate

WORD_JOINER = "\u2060"
CROWD = re.compile(r"@(here|channel|everyone|all|group)\b", re.IGNORECASE)
SLACK_SPECIAL = re.compile(r"<[!@#]")


def harmless(text: str) -> bool:
    """Nothing a platform would parse as a ping, a mention or a tag survives."""
    return (
        "<" not in text
        and ">" not in text
        and not CROWD.search(text)
        and not MENTION.search(text)
        and not SLACK_SPECIAL.search(text)
    )


@pytest.mark.parametrize(
    "attack",
    [
        "<!channel> lunch is here",
        "<!everyone>",
        "<!here>",
        "<!here|here>",
        "<!subteam^S123|@devs>",
        "@channel",
        "@here",
        "@everyone",
        "@Channel please",
        "hey @HERE!",
        "@EveryOne.",
        "@all and @group",
        "x@everyone",
        "@everyone@here",
        "<@U123>",
        "<@U123|ann>",
        "<@!123456789>",
        "<#C123>",
        "<at>Ann</at>",
        "<at id='0'>Ann</at>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<@&123456789>",
        "<https://evil.example|https://good.example>",
    ],
)
def test_crowd_pings_mentions_and_markup_are_defused(attack: str) -> None:
    assert harmless(neutralise(attack))


def test_brackets_become_look_alikes_so_the_text_still_reads() -> None:
    assert neutralise("<script>") == "‹script›"
    assert neutralise("<at>Ann</at>") == "‹at›Ann‹/at›"
    assert neutralise("<@&123>") == "‹@&123›"
    assert neutralise("2 < 3 > 1") == "2 ‹ 3 › 1"


@pytest.mark.parametrize("keyword", ["here", "channel", "everyone", "HERE", "Channel", "eVeRyOnE"])
def test_crowd_keywords_get_a_word_joiner(keyword: str) -> None:
    assert neutralise(f"ping @{keyword} now") == f"ping @{WORD_JOINER}{keyword} now"


def test_a_neutralised_text_looks_the_same_without_its_invisible_joiners() -> None:
    text = "Thanks @here for <great> work"
    assert neutralise(text).replace(WORD_JOINER, "") == "Thanks @here for ‹great› work"


@pytest.mark.parametrize(
    "smuggled",
    [
        "@\u202eeveryone",  # right-to-left override between @ and the keyword
        "@\u2066here\u2069",  # isolates
        "@\x00channel",  # NUL
        "@\x1beveryone",  # ESC
        "<\x00!channel>",
    ],
)
def test_invisible_characters_cannot_smuggle_a_ping(smuggled: str) -> None:
    assert harmless(neutralise(smuggled))


@pytest.mark.parametrize(
    "override", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068"]
)
def test_bidi_overrides_are_removed(override: str) -> None:
    assert neutralise(f"invoice{override}fdp.exe") == "invoicefdp.exe"


def test_control_characters_are_removed_but_newlines_and_tabs_kept() -> None:
    assert neutralise("a\x00b\x07c\x1b[31md\x7f") == "abc[31md"
    assert neutralise("line one\nline two\tindented") == "line one\nline two\tindented"
    assert neutralise("windows\r\nline") == "windows\nline"


@pytest.mark.parametrize(
    "ordinary",
    [
        "Thanks for the great demo, Bob!",
        "ann@example.com wrote 3 + 4 = 7 (roughly) & more",
        "Ça va? Grüße aus Köln — naïve café",
        "日本語のテキストと한국어",
        "مرحبا بالعالم",  # right-to-left script itself is fine, only overrides go
        "#teamwork #customer",
        "@ann and @bob, heretic, channelling, everyone here",
        "multi\nline\n\nparagraphs",
        "",
    ],
)
def test_ordinary_text_is_unchanged(ordinary: str) -> None:
    assert neutralise(ordinary) == ordinary


@pytest.mark.parametrize(
    "emoji",
    [
        "🎉",
        "👍🏽",  # skin tone modifier
        "❤️",  # variation selector
        "👩‍👩‍👧",  # ZWJ family
        "🏳️‍🌈",  # ZWJ flag
        "👩🏾‍💻",  # modifier and ZWJ
        "🇬🇧",  # regional indicators
        "🏴󠁧󠁢󠁳󠁣󠁴󠁿",  # tag sequence
        "1️⃣",  # keycap
    ],
)
def test_emoji_survive_intact(emoji: str) -> None:
    text = f"well done {emoji}!"
    assert neutralise(text) == text


@pytest.mark.parametrize(
    "text", ["<!channel> @here <script>", "@\u202eeveryone <at>x</at>", "plain 🎉", "a\x00b"]
)
def test_neutralise_is_idempotent(text: str) -> None:
    once = neutralise(text)
    assert neutralise(once) == once


def test_truncate_keeps_short_text() -> None:
    assert truncate("hello", 5) == "hello"
    assert truncate("hello", 50) == "hello"
    assert truncate("", 0) == ""


def test_truncate_marks_the_cut_and_respects_the_limit() -> None:
    assert truncate("hello world", 8) == "hello w…"
    assert truncate("hello world", 7) == "hello…"  # no dangling space before the ellipsis
    assert truncate("hello", 1) == "…"
    assert truncate("hello", 0) == ""
    for limit in range(12):
        assert len(truncate("hello world", limit)) <= limit


def test_truncate_counts_characters_not_bytes() -> None:
    assert truncate("éééééé", 4) == "ééé…"
    assert truncate("🎉🎉🎉", 3) == "🎉🎉🎉"


def test_readable_finds_a_lone_surrogate_anywhere() -> None:
    assert readable({"text": "fine 👍", "values": {"a": ["x", "é"]}, "n": 3})
    assert not readable({"values": {"a": ["x", "\udc80"]}})
    assert not readable({"\ud800": "key"})
