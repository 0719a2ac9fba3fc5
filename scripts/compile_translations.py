"""Compiles every translation catalogue of the project (`*.po` -> `*.mo`), with Babel.

Run by the install steps (`make run`, `make test`, `make serve`), so that a fresh checkout needs
no GNU gettext: Django's `compilemessages` would call its `msgfmt`. A catalogue with a syntax
error stops the install with its file and line. Fuzzy entries are left out, as msgfmt does.

A catalogue makemessages has just created for a one-form language (Korean) carries an empty
second plural form (`msgstr[1] ""`, copied from the template) that Babel refuses; empty extra
forms are dropped before reading (scripts/make-messages removes them from the file itself).
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "var", "node_modules", ".git"}


def catalogues(root: Path = ROOT) -> list[Path]:
    found = []
    for path in root.rglob("locale/*/LC_MESSAGES/*.po"):
        if not SKIP.intersection(path.relative_to(root).parts):
            found.append(path)
    return sorted(found)


_PLURAL_COUNT = re.compile(rb"nplurals\s*=\s*(\d+)")
_EMPTY_FORM = re.compile(rb'^msgstr\[(\d+)\] ""\r?\n', re.MULTILINE)


def without_empty_extra_forms(data: bytes) -> bytes:
    """The catalogue without `msgstr[n] ""` lines beyond its Plural-Forms' count."""
    found = _PLURAL_COUNT.search(data)
    if not found:
        return data
    count = int(found.group(1))
    # A blank line in its place keeps the line numbers of error messages right.
    return _EMPTY_FORM.sub(lambda m: b"\n" if int(m.group(1)) >= count else m.group(0), data)


def compile_one(po_path: Path) -> bool:
    """Writes the .mo beside `po_path` when it is missing or older; True when it wrote."""
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    locale = po_path.parent.parent.name
    data = without_empty_extra_forms(po_path.read_bytes())
    catalogue = read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    # A temporary file of this process's own: two runs at once (CI runs the suite on both
    # databases side by side) each write theirs and the last rename wins, both complete.
    handle, name = tempfile.mkstemp(prefix=".django.", suffix=".mo.tmp", dir=mo_path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            write_mo(out, catalogue, use_fuzzy=False)
        os.chmod(temporary, 0o644)
        temporary.replace(mo_path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def main() -> int:
    written = 0
    for po_path in catalogues():
        try:
            written += compile_one(po_path)
        except PoFileError as error:
            print(f"{po_path.relative_to(ROOT)}: {error}", file=sys.stderr)
            return 1
    if written:
        print(f"Compiled {written} translation catalogue(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
