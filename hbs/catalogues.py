"""Compiles the translation catalogues (locale/*/LC_MESSAGES/django.po → .mo) with Babel, in pure Python.

Each app owns the words of its pages, emails and services in `apps/<app>/locale/`; the project's
`locale/` holds the shared ones (the base page, errors, the core). Django looks in all of them,
the project's first, so one message lives in one catalogue (a test holds that).

`make run` and `make test` call it before anything else (hbs.devenv), so a fresh clone needs no
GNU gettext: the .po files are the source, the .mo files are built and never committed.
Run by hand: `python -m hbs.catalogues` (prints what it compiled; `--check` only reads them).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

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


def main(argv: list[str]) -> int:
    if "--check" in argv:
        faults = [fault for source in catalogue_files() for fault in untranslated(source)]
        for fault in faults:
            print(fault)
        return 1 if faults else 0
    written = compile_catalogues()
    for target in written:
        print(f"[hbs] compiled {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
