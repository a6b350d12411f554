"""Kudos, as conversations on the local platform (demo workspace: ann is admin, bob a member)."""

import re
from datetime import timedelta

from sqlmodel import func, select

from bot.wiring.assembly import Assembly
from handlers.kudos.tables import Kudos
from tests.handlers.conftest import Talk


async def kudos_count(rapport: Assembly) -> int:
    async with rapport.db.session() as session:
        return (await session.exec(select(func.count()).select_from(Kudos))).one()


def undo_value(output: str) -> str:
    match = re.search(r"\[Undo\] kudos.undo (\w+)", output)
    assert match, output
    return match[1]


async def test_kudos_is_announced_dmed_and_confirmed(talk: Talk, rapport: Assembly) -> None:
    out = await talk("ann in #general: /kudos @bob thanks for the great demo #customer")
    assert "[#kudos] (m1) 🎉 @ann gave kudos to @bob: thanks for the great demo" in out
    assert "#customer" in out
    assert "[dm @bob] (m2) You received kudos from @ann: thanks for the great demo" in out
    assert "[only @ann sees, in #general] (m3) Kudos sent to @bob. You have 4 left today." in out
    assert "[Undo] kudos.undo" in out
    assert await kudos_count(rapport) == 1


async def test_several_recipients_share_one_announcement(talk: Talk, rapport: Assembly) -> None:
    out = await talk("ann in #general: /kudos @bob, @cara and @eve for running the offsite")
    assert "gave kudos to @bob, @cara, and @eve: for running the offsite" in out
    assert out.count("You received kudos from @ann") == 3
    assert "You have 2 left today" in out
    assert await kudos_count(rapport) == 3


async def test_reaction_gives_kudos_once(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        "bob in #general: I fixed the flaky deploy pipeline #ownership\n"
        "ann reacts :tada: to m1\n"
        "ann reacts :tada: to m1\n"
        "ann reacts :thumbsup: to m1\n"
        "bob reacts :tada: to m1\n"
    )
    assert out.count("gave kudos to @bob") == 1
    assert "for their message “I fixed the flaky deploy pipeline #ownership”" in out
    assert "#ownership" in out.split("gave kudos")[1]
    assert await kudos_count(rapport) == 1


async def test_reaction_kudos_emoji_is_configurable(talk: Talk) -> None:
    out = await talk(
        "ann in #general: /kudos settings emoji taco\n"
        "bob in #general: lunch is on me\n"
        "ann reacts :tada: to m2\n"
        "ann reacts :taco: to m2\n"
    )
    assert "Kudos setting emoji is now taco" in out
    assert out.count("gave kudos to @bob") == 1


async def test_reacting_to_a_bot_message_gives_nothing(talk: Talk, rapport: Assembly) -> None:
    await talk("ann in #general: /kudos @bob thanks for the great demo")
    out = await talk("bob reacts :tada: to m1")
    assert "gave kudos" not in out
    assert await kudos_count(rapport) == 1


async def test_values_are_tags_and_can_be_required(talk: Talk, rapport: Assembly) -> None:
    out = await talk("bob in #general: /kudos @cara great onboarding session #kindness")
    assert "#kindness is not one of our values" in out
    assert "#teamwork" in out
    out = await talk("bob in #general: /kudos @cara great onboarding session #teamwork #customer")
    assert "just one value" in out
    out = await talk("ann in #general: /kudos values required on")
    assert "values_required" not in out and "values-required is now on." in out
    out = await talk("bob in #general: /kudos @cara great onboarding session")
    assert "Please tag the value" in out
    out = await talk("bob in #general: /kudos @cara great onboarding session #TeamWork")
    assert "gave kudos to @cara" in out
    assert await kudos_count(rapport) == 1


async def test_admins_manage_values(talk: Talk) -> None:
    out = await talk(
        "bob in #general: /kudos values add kindness Be kind\n"
        "ann in #general: /kudos values add kindness Be kind\n"
        "ann in #general: /kudos values remove curiosity\n"
        "bob in #general: /kudos values\n"
    )
    assert "Only people with the admin role can do that." in out
    assert "Added #kindness" in out
    assert "Removed #curiosity" in out
    listing = out.split("Our values:")[1]
    assert "#kindness: Be kind" in listing
    assert "#curiosity" not in listing


