"""Erasure attacked as a database reader would: after `/rapport forget-me`, a full dump of
every table holds none of the person's name, ids or words, and the posts already in chat that
carried their words are edited to read "(removed)" (docs/features/privacy.md)."""

import re

from bot.wiring.assembly import Assembly
from tests.handlers.conftest import Talk
from tests.handlers.test_privacy import EVERYTHING, leftovers, zed_id

# What Zed wrote, in each feature of the EVERYTHING script, plus an attributed survey comment.
THEIR_WORDS = [
    "flaky build pipeline",
    "Team lunch on Fridays",
    "a shared table for everyone",
    "Payroll runs on the 25th",
    "book #travel for a conference",
    "the quarterly offsite felt rushed",
]
COMMENTED = (
    "cara in #hr: /pulse new\n"
    'cara submits pulse.new title="Offsite" questions="text: Anything to add?" '
    'audience="everyone" schedule="once" timezone=Europe/London anonymous=no close=5\n'
    "advance 1h\n"
    "zed clicks pulse.write 2:0\n"
    'zed submits pulse.text answer="the quarterly offsite felt rushed"\n'
)


async def test_forget_me_leaves_no_word_of_theirs_in_any_table_or_channel_post(
    talk: Talk, rapport: Assembly
) -> None:
    before = await talk(EVERYTHING + COMMENTED)
    person_id = await zed_id(rapport)
    seen = await leftovers(rapport, person_id, THEIR_WORDS)
    assert {place.split(":")[0] for place in seen} >= {
        "kudos.reason",
        "idea.title",
        "question.text",
        "answer.text",
        "pulse_answer.comment",
        "outbox_message.message",
    }
    posts = re.findall(r"^\[#\w+\] \((m\d+)\) (.*)$", before, re.M)
    carrying = {mid for mid, text in posts if any(w in text for w in THEIR_WORDS)}
    assert carrying  # the kudos announcement and the idea card, at least

    after = await talk(f"zed clicks privacy.forget {person_id}")

    identity = ["zed", "Zed Quill", "zed@example.com"]
    assert await leftovers(rapport, person_id, identity + THEIR_WORDS) == []
    edits = dict(re.findall(r"^\[edit (m\d+)\] (.*)$", after, re.M))
    assert carrying <= set(edits), (carrying, edits)
    for mid in carrying:
        assert "(removed)" in edits[mid]
        assert not any(word in edits[mid] for word in THEIR_WORDS)
