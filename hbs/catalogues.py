"""Compiles the translation catalogues (locale/*/LC_MESSAGES/django.po → .mo) with Babel, in pure Python.

`make run` and `make test` call it before anything else (hbs.devenv), so a fresh clone needs no
GNU gettext: the .po files are the source, the .mo files are built and never committed.
Run by hand: `python -m hbs.catalogues` (prints what it compiled; `--check` only reads them).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def catalogue_files(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
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


def main(argv: list[str]) -> int:
    written = compile_catalogues()
    for target in written:
        print(f"[hbs] compiled {target.relative_to(LOCALE_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