async def test_daily_allowance_resets_at_the_givers_midnight(talk: Talk, rapport: Assembly) -> None:
    # 09:00 UTC on Monday: ann is in London (UTC in January), fay in Los Angeles (UTC-8).
    for _ in range(5):
        await talk("ann in #general: /kudos @bob thanks for all the reviews")
    out = await talk("ann in #general: /kudos @bob one more thank you")
    assert "You've used all your kudos for today" in out
    assert "12:00\u202fAM GMT" in out
    out = await talk("ann in #general: /kudos @bob @cara thanks to you both")
    assert "You've used all your kudos" in out
    assert await kudos_count(rapport) == 5
    await talk("advance 15h")  # 00:00 in London
    out = await talk("ann in #general: /kudos @bob a new day, a new thank you")
    assert "gave kudos to @bob" in out
    assert "You have 4 left today" in out


async def test_the_refill_time_is_written_as_the_givers_language_writes_it(talk: Talk) -> None:
    await talk(
        "ann in #general: /kudos settings allowance 1\n"
        "bob in #general: /rapport settings language fr\n"
        "eve in #general: /rapport settings language ja\n"
        "bob in #general: /kudos @ann merci pour la relecture\n"
        "eve in #general: /kudos @ann レビューありがとう"
    )
    out = await talk("bob in #general: /kudos @ann encore merci")
    assert "Ils se rechargent à minuit, heure locale (00:00 GMT)" in out
    out = await talk("eve in #general: /kudos @ann またありがとう")
    assert "（0:00 +08）" in out  # eve is in Singapore


async def test_recipients_joined_by_and_in_each_shipped_language(
    talk: Talk, rapport: Assembly
) -> None:
    joined = {
        "@bob et @eve merci pour la démo": "merci pour la démo",
        "@bob und @eve danke für die Demo": "danke für die Demo",
        "@bob y @eve gracias por la demo": "gracias por la demo",
        "@bob e @eve gracias por todo": "gracias por todo",
        "@bob と @eve デモをありがとう": "デモをありがとう",
    }
    await talk("ann in #general: /kudos settings allowance 20")
    for recipients_and_reason, reason in joined.items():
        out = await talk(f"ann in #general: /kudos {recipients_and_reason}")
        assert f"gave kudos to @bob and @eve: {reason}" in out, out
    assert await kudos_count(rapport) == 10
    # A conjunction counts only before a mention: this reason keeps its first word.
    out = await talk("ann in #general: /kudos @bob y'all rocked the demo")
    assert "gave kudos to @bob: y'all rocked the demo" in out


async def test_the_shortest_reason_counts_wide_letters_twice(talk: Talk, rapport: Assembly) -> None:
    out = await talk("ann in #general: /kudos @bob ありがとう！")
    assert "gave kudos to @bob: ありがとう！" in out
    out = await talk("ann in #general: /kudos @bob thanks!")
    assert "a reason of at least 10 characters" in out
    out = await talk("ann in #general: /kudos @bob 助かった")
    assert "a reason of at least 10 characters" in out
    await talk("eve in #general: /rapport settings language ja")
    out = await talk("eve in #general: /kudos @bob 助かった")
    assert "理由が 10 文字以上（漢字やかなは 1 文字で 2 文字分）" in out
    assert await kudos_count(rapport) == 1


async def test_allowance_counts_every_recipient(talk: Talk) -> None:
    await talk("ann in #general: /kudos settings allowance 2")
    out = await talk("bob in #general: /kudos @ann @cara @eve for the party planning")
    assert "You have 2 kudos left today but named 3 people" in out


