"""Routing by OpenAI embeddings when OPENAI_API_KEY is set, against a local fake server.

Demo workspace (START is Monday 2027-01-04 09:00 UTC): ann, bob, cara, dan, eve, fay.
"""

import re
from collections.abc import AsyncIterator

import pytest

from bot.wiring.assembly import Assembly
from tests.fake_openai import FakeOpenAI, serving
from tests.handlers.conftest import Talk
from tests.handlers.qa.test_conversations import sent_to, set_qa

CONCEPTS = {"bike": 0, "bicycle": 0, "cycle": 0, "travel": 1, "expense": 1, "receipt": 1}


def fake_vector(text: str) -> list[float]:
    """Words of one concept point the same way; any other word adds a little noise."""
    vector = [0.0, 0.0, 0.1]
    for word in re.findall(r"[a-z]+", text.lower()):
        if word.rstrip("s") in CONCEPTS:
            vector[CONCEPTS[word.rstrip("s")]] += 1.0
    return vector


@pytest.fixture
async def fake_openai(rapport: Assembly) -> AsyncIterator[FakeOpenAI]:
    async with serving(rapport, FakeOpenAI(embed=fake_vector)) as fake:
        yield fake


HISTORY = """ann dm: /ask where can I leave my #cycling bicycle during the day?
bob clicks qa.claim 1
bob dm: /answer 1 Racks by the entrance.
ann clicks qa.accept 1
dan dm: /ask how do I claim #travel costs?
cara clicks qa.claim 2
cara dm: /answer 2 Through the expenses form.
dan clicks qa.accept 2
eve dm: /ask who approves #travel for conferences?
cara clicks qa.claim 3
cara dm: /answer 3 Your manager.
eve clicks qa.accept 3
"""


async def test_with_openai_configured_a_question_goes_to_who_answered_its_meaning(
    talk: Talk, rapport: Assembly, fake_openai: FakeOpenAI
) -> None:
    await set_qa(rapport, experts_per_question=1)
    await talk("bob in #general: /expert add cycling\ncara in #general: /expert add travel")
    for line in HISTORY.splitlines():
        await talk(line)
    fake_openai.requests.clear()
    # No word in common with bob's answered question: only the embeddings see "bike" in it.
    out = await talk("fay dm: /ask is there a shed for bikes?")
    assert "Can you answer question #4" in "".join(sent_to(out, "dm @bob"))
    (body,) = fake_openai.requests
    assert body["model"] == "text-embedding-3-small"
    assert body["input"][0] == "is there a shed for bikes?"
    assert len(body["input"]) == 4  # the question and the three accepted answers


async def test_when_embeddings_fail_the_local_ranking_answers(
    talk: Talk, rapport: Assembly, fake_openai: FakeOpenAI
) -> None:
    await set_qa(rapport, experts_per_question=1)
    await talk("bob in #general: /expert add cycling\ncara in #general: /expert add travel")
    for line in HISTORY.splitlines():
        await talk(line)
    fake_openai.failing = True
    out = await talk("fay dm: /ask is there a shed for bikes?")
    assert fake_openai.requests
    # BM25 finds nothing alike; cara, with two accepted answers, is the more active expert.
    assert "Can you answer question #4" in "".join(sent_to(out, "dm @cara"))
    assert "went wrong" not in out
