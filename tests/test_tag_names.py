"""Tag, topic and company value names in any script."""

import pytest

from bot.kit.tag_names import TagRule, fold

VALUES = TagRule(max_length=40, signs="-_")
TOPICS = TagRule(max_length=60, signs="+#-", digit_first=True)


@pytest.mark.parametrize(
    "name",
    [
        "teamwork",
        "team-work",
        "チームワーク",
        "育児休暇",
        "взаимопомощь",
        "ομαδικότητα",
        "हिन्दी",
        "ownership_2",
    ],
)
def test_names_in_any_script_are_accepted(name: str) -> None:
    assert VALUES.is_name(name)


@pytest.mark.parametrize("name", ["", "2fa", "-team", "team work", "team!", "x" * 41, "_x"])
def test_names_keep_their_shape(name: str) -> None:
    assert not VALUES.is_name(name)


def test_topics_may_start_with_a_digit_and_carry_plus_and_hash() -> None:
    assert TOPICS.is_name("401k") and TOPICS.is_name("c++") and TOPICS.is_name("c#")
    assert not TOPICS.is_name("c*")


def test_hashtags_are_found_folded_and_taken_out() -> None:
    text = "thanks for the help #チームワーク #ＴｅａｍＷｏｒｋ, and &#39; #12 #育児休暇!"
    assert VALUES.hashtags(text) == ["チームワーク", "teamwork", "育児休暇"]
    assert VALUES.without_hashtags(text) == "thanks for the help  , and &#39; #12 !"


def test_an_overlong_hashtag_is_cut_to_the_longest_name() -> None:
    assert VALUES.hashtags("#" + "a" * 50) == ["a" * 40]


def test_folding_makes_full_width_and_case_one_name() -> None:
    assert fold("ＴｅａｍＷｏｒｋ") == "teamwork" == fold("TeamWork")
