"""The transcript language of `rapport shell`: one line, one thing someone does.

user ann name="Ann Lee" tz=Europe/London dept=Sales roles=admin,hr manager=bob channels=eng lang=fr
ann in #general: /kudos @bob thanks for the demo #customer
ann in #general: any plain message
bob replies to m3: a message in the thread of m3
ann dm: help
bob reacts :tada: to m3
ann clicks kudos.undo 1f2e
ann submits kudos.give to=@bob reason="great demo" value=customer
retry
advance 2d 3h
file people.csv: user,department,manager
$ rapport people import people.csv
roster #design: @ann @bob @zoe
"""

import re
import shlex
from dataclasses import dataclass, field
from datetime import timedelta


class TranscriptError(ValueError):
    """A line the shell cannot understand; the message says how to write it."""


@dataclass
class DeclareUser:
    handle: str
    fields: dict[str, str]


@dataclass
class Say:
    handle: str
    channel: str
    text: str
    is_dm: bool
    thread: str = ""


@dataclass
class React:
    handle: str
    emoji: str
    message_id: str


@dataclass
class Click:
    handle: str
    action_id: str
    value: str


@dataclass
class Submit:
    handle: str
    form_id: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Advance:
    delta: timedelta


@dataclass
class Retry:
    pass


@dataclass
class WriteFile:
    """One line of a file in the current directory, for a command to read (an HR file)."""

    name: str
    text: str


@dataclass
class Roster:
    """A channel's members as the platform lists them (Slack's conversations.members): the
    whole list, which replaces whoever the channel had."""

    channel: str
    handles: list[str]


@dataclass
class RunCommand:
    """`rapport …` on the shell's database, as an administrator would run it."""

    args: list[str]


Step = (
    DeclareUser | Say | React | Click | Submit | Advance | Retry | WriteFile | RunCommand | Roster
)

_HANDLE = r"(?P<who>[A-Za-z0-9_.\-]+)"
# A channel is named in any script ("#général", "#開発"), as the platforms allow.
_SAY = re.compile(_HANDLE + r" in #(?P<channel>[\w\-]+):\s?(?P<text>.*)$")
_REPLY = re.compile(_HANDLE + r" replies to (?P<msg>m\d+):\s?(?P<text>.*)$")
_DM = re.compile(_HANDLE + r" dm:\s?(?P<text>.*)$")
_REACT = re.compile(_HANDLE + r" reacts :?(?P<emoji>[A-Za-z0-9_+\-]+):? to (?P<msg>m\d+)$")
_CLICK = re.compile(_HANDLE + r" (?:clicks|selects) (?P<action>\S+)(?: (?P<value>.+))?$")
_SUBMIT = re.compile(_HANDLE + r" submits (?P<form>\S+)(?: (?P<rest>.*))?$")
_FILE = re.compile(r"file (?P<name>[A-Za-z0-9_\-][A-Za-z0-9_.\-]*): ?(?P<text>.*)$")
_ROSTER = re.compile(
    r"roster #(?P<channel>[A-Za-z0-9_\-]+):(?P<members>(?: +@?[A-Za-z0-9_.\-]+)*) *$"
)
_COMMAND = "$ rapport "
_DURATION = re.compile(r"(\d+)\s*([wdhms])")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}

SYNTAX = __doc__ or ""


def parse_duration(text: str) -> timedelta:
    compact = text.replace(" ", "")
    parts = _DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise TranscriptError(f"cannot read the duration {text!r}: write it like 7d, 3h30m or 90s")
    delta = timedelta()
    for number, unit in parts:
        delta += timedelta(**{_UNITS[unit]: int(number)})
    return delta


def _pairs(text: str) -> dict[str, str]:
    try:
        words = shlex.split(text)
    except ValueError as bad:
        raise TranscriptError(f"unbalanced quotes in {text!r}") from bad
    pairs = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep:
            raise TranscriptError(f"expected name=value, got {word!r}")
        pairs[key] = value
    return pairs


def parse(line: str) -> Step | None:
    """One transcript line as a step; None for blank lines and comments."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    if line == "retry":
        return Retry()
    if line.startswith("advance "):
        return Advance(parse_duration(line.removeprefix("advance ")))
    if line.startswith(_COMMAND):
        try:
            return RunCommand(shlex.split(line.removeprefix(_COMMAND)))
        except ValueError as bad:
            raise TranscriptError(f"unbalanced quotes in {line!r}") from bad
    if match := _FILE.match(line):
        return WriteFile(match["name"], match["text"])
    if match := _ROSTER.match(line):
        return Roster(match["channel"], [h.lstrip("@") for h in match["members"].split()])
    if line.startswith("user "):
        handle, _, rest = line.removeprefix("user ").partition(" ")
        return DeclareUser(handle, _pairs(rest))
    if match := _SAY.match(line):
        return Say(match["who"], match["channel"], match["text"], is_dm=False)
    if match := _REPLY.match(line):
        return Say(match["who"], "", match["text"], is_dm=False, thread=match["msg"])
    if match := _DM.match(line):
        return Say(match["who"], "", match["text"], is_dm=True)
    if match := _REACT.match(line):
        return React(match["who"], match["emoji"], match["msg"])
    if match := _SUBMIT.match(line):
        return Submit(match["who"], match["form"], _pairs(match["rest"] or ""))
    if match := _CLICK.match(line):
        return Click(match["who"], match["action"], match["value"] or "")
    raise TranscriptError(
        f"I don't understand {line!r}. Try 'ann in #general: /kudos @bob thanks', "
        "'ann dm: help', 'bob replies to m3: text', 'bob reacts :tada: to m3', "
        "'ann clicks ACTION VALUE', 'ann submits FORM field=value', 'advance 1d', "
        "'user zoe tz=Europe/Paris', 'roster #design: @ann @zoe', 'file org.csv: a,line' or "
        "'$ rapport people import org.csv'."
    )
