"""What kudos add to a person's export and erasure: labels, and the reasons they wrote or
were given, which go while the kudos still count."""

from bot.kit.personal_data import REMOVED, PersonalData

PERSONAL_DATA = PersonalData(
    labels={
        ("kudos", "giver_id"): "kudos given",  # not translated: a key of the export file
        ("kudos", "receiver_id"): "kudos received",  # not translated: a key of the export file
    },
    their_words={
        ("kudos", "giver_id"): {"reason": REMOVED, "source_ref": None},
        ("kudos", "receiver_id"): {"reason": REMOVED},
    },
)
