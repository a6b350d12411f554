"""What Q&A adds to a person's export and erasure: labels, their expertise (theirs alone),
and the words of their questions and answers, which go while the counts stay. Questions
they claimed open again first (handlers.qa.erasure)."""

from bot.kit.personal_data import REMOVED, PersonalData
from handlers.qa.erasure import end_for

PERSONAL_DATA = PersonalData(
    labels={
        ("question", "asker_id"): "questions you asked",  # not translated: a key of the export
        ("question", "claimed_by_id"): "questions you claimed",  # not translated: as above
        ("question_route", "expert_id"): "questions routed to you",  # not translated: as above
        ("answer", "answerer_id"): "answers you wrote",  # not translated: as above
        ("expert_topic", "person_id"): "expertise",
        ("expert_profile", "person_id"): "expert availability",  # not translated: as above
    },
    personal_tables=frozenset({"expert_profile", "expert_topic"}),
    their_words={
        ("question", "asker_id"): {"text": REMOVED, "topics": []},
        ("answer", "answerer_id"): {"text": REMOVED},
    },
    ending=end_for,
)
