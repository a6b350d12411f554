"""Every shipped language has every message, and converted code shows no text around them.

The first check fails on a template the code has outgrown (run `make translations`), on a
message a language lacks or has only as a fuzzy guess, and on a translation whose
{placeholders} differ from the code's. The second reads the converted code (CONVERTED) and
fails on a string people would read that is not inside `_()`, `N_()` or `ngettext()`.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.kit.i18n import SHIPPED, Catalog, format_list, format_number, speaking
from bot.wiring.translations import CONVERTED, ROOT, Domain, domains, problems

_GETTEXT = {"_", "N_", "ngettext"}
# Errors for whoever reads the code or the logs, not for people in chat.
_DEVELOPERS = {"ValueError", "TypeError", "LookupError", "RuntimeError", "KeyError"}
# Arguments whose text people read, even one word long ("Send", "Undo").
_SHOWN = {"label", "title", "submit_label", "text", "placeholder", "help", "summary"}
# Command syntax, not words: `usage=` (`NAME description`) and commands (`/kudos values`).
_SYNTAX = {"usage"}
_COMMAND = re.compile(r"^/[\w-]+( [\w-]+)*$")
# A line that keeps its text on purpose says why: data stored as such (demo content, the
# keys of an export file), not words shown in the reader's language.
_KEPT = "# not translated:"
# HTML tags are markup, not words: the text between them is what people read.
_MARKUP = re.compile(r"<[^<>]*>")
_WORDS = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")
_WORD = re.compile(r"[^\W\d_]{2,}")


@pytest.mark.parametrize("domain", domains(), ids=lambda d: d.name)
def test_every_shipped_language_has_every_message(domain: Domain) -> None:
    assert problems(domain) == []


def test_the_converted_code_has_catalogs() -> None:
    """Code with messages of its own has a catalog; code that only draws what its callers
    wrote (charts) needs none."""
    for path in CONVERTED:
        if not any(_GETTEXT & _called(p.read_text()) for p in _files_of(path)):
            continue
        owners = [d for d in domains() if (ROOT / path).is_relative_to(d.sources)]
        assert owners, f"{path} is converted but no locale directory holds its catalog"


def _called(source: str) -> set[str]:
    return {_callee(node) for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)}


def _files_of(name: str) -> list[Path]:
    path = ROOT / name
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _files() -> Iterator[Path]:
    for name in CONVERTED:
        yield from _files_of(name)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _exempt(tree: ast.AST) -> set[int]:
    """Strings inside a catalog call or a log line, and docstrings."""
    exempt = _docstrings(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = _callee(node)
        is_log = isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
        is_log = is_log and node.func.value.id in {"log", "logger", "logging"}
        if callee in _GETTEXT | _DEVELOPERS or is_log:
            exempt |= {id(inner) for inner in ast.walk(node)}
    return exempt


def _syntax(tree: ast.AST) -> set[int]:
    return {
        id(keyword.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg in _SYNTAX
    }


def _shown_arguments(tree: ast.AST) -> set[int]:
    return {
        id(keyword.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg in _SHOWN and isinstance(keyword.value, ast.Constant | ast.JoinedStr)
    }


def bypasses(source: str) -> list[tuple[int, str]]:
    """Where `source` shows people text that no catalog translates: (line, text)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    exempt, shown = _exempt(tree) | _syntax(tree), _shown_arguments(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                str(part.value) for part in node.values if isinstance(part, ast.Constant)
            )
            exempt |= {id(part) for part in node.values}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if _COMMAND.match(text) or _KEPT in lines[node.lineno - 1]:
            continue
        text = _MARKUP.sub(" ", text)
        if _WORDS.search(text) or (id(node) in shown and _WORD.search(text)):
            found.append((node.lineno, text))
    return found


def test_converted_code_shows_no_text_outside_the_catalogs() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in _files()
        for line, text in bypasses(path.read_text())
    ]
    assert found == [], "wrap these in _() (or N_() at import time):\n" + "\n".join(found)


def test_the_bypass_check_sees_what_it_must() -> None:
    source = '''
"""A docstring is not shown."""
log.info("a log line is not shown either")
ok = _("Kudos sent to {names}.")
later = N_("open the kudos form")
counted = ngettext("{count} person", "{count} people", 2)
plain = "Kudos sent to everyone."
formatted = f"You have {left} left today."
button = Button(action_id="kudos.undo", label="Undo")
identifier = Input(name="reason", kind="textarea")
syntax = KUDOS.add("values", usage="[add NAME description]", help=N_("the values"))
command = Subcommands("/kudos values", summary=N_("Company values:"))
data = ("teamwork", "We win together")  # not translated: demo content
markup = f'<td style="color:{ink}">{escape(shown)}</td>'
worded = f'<p class="note">Nobody yet.</p>'
'''
    found = [text for _, text in bypasses(source)]
    assert sorted(found) == [
        " Nobody yet. ",
        "Kudos sent to everyone.",
        "Undo",
        "You have  left today.",
    ]


def test_a_po_file_is_read_without_a_compiled_catalog(tmp_path: Path) -> None:
    domain = Domain("kudos", ROOT / "handlers" / "kudos")
    po = domain.po("de")
    copy = tmp_path / "de" / "LC_MESSAGES" / "kudos.po"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(po.read_bytes())
    catalog = Catalog("kudos", tmp_path)
    with speaking("de"):
        assert catalog.gettext("Undo") == "Rückgängig"
        assert catalog.ngettext("{count} person", "{count} people", 1) == "{count} Person"
        assert catalog.ngettext("{count} person", "{count} people", 3) == "{count} Personen"
    assert not copy.with_suffix(".mo").exists()
    assert catalog.gettext("Undo") == "Undo"


def test_plural_rules_follow_the_language() -> None:
    catalog = Catalog("kudos", ROOT / "handlers" / "kudos" / "locale")
    forms = {}
    for language in SHIPPED:
        with speaking(language):
            forms[language] = [
                catalog.ngettext("{count} person", "{count} people", n) for n in (0, 1, 2)
            ]
    assert forms["en"] == ["{count} people", "{count} person", "{count} people"]
    # French counts nobody in the singular, as it counts one.
    assert forms["fr"] == ["{count} personne", "{count} personne", "{count} personnes"]
    assert forms["ja"] == ["{count} 人"] * 3


def test_numbers_and_lists_follow_the_language() -> None:
    shown = {}
    for language in SHIPPED:
        with speaking(language):
            shown[language] = (format_number(12345), format_list(["Ann", "Bob", "Cy"]))
    assert shown["en"] == ("12,345", "Ann, Bob, and Cy")
    assert shown["fr"] == ("12\u202f345", "Ann, Bob et Cy")
    assert shown["de"] == ("12.345", "Ann, Bob und Cy")
    assert shown["es"] == ("12.345", "Ann, Bob y Cy")
    assert shown["ja"] == ("12,345", "Ann、Bob、Cy")
