"""Channels named in commands: any script, mentions by id, and nothing that is not a name."""

import pytest

from bot.kit.channels import channel_in


@pytest.mark.parametrize(
    ("word", "named"),
    [
        ("#community", "community"),
        ("general", "general"),
        ("#général", "général"),
        ("#開発チーム", "開発チーム"),
        ("＃開発", "開発"),
        ("#команда-1", "команда-1"),
        ("#हिन्दी", "हिन्दी"),
        ("#2027_offsite", "2027_offsite"),
        ("<#C42|general>", "C42"),
        ("<#123456>", "123456"),
    ],
)
def test_a_channel_in_any_script_is_named(word: str, named: str) -> None:
    assert channel_in(word) == named


@pytest.mark.parametrize("word", ["#bad!name", "#", "", "#-x", "@ann", "#a b", "#" + "x" * 81])
def test_what_is_not_a_channel_is_refused(word: str) -> None:
    assert channel_in(word) is None
