"""What mentoring adds to a person's export and erasure: labels, the profiles and wishes
that are theirs alone, and the reasons on their pairs. Open matches end first
(handlers.mentoring.erasure), so that nobody keeps a mentor or a mentee who is gone."""

from bot.kit.personal_data import PersonalData
from handlers.mentoring.erasure import end_for

PERSONAL_DATA = PersonalData(
    labels={
        ("mentor_profile", "person_id"): "mentoring profile",  # not translated: a key
        ("mentor_pair", "mentor_id"): "mentoring pairs (as mentor)",  # not translated: a key
        ("mentor_pair", "mentee_id"): "mentoring pairs (as mentee)",  # not translated: a key
        ("mentor_avoid", "person_id"): (
            "people you asked not to be paired with"  # not translated: a key of the export
        ),
    },
    # Someone else's private wish about this person: not theirs to read.
    not_exported=frozenset({("mentor_avoid", "avoid_id")}),
    personal_tables=frozenset({"mentor_avoid", "mentor_profile"}),
    their_words={
        ("mentor_pair", "mentor_id"): {"reasons": {}},
        ("mentor_pair", "mentee_id"): {"reasons": {}},
    },
    ending=end_for,
)
