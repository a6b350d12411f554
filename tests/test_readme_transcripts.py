"""Every transcript of README.md and docs/ is run by `rapport shell` and prints what is shown.

A transcript in README.md or a page under docs/ (the docs site) is a fenced block right after a
`<!-- transcript: NAME -->` line. It shows what `rapport shell SCRIPT --start 2027-01-04T09:00`
prints: each script line echoed after "> ", then what the bot said to it. The script is the
echoed lines; the rest is the output the test expects. Random tokens (button values such as an
undo's) are the only thing not compared.

After a deliberate change of what the bot says, rewrite the shown output from a real run with
`python -m tests.test_readme_transcripts`, and read the diff before committing it.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.local.transcript import TranscriptError, parse
from tests.test_cli import run_rapport

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START = "2027-01-04T09:00"
_MARKER = re.compile(r"^<!-- transcript: (?P<name>[\w-]+) -->$")
_ECHO = "> "
# A button's value made of random hex (an undo token): different on every run.
_TOKEN = re.compile(r"^(?P<button>\s+\[[^\]]*\] \S+ )[0-9a-f]{6,}$")


@dataclass
class Block:
    """One fenced block of a Markdown page: where its lines are (0-based, fences excluded)."""

    name: str | None
    first: int
    end: int
    lines: list[str]


@dataclass
class Transcript:
    name: str
    block: Block
    page: Path = README

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.name}"

    @property
    def script(self) -> list[str]:
        """The lines to run: the echoed ones, or every line of a block that shows no output."""
        echoed = [line.removeprefix(_ECHO) for line in self.block.lines if _is_echo(line)]
        return echoed or self.block.lines

    @property
    def shown(self) -> list[str]:
        return self.block.lines


def _is_echo(line: str) -> bool:
    return line.startswith(_ECHO)


def blocks(text: str) -> list[Block]:
    """The fenced blocks of a Markdown text, each with the transcript marker before it, if any."""
    lines = text.splitlines()
    found: list[Block] = []
    at = 0
    while at < len(lines):
        if lines[at].startswith("```"):
            close = next(i for i in range(at + 1, len(lines)) if lines[i].startswith("```"))
            marker = _MARKER.match(lines[at - 1]) if at else None
            name = marker["name"] if marker else None
            found.append(Block(name, at + 1, close, lines[at + 1 : close]))
            at = close
        at += 1
    return found


def pages() -> list[Path]:
    """README.md and every page of the docs site."""
    return [README, *sorted((ROOT / "docs").rglob("*.md"))]


def transcripts(page: Path | None = None) -> list[Transcript]:
    return [
        Transcript(b.name, b, each)
        for each in ([page] if page else pages())
        for b in blocks(each.read_text())
        if b.name is not None
    ]


def run(tmp_path: Path, transcript: Transcript) -> list[str]:
    """What `rapport shell` prints for the transcript's script."""
    script = tmp_path / f"{transcript.name}.txt"
    script.write_text("\n".join(transcript.script) + "\n")
    done = run_rapport(tmp_path, "shell", str(script), "--start", START)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def normalised(lines: list[str]) -> list[str]:
    return [_TOKEN.sub(r"\g<button><token>", line.rstrip()) for line in lines]


@pytest.mark.parametrize("transcript", transcripts(), ids=lambda t: t.id)
def test_the_page_shows_what_the_transcript_prints(tmp_path: Path, transcript: Transcript) -> None:
    printed = run(tmp_path, transcript)
    assert any(_is_echo(line) for line in transcript.shown), (
        f"The transcript {transcript.id!r} shows no output; it prints:\n" + "\n".join(printed)
    )
    assert normalised(transcript.shown) == normalised(printed)


def test_the_readme_shows_a_kudos_transcript_and_the_docs_one_per_page_that_needs_it() -> None:
    assert "kudos" in {t.name for t in transcripts(README)}
    assert {"docs/platforms/local.md:kudos", "docs/features/pulse.md:pulse"} <= {
        t.id for t in transcripts()
    }


def test_the_docs_pages_are_searched_for_transcripts() -> None:
    assert ROOT / "docs" / "features" / "kudos.md" in pages()


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_block_of_transcript_lines_is_marked_and_so_run(page: Path) -> None:
    """A block of transcript lines without a marker would never be run."""
    for block in blocks(page.read_text()):
        if block.name is None:
            assert not [line for line in block.lines if _parses(line.removeprefix(_ECHO))], (
                f"{page.relative_to(ROOT)} line {block.first}: transcript lines without a marker"
            )


def test_a_shown_output_that_differs_from_the_run_fails(tmp_path: Path) -> None:
    wrong = Block("wrong", 0, 0, ["> ann dm: help", "[dm @ann] (m1) nothing like this"])
    printed = run(tmp_path, Transcript("wrong", wrong))
    assert normalised(wrong.lines) != normalised(printed)
    assert printed[0] == "> ann dm: help"


def test_only_random_tokens_of_buttons_are_left_out_of_the_comparison() -> None:
    shown = ["    [Undo] kudos.undo 5db965f1e94d", "[dm @bob] (m2) 1f2e3d4c5b6a"]
    printed = ["    [Undo] kudos.undo 0123456789ab", "[dm @bob] (m2) 0123456789ab"]
    assert normalised(shown)[0] == normalised(printed)[0]
    assert normalised(shown)[1] != normalised(printed)[1]


def _parses(line: str) -> bool:
    try:
        return parse(line) is not None
    except TranscriptError:
        return False


def write(tmp_path: Path, page: Path) -> None:
    """Rewrite each transcript block of a page with what a real run prints."""
    lines = page.read_text().splitlines()
    for transcript in reversed(transcripts(page)):
        printed = run(tmp_path, transcript)
        lines[transcript.block.first : transcript.block.end] = printed
    page.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        for page in pages():
            write(Path(scratch), page)
