"""Compiles the translation catalogues (locale/*/LC_MESSAGES/django.po → .mo) with Babel, in pure Python.

Each app owns the words of its pages, emails and services in `apps/<app>/locale/`; the project's
`locale/` holds the shared ones (the base page, errors, the core). Django looks in all of them,
the project's first, so one message lives in one catalogue (a test holds that).

`make run` and `make test` call it before anything else (hbs.devenv), so a fresh clone needs no
GNU gettext: the .po files are the source, the .mo files are built and never committed.
Run by hand: `python -m hbs.catalogues` (prints what it compiled; `--check` only reads them).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"


def catalogue_files(locale_dir: Path | None = None) -> list[Path]:
    """The project's catalogues and every app's (or only those under `locale_dir`)."""
    if locale_dir is not None:
        return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))
    return sorted([*LOCALE_DIR.glob("*/LC_MESSAGES/*.po"), *(ROOT / "apps").glob("*/locale/*/LC_MESSAGES/*.po")])


def compile_catalogues(locale_dir: Path | None = None) -> list[Path]:
    """Writes each .po's .mo when the .po is newer (or the .mo missing); answers the .mo files written."""
    written = []
    for source in catalogue_files(locale_dir):
        target = source.with_suffix(".mo")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        with source.open("rb") as handle:
            catalogue = read_po(handle, locale=source.parent.parent.name)
        with target.open("wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=False)
        written.append(target)
    return written


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)s|\{\w+\}", text))


def untranslated(source: Path) -> list[str]:
    """What a catalogue leaves in English: empty or fuzzy entries, and translations that drop or add a
    placeholder (a %(name)s or {name} the page fills in)."""
    with source.open("rb") as handle:
        catalogue = read_po(handle, locale=source.parent.parent.name)
    faults = []
    for message in catalogue:
        if not message.id:
            continue
        ids = tuple(str(text) for text in message.id) if isinstance(message.id, tuple | list) else (str(message.id),)
        given = message.string
        strings = tuple(str(text or "") for text in given) if isinstance(given, tuple | list) else (str(given or ""),)
        if message.fuzzy or not all(strings):
            faults.append(f"{source.parent.parent.name}: untranslated {ids[0]!r}")
        elif any(_placeholders(text) != _placeholders(ids[-1]) for text in strings):
            faults.append(f"{source.parent.parent.name}: placeholders differ in {ids[0]!r}")
    return faults


# The calls that mark a message, as Django's makemessages knows them: Babel's own (gettext, ngettext,
# pgettext...) and Django's lazy and no-op forms, read the same way.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
Message = tuple[str | None, str]  # (context, msgid)


def source_files(root: Path = ROOT) -> list[Path]:
    """Where messages are marked: every template, and the Python of the apps and the project (not migrations)."""
    python = [path for folder in ("apps", "hbs") for path in (root / folder).rglob("*.py")]
    templates = [path for path in (root / "templates").rglob("*") if path.is_file()]
    return sorted([*templates, *(path for path in python if "migrations" not in path.parts)])


def marked_in(path: Path) -> set[Message]:
    """The messages one file marks: Python read by Babel; a template first turned by Django's own
    `templatize` (what makemessages does) into calls Babel reads."""
    text, method = path.read_text(encoding="utf-8"), "python"
    if path.suffix != ".py":
        from django.utils.translation.template import templatize

        text, method = templatize(text, origin=str(path)), "javascript"
    found: set[Message] = set()
    for _line, message, _comments, context in extract(method, io.BytesIO(text.encode()), keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple | list) else message
        if msgid:
            found.add((context, str(msgid)))
    return found


def marked_messages(files: Iterable[Path] | None = None) -> dict[Message, Path]:
    """Each marked message and the first file that marks it."""
    messages: dict[Message, Path] = {}
    for path in source_files() if files is None else files:
        for message in marked_in(path):
            messages.setdefault(message, path)
    return messages


# An entry flagged so (`#, django-override`) respells one of Django's own messages for a language (pt-PT
# writes month names in lower case): nothing of ours marks it, and it is not counted as ours.
DJANGO_OVERRIDE = "django-override"


def catalogued(sources: Iterable[Path]) -> tuple[dict[str, dict[Message, list[Path]]], dict[str, set[Message]]]:
    """Per language, in one read of each catalogue: each message ours hold and which catalogues hold it, and
    apart, Django's messages they respell (flagged DJANGO_OVERRIDE)."""
    held: dict[str, dict[Message, list[Path]]] = {}
    respelled: dict[str, set[Message]] = {}
    for source in sources:
        language = source.parent.parent.name
        with source.open("rb") as handle:
            catalogue = read_po(handle, locale=language)
        for message in catalogue:
            if message.id:
                msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
                key = (message.context, str(msgid))
                if DJANGO_OVERRIDE in message.flags:
                    respelled.setdefault(language, set()).add(key)
                else:
                    held.setdefault(language, {}).setdefault(key, []).append(source)
    return held, respelled


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def catalogue_faults(sources: list[Path] | None = None, marked: dict[Message, Path] | None = None) -> list[str]:
    """Everything that would leave a reader with English, or a catalogue untrue to the code: untranslated
    entries, a marked message no catalogue of a language holds, an entry nothing marks any more, and a
    message held by two catalogues (one would silently win)."""
    sources = catalogue_files() if sources is None else sources
    marked = marked_messages() if marked is None else marked
    faults = [fault for source in sources for fault in untranslated(source)]
    ours, django_respelled = catalogued(sources)
    for language, respelled in sorted(django_respelled.items()):
        for _context, msgid in sorted(respelled & set(marked), key=lambda item: (item[1], item[0] or "")):
            faults.append(f"{language}: ours and respelled from Django {msgid!r} (one would shadow the other)")
    for language, held in sorted(ours.items()):
        for (context, msgid), path in sorted(marked.items(), key=lambda item: (item[0][1], item[0][0] or "")):
            if (context, msgid) not in held:
                faults.append(f"{language}: not in a catalogue {msgid!r} (marked in {_shown(path)})")
        for (context, msgid), where in sorted(held.items(), key=lambda item: (item[0][1], item[0][0] or "")):
            if (context, msgid) not in marked:
                faults.append(f"{language}: marked nowhere {msgid!r} ({_shown(where[0])})")
            if len(where) > 1:
                places = ", ".join(_shown(path) for path in where)
                faults.append(f"{language}: in two catalogues {msgid!r} ({places})")
    return faults


def main(argv: list[str]) -> int:
    if "--check" in argv:
        faults = catalogue_faults()
        for fault in faults:
            print(fault)
        return 1 if faults else 0
    written = compile_catalogues()
    for target in written:
        print(f"[hbs] compiled {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