async def test_bad_input_gets_friendly_answers_and_saves_nothing(
    talk: Talk, rapport: Assembly
) -> None:
    cases = {
        "ann in #general: /kudos @bob": "a reason of at least 10 characters",
        "ann in #general: /kudos @ann for being me, great job": "can't give kudos to yourself",
        "ann in #general: /kudos @rapport thanks for the help": "Bots don't need kudos",
        "ann in #general: /kudos @zed thanks for the help": "I couldn't find @zed",
        "ann in #general: /kudos thanks everyone for the help": "Who is it for?",
        f"ann in #general: /kudos @bob {'x' * 5000}": "That reason is 5,000 characters",
    }
    for line, answer in cases.items():
        out = await talk(line)
        assert answer in out, (line, out)
        assert "[#kudos]" not in out
        assert "Traceback" not in out
    assert await kudos_count(rapport) == 0


async def test_crowd_pings_and_markup_are_neutralised(talk: Talk) -> None:
    out = await talk(
        "ann in #general: /kudos @bob <!channel> @here <b>hero</b> of the launch <@U999>"
    )
    announcement = next(line for line in out.splitlines() if line.startswith("[#kudos]"))
    assert "<!channel>" not in announcement and "<b>" not in announcement
    assert "‹!channel›" in announcement and "‹b›hero‹/b›" in announcement
    assert "@here" not in announcement and "@\u2060here" in announcement
    assert "<@U999>" not in announcement


async def test_mentions_in_the_reason_become_plain_names(talk: Talk) -> None:
    out = await talk("ann in #general: /kudos @bob for pairing with @cara on the outage")
    assert "gave kudos to @bob: for pairing with @Cara Diaz on the outage" in out
    assert "You received kudos" in out and "@cara" not in out.split("[dm @bob]")[1]


async def test_undo_within_five_minutes(talk: Talk, rapport: Assembly) -> None:
    out = await talk("ann in #general: /kudos @bob thanks for the great demo")
    batch = undo_value(out)
    out = await talk(f"bob clicks kudos.undo {batch}")
    assert "nothing of yours to undo" in out
    out = await talk(f"ann clicks kudos.undo {batch}")
    assert "[edit m1] (Kudos from @ann withdrawn.)" in out
    assert "[edit m2] (Kudos from @ann withdrawn.)" in out
    assert "Withdrawn: 1 kudos" in out
    assert await kudos_count(rapport) == 0
    out = await talk("ann dm: /kudos me")
    assert "Left today: 5" in out


async def test_undo_is_refused_after_the_window(talk: Talk, rapport: Assembly) -> None:
    await talk("ann in #general: /kudos @bob thanks for the great demo")
    await talk("advance 6m")
    out = await talk("ann in #general: /kudos undo")
    assert "within 5 minutes" in out
    assert await kudos_count(rapport) == 1


async def test_kudos_me_and_leaderboards(talk: Talk, rapport: Assembly) -> None:
    await talk(
        "ann in #general: /kudos @bob thanks for the great demo #customer\n"
        "cara in #general: /kudos @bob thanks for the hiring help #teamwork\n"
        "bob in #general: /kudos @eve thanks for the sales deck #customer\n"
    )
    out = await talk("bob dm: /kudos me")
    assert "Received: 2 (2 this week)" in out
    assert "Given: 1" in out
    assert "#customer (1)" in out and "#teamwork (1)" in out
    out = await talk("eve in #general: /kudos leaderboard")
    assert "Top kudos receivers this week" in out
    assert "1. Bob Stone: 2" in out and "2. Eve Martin: 1" in out
    out = await talk("eve in #general: /kudos leaderboard givers all")
    assert "Top kudos givers of all time" in out
    assert "Ann Lee: 1" in out and "Bob Stone: 1" in out and "Cara Diaz: 1" in out
    await talk("advance 7d")
    out = await talk("eve in #general: /kudos leaderboard week")
    assert "no kudos yet" in out
    out = await talk("eve in #general: /kudos leaderboard month")
    assert "1. Bob Stone: 2" in out
    out = await talk("eve in #general: /kudos leaderboard yearly")
    assert "Try `/kudos leaderboard week`" in out


async def test_admins_can_switch_leaderboards_off(talk: Talk) -> None:
    out = await talk("bob in #general: /kudos settings leaderboards off")
    assert "Only people with the admin role" in out
    out = await talk(
        "ann in #general: /kudos settings leaderboards off\nbob in #general: /kudos leaderboard\n"
    )
    assert "Kudos setting leaderboards is now off." in out
    assert "Leaderboards are switched off" in out


