"""The one rule for text that enters the site: forms, imports, the API, commands.

Every text must be storable in PostgreSQL (no NUL), writable to a spreadsheet cell and an
XML-based XLSX file (no control characters other than tab and line breaks), encodable as
UTF-8 (no lone surrogates, which JSON can smuggle in as "\\ud800"), and no longer than its
field allows.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# C0 controls except tab, line feed and carriage return; DEL; C1 controls. XLSX (XML 1.0)
# cannot hold any of them, and PostgreSQL cannot hold NUL.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile("[\r\n\u2028\u2029]")
# Embedding and override marks flip how the rest of a line is displayed ("Trojan Source"): a
# name could read differently from what it is. Arabic or Hebrew text needs none of them.
_DIRECTION_OVERRIDE = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Letters that draw nothing: the Hangul fillers (U+3164 passes as a Korean name otherwise) and
# the blank Braille pattern. With spaces, format and control characters they make a name that
# shows as an empty link.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")

# What one spreadsheet cell holds (Excel and LibreOffice); longer texts are cut on export.
SPREADSHEET_CELL_MAX = 32_767


def _grouped(n: int) -> str:
    return number_format(n, force_grouping=True)


def _shows_something(value: str) -> bool:
    return any(
        char not in _BLANK_LETTERS and unicodedata.category(char)[0] not in "ZC" for char in value
    )


def text_problem(
    value: str, *, multiline: bool = True, max_length: int | None = None
) -> str | None:
    """Why `value` cannot be stored, in words, or None.

    The reason is a predicate in the active language ("contains a NUL character, which cannot
    be stored"), put after the name of what it is about by a whole-sentence message of the
    caller: `field_problem`, the validators, the import reports ("row 4, column name: ...").
    """
    if _SURROGATE.search(value):
        return _("contains characters that are not valid text (a broken encoding)")
    found = _FORBIDDEN.search(value)
    if found:
        if found.group() == "\x00":
            return _("contains a NUL character, which cannot be stored")
        return _("contains a control character (U+%(code)s), which cannot be stored") % {
            "code": f"{ord(found.group()):04X}"
        }
    if not multiline and _LINE_BREAK.search(value):
        return _("must be on one line")
    if not multiline and value and not _shows_something(value):
        return _("has no visible character")
    if not multiline and _DIRECTION_OVERRIDE.search(value):
        return _("contains a text-direction override character, which could disguise it")
    if max_length is not None and len(value) > max_length:
        return _("is %(length)s characters long; at most %(limit)s are allowed") % {
            "length": _grouped(len(value)),
            "limit": _grouped(max_length),
        }
    return None


def field_problem(
    label: str, value: str, *, multiline: bool = True, max_length: int | None = None
) -> str | None:
    """`text_problem` as a sentence naming the field: 'Description contains a NUL ...'."""
    problem = text_problem(value, multiline=multiline, max_length=max_length)
    if not problem:
        return None
    return _("%(field)s %(problem)s.") % {"field": label, "problem": problem}


def validate_storable(value: str) -> None:
    """Model field validator for texts that may run over several lines."""
    _raise_for(text_problem(value or ""))


def validate_one_line(value: str) -> None:
    """Model field validator for names, places, phone numbers: one line of storable text."""
    _raise_for(text_problem(value or "", multiline=False))


def _raise_for(problem: str | None) -> None:
    if problem:
        # Imported here: the rule itself (text_problem) is plain Python, usable anywhere.
        from django.core.exceptions import ValidationError

        raise ValidationError(
            _("This text %(problem)s.") % {"problem": problem}, code="unstorable_text"
        )


def counted(n: int, one: str, many: str = "") -> str:
    """A count with its noun as a person writes it: "1 meeting", "3 meetings", "2 people"
    (`many` for a plural that is not `one` + "s").

    English only, for logs and developers' output: words a person reads are a whole sentence
    with `ngettext` ("%(count)s meetings moved"), which each language counts its own way."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
