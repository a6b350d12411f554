"""Plain English for the numbers people read: "1 question", "2 questions"."""


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and the noun in the form that fits it; `plural` when it isn't noun + "s"."""
    word = noun if number == 1 else plural or f"{noun}s"
    return f"{number:,} {word}"