async def test_settings_reject_bad_values(talk: Talk) -> None:
    out = await talk(
        "ann in #general: /kudos settings allowance lots\n"
        "ann in #general: /kudos settings colour blue\n"
        "ann in #general: /kudos settings\n"
    )
    assert "'lots' doesn't work for allowance: it must be a whole number from 1 to 100." in out
    assert "Unknown setting 'colour'" in out
    assert "daily_allowance: 5" in out and "leaderboards: on" in out


async def test_announcement_channel_is_configurable(talk: Talk) -> None:
    out = await talk(
        "ann in #general: /kudos settings channel #shoutouts\n"
        "ann in #general: /kudos @bob thanks for the great demo\n"
    )
    assert "[#shoutouts] " in out


async def test_the_form_gives_kudos_and_shows_errors_inside(talk: Talk, rapport: Assembly) -> None:
    out = await talk("ann in #general: /kudos")
    assert "[form for @ann] kudos.give “Give kudos”: to (users), reason (textarea)" in out
    assert "value (select, optional: curiosity|customer|ownership|teamwork)" in out
    out = await talk('ann submits kudos.give to=@ann reason="thanks for all the work"')
    assert "[form errors for @ann] to: You can't give kudos to yourself" in out
    out = await talk('ann submits kudos.give to=@bob reason="short"')
    assert "[form errors for @ann] reason:" in out
    out = await talk(
        'ann submits kudos.give to=@bob,@cara reason="thanks for the launch" value=teamwork'
    )
    assert "gave kudos to @bob and @cara: thanks for the launch" in out
    assert await kudos_count(rapport) == 2


async def test_a_platform_retry_does_nothing_twice(talk: Talk, rapport: Assembly) -> None:
    out = await talk("ann in #general: /kudos @bob thanks for the great demo\nretry")
    assert out.count("gave kudos") == 1
    assert "retried delivery ignored" in out
    assert await kudos_count(rapport) == 1


async def test_help_everywhere(talk: Talk) -> None:
    out = await talk("bob in #general: /kudos help")
    assert "`/kudos leaderboard [week|month|all] [givers]`" in out
    assert "React with :tada:" in out and "`/kudos undo`: withdraw" in out
    out = await talk("bob dm: help")
    assert "Here is what I can do" in out and "`/kudos`" in out
    out = await talk("bob dm: what can you do?")
    assert "Here is what I can do" in out
    out = await talk("bob in #general: /frobnicate now")
    assert "I don't know the command `/frobnicate`" in out
    assert "Here is what I can do" in out


async def test_kudos_after_midnight_in_los_angeles(talk: Talk, rapport: Assembly) -> None:
    for _ in range(5):
        await talk("fay in #general: /kudos @eve thanks for the deal review")
    await rapport.runtime.advance(timedelta(hours=15))  # 00:00 London, 16:00 in LA
    out = await talk("fay in #general: /kudos @eve one more thanks")
    assert "You've used all your kudos" in out
    await rapport.runtime.advance(timedelta(hours=8))  # 00:00 in Los Angeles
    out = await talk("fay in #general: /kudos @eve one more thanks")
    assert "gave kudos to @eve" in out


async def test_a_refused_command_hands_back_what_was_typed(talk: Talk) -> None:
    long_reason = "thanks " * 800
    out = await talk(f"ann in #general: /kudos @bob {long_reason}")
    assert "please keep it to at most 1,000." in out
    assert f"What you wrote: /kudos @bob {long_reason.strip()}" in out
    exactly = "x" * 1000  # the most is accepted, as the refusal says
    assert "gave kudos to @bob" in await talk(f"ann in #general: /kudos @bob {exactly}")


async def test_reaction_kudos_quote_mentions_as_plain_names(talk: Talk) -> None:
    out = await talk(
        "bob in #general: pairing with @cara on the outage review\nann reacts :tada: to m1\n"
    )
    announcement = next(line for line in out.splitlines() if line.startswith("[#kudos]"))
    assert "“pairing with @Cara Diaz on the outage review”" in announcement
