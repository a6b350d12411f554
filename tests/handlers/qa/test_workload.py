"""The workload rule in chat: nobody is asked first for more than a quarter of the questions.

Demo workspace (START is Monday 2027-01-04 09:00 UTC): ann, bob, cara, dan, eve, fay.
"""

from bot.wiring.assembly import Assembly
from tests.handlers.conftest import Talk
from tests.handlers.qa.test_conversations import sent_to, set_qa


async def test_the_top_expert_gives_way_once_they_had_a_quarter_of_recent_questions(
    talk: Talk, rapport: Assembly
) -> None:
    await set_qa(rapport, experts_per_question=1)
    # bob knows #visa twice over (declared, and one accepted answer); cara only declared it.
    await talk("bob in #general: /expert add visa\ncara in #general: /expert add visa")
    await talk("ann dm: /ask first #visa question\nbob clicks qa.claim 1")
    await talk("bob dm: /answer 1 yes\nann clicks qa.accept 1")
    first_asked = []
    for n in range(2, 6):
        out = await talk(f"dan dm: /ask #visa question number {n}")
        asked = [who for who in ("bob", "cara") if sent_to(out, f"dm @{who}")]
        first_asked += asked
    # Questions 1 to 3 go to bob: one more would take cara past a quarter of so few questions
    # too, and then the better expert stays first. At question 4 bob had 3 of 3 and cara
    # none: her turn. At 5 both would pass a quarter again, so bob, on merit.
    assert first_asked == ["bob", "bob", "cara", "bob"]
    # Thirty days later the old routes no longer count: bob is first again.
    await talk("advance 31d")
    out = await talk("dan dm: /ask #visa question number 6")
    assert "Can you answer question #6" in "".join(sent_to(out, "dm @bob"))
    assert not sent_to(out, "dm @cara")
