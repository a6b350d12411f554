"""`make translations`: extract each package's messages, update its catalogs, compile them.

A package that speaks through catalogs has a `locale` directory: `handlers/<feature>/locale`
(domain `<feature>`) or `bot/locale` (domain `rapport`, the core). Its template
(`<domain>.pot`) and one `.po` per shipped language are kept in git; the `.mo` files are built
here (and by `make .venv/.installed`) and ignored by git: bot.kit.i18n compiles a `.po` in
memory when no fresh `.mo` exists. `problems` is what tests/test_translations.py asserts.

    python -m bot.wiring.translations [extract|update|compile|check]
"""

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.kit.i18n import SHIPPED, SOURCE

ROOT = Path(__file__).resolve().parents[2]
# The code whose every user-facing string goes through its catalog; tests/test_translations.py
# fails on a string there that bypasses it. What is not listed still speaks English only
# (docs/development/adding-a-language.md lists both).
CONVERTED = (
    "bot/contract/app.py",
    "bot/kit/feature_settings.py",
    "bot/kit/hours_text.py",
    "bot/kit/preferences.py",
    "bot/kit/roles.py",
    "bot/kit/safety.py",
    "bot/kit/subcommands.py",
    "handlers/admin",
    "handlers/charts.py",
    "handlers/coffee",
    "handlers/dashboard",
    "handlers/digest",
    "handlers/help",
    "handlers/home",
    "handlers/ideas",
    "handlers/insights",
    "handlers/kudos",
    "handlers/mentoring",
    "handlers/people",
    "handlers/privacy",
    "handlers/profile",
    "handlers/pulse",
    "handlers/qa",
)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# A word to translators above a message: `# Translators: ...`.
COMMENT_TAGS = ("Translators:",)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Domain:
    name: str
    sources: Path

    @property
    def locale(self) -> Path:
        return self.sources / "locale"

    @property
    def template(self) -> Path:
        return self.locale / f"{self.name}.pot"

    def po(self, language: str) -> Path:
        return self.locale / language / "LC_MESSAGES" / f"{self.name}.po"


def languages() -> list[str]:
    return [language for language in SHIPPED if language != SOURCE]


def domains(root: Path = ROOT) -> list[Domain]:
    found = [Domain("rapport", root / "bot")] if (root / "bot" / "locale").is_dir() else []
    found += [
        Domain(locale.parent.name, locale.parent)
        for locale in sorted((root / "handlers").glob("*/locale"))
        if locale.is_dir()
    ]
    return found


def extract(domain: Domain) -> Catalog:
    template = Catalog(
        project="Rapport",
        domain=domain.name,
        copyright_holder="Rapport contributors",
        header_comment=f"# The messages of Rapport's {domain.name}.",
        fuzzy=False,
    )
    found = extract_from_dir(
        domain.sources,
        method_map=[("locale/**", "ignore"), ("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        path = (domain.sources / filename).relative_to(ROOT).as_posix()
        template.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return template


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=language)


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        write_po(
            target, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True
        )


def _ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def update(domain: Domain) -> None:
    """The template from the code (rewritten only when its messages changed, so that dates
    do not churn), and each language's catalog brought up to it."""
    template = extract(domain)
    if not domain.template.exists() or _ids(_read(domain.template)) != _ids(template):
        _write(domain.template, template)
    template = _read(domain.template)
    for language in languages():
        path = domain.po(language)
        if path.exists():
            catalog = _read(path, language)
            catalog.update(template)
        else:
            catalog = Catalog(
                locale=Locale.parse(language),
                domain=domain.name,
                project="Rapport",
                copyright_holder="Rapport contributors",
                header_comment=f"# {language} messages of Rapport's {domain.name}.",
            )
            catalog.update(template)
        _write(path, catalog)


def compile_catalogs(domain: Domain) -> None:
    for language in languages():
        path = domain.po(language)
        if path.exists():
            with path.with_suffix(".mo").open("wb") as target:
                write_mo(target, _read(path, language))


def problems(domain: Domain) -> list[str]:
    """What keeps the domain from speaking every shipped language fully and correctly."""
    found: list[str] = []
    extracted = _ids(extract(domain))
    if not domain.template.exists() or _ids(_read(domain.template)) != extracted:
        found.append(f"{domain.template.relative_to(ROOT)} is stale: run `make translations`")
    for language in languages():
        path = domain.po(language)
        if not path.exists():
            found.append(f"{path.relative_to(ROOT)} is missing: run `make translations`")
            continue
        catalog = _read(path, language)
        named = path.relative_to(ROOT)
        missing = extracted - _ids(catalog)
        if missing:
            found.append(f"{named} lacks {len(missing)} messages: run `make translations`")
        found += [f"{named}: {issue}" for issue in _unfinished(catalog, extracted)]
    return found


def _unfinished(catalog: Catalog, wanted: set[object]) -> Iterable[str]:
    for message in catalog:
        if not message.id or message.id not in wanted:
            continue
        shown = _first(message.id)
        strings = [str(s or "") for s in _as_tuple(message.string)]
        if message.fuzzy:
            yield f"{shown!r} is fuzzy: check its translation and remove the flag"
        elif not all(strings) or len(strings) != _forms(catalog, message):
            yield f"{shown!r} is not translated"
        elif any(not _fits(s, message) for s in strings):
            yield f"{shown!r}: the translation's {{placeholders}} differ from the message's"


def _as_tuple(value: object) -> tuple[object, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def _first(message_id: object) -> str:
    return str(message_id[0] if isinstance(message_id, tuple) else message_id)


def _forms(catalog: Catalog, message: Message) -> int:
    return catalog.num_plurals if message.pluralizable else 1


def _fits(translated: str, message: Message) -> bool:
    """A translation names no placeholder the code does not fill in; outside plurals (where
    "one" may be said as a word) it names all of them."""
    theirs, ours = _placeholders(translated), _placeholders(message.id)
    return theirs <= ours if message.pluralizable else theirs == ours


def _placeholders(text: object) -> set[str]:
    texts = text if isinstance(text, tuple) else (text,)
    return {found for one in texts for found in _PLACEHOLDER.findall(str(one))}


def main(steps: list[str]) -> int:
    everything = domains()
    for step in steps or ["update", "compile"]:
        for domain in everything:
            match step:
                case "extract":
                    _write(domain.template, extract(domain))
                case "update":
                    update(domain)
                case "compile":
                    compile_catalogs(domain)
                case "check":
                    for problem in problems(domain):
                        print(problem)
                case _:
                    print(f"unknown step {step!r}: extract, update, compile or check")
                    return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
