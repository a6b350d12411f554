"""Telling a mistyped `/idea` subcommand from an idea, so `/idea tpo` is not posted publicly."""

import re

# An idea or campaign number, as subcommands take them.
_NUMBER = re.compile(r"#?\d{1,9}$|[cC]\d{1,9}$")


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`."""
    previous, current = list(range(len(b) + 1)), [0] * (len(b) + 1)
    before: list[int] = []
    for i, char in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[len(b)]


def meant(word: str, rest: str, subcommands: list[str], arguments: set[str]) -> str | None:
    """The subcommand `word rest` most likely meant, or None if it reads as an idea.

    A word one edit from a short subcommand (two from a longer one) counts only when nothing
    follows it or what follows starts like a subcommand's arguments (a number, or one of the
    `arguments` words): "Stop meetings on Fridays" is an idea, "stgae #1 done" a mistyped
    `stage`.
    """
    word = word.lower()
    if word in subcommands:
        return None
    first = rest.split(maxsplit=1)[0] if rest.strip() else ""
    if first and not (_NUMBER.match(first) or first.lower() in arguments):
        return None
    scored = sorted((distance(word, name), name) for name in subcommands)
    best, name = scored[0]
    return name if best <= (1 if len(name) <= 4 else 2) else None
