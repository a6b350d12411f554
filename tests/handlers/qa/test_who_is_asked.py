"""Who is asked a question, and what happens when nobody (else) can take it.

Demo workspace (START is Monday 2027-01-04 09:00 UTC): ann, bob, cara, dan, eve, fay.
"""

from bot.wiring.assembly import Assembly
from tests.handlers.conftest import Talk
from tests.handlers.qa.test_conversations import question, routes, sent_to


async def test_when_the_only_expert_passes_the_asker_hears_at_once(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("bob in #general: /expert add visa")
    out = await talk("ann in #general: /ask who sponsors a #visa renewal?")
    assert "Your question #1 went to 1 expert." in out
    out = await talk("bob clicks qa.decline 1")
    assert "You passed on question #1" in out
    (told,) = sent_to(out, "dm @ann")
    assert "no other expert is available right now" in told and "posted it in #help" in told
    (post,) = sent_to(out, "#help")
    assert "🙋 Can anyone help with question #1 (#visa)?" in post
    assert (await question(rapport, 1)).posted_at is not None
    # The answer window's deadline finds it posted already: nothing is said twice.
    out = await talk("advance 3d")
    assert not sent_to(out, "#help") and not sent_to(out, "dm @ann")
    out = await talk("cara clicks qa.claim 1")
    assert "You're answering question #1" in out


async def test_one_passing_while_another_still_has_it_posts_nothing(talk: Talk) -> None:
    await talk("bob in #general: /expert add visa\ncara in #general: /expert add visa")
    await talk("ann in #general: /ask who sponsors a #visa renewal?")
    out = await talk("bob clicks qa.decline 1")
    assert not sent_to(out, "#help") and not sent_to(out, "dm @ann")
    out = await talk("cara clicks qa.decline 1")
    assert "no other expert is available right now" in sent_to(out, "dm @ann")[0]
    assert sent_to(out, "#help")


async def test_off_topic_helpers_are_asked_only_when_nobody_on_topic_is(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("bob in #general: /expert add kubernetes\ncara in #general: /expert add benefits")
    await talk("dan in #general: /ask how do I restart a #kubernetes pod?")
    await talk("bob clicks qa.claim 1\nbob dm: /answer 1 kubectl rollout restart.")
    await talk("dan clicks qa.accept 1")

    # bob has answered before, but not on #benefits: only cara is asked.
    out = await talk("fay in #general: /ask when does #benefits enrolment open?")
    assert "Your question #2 went to 1 expert." in out
    (request,) = sent_to(out, "dm @cara")
    assert "You're asked because you answer questions on #benefits." in request
    assert not sent_to(out, "dm @bob")

    # cara passes: nobody on #benefits is left, so someone who has helped before is asked,
    # and told why a question outside their field came to them.
    out = await talk("cara clicks qa.decline 2")
    (request,) = sent_to(out, "dm @bob")
    assert "Can you answer question #2 (#benefits)" in request
    assert "Nobody on #benefits is available right now" in request
    assert "you've helped before" in request
    assert not sent_to(out, "#help")
    assert await routes(rapport, 2) == {3: "declined", 2: "pending"}

    # bob's own field: he is asked, with that reason.
    out = await talk("eve in #general: /ask is the #kubernetes cluster upgraded tonight?")
    (request,) = sent_to(out, "dm @bob")
    assert "You're asked because you answer questions on #kubernetes." in request
