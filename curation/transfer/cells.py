"""How values are written inside one cell, and quoted in messages: shared by every step."""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from common.spreadsheet_write import CELL_MAX
from common.text import text_problem as storable_problem

SHOWN_MAX = 60
COORDINATE_STEP = Decimal("0.00001")  # the model keeps five decimals (about a metre)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What a reader or a check returns when it has nothing to set: the value was reported, or is
# left as it is.
NOTHING: Any = object()


_SURROGATE = re.compile("[\ud800-\udfff]")


def shown(value: object) -> str:
    """A value quoted for a message: short, on one line."""
    text = str(value)
    if len(text) > SHOWN_MAX:
        text = text[: SHOWN_MAX - 1] + "…"
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    # A lone surrogate (JSON can carry "\ud800") cannot be written to a page or a terminal.
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return f"'{text}'"


def clean(text: str) -> str:
    """Trim and use one kind of line break: how every text is compared and stored."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def split_list(text: str) -> list[str]:
    """Codes or labels separated by ';', trimmed, exact repeats dropped."""
    return list(dict.fromkeys(item.strip() for item in text.split(";") if item.strip()))


def text_problem(text: str) -> str | None:
    """The site's one rule for text (common.text), at most what a spreadsheet cell holds."""
    return storable_problem(text, max_length=CELL_MAX)


def kind_of(value: object) -> str:
    """What a JSON value is, for a message ("expected text, got a number")."""
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float | Decimal):
        return _("a number")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__


def decimal_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def whole_number(text: str) -> int | None:
    """None for an empty cell; NOTHING for text that is no whole number."""
    if not text:
        return None
    if _INTEGER.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts
            pass
    return NOTHING


def decimal_number(text: str) -> Decimal | None:
    """None for an empty cell; NOTHING for text that is no number. A decimal comma (45,76
    from a spreadsheet in a European locale) is read as a point."""
    if not text:
        return None
    if _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    if _NUMBER.fullmatch(text):
        number = Decimal(text)
        if number.is_finite():
            if abs(number) < 1000:
                # More decimals than the model keeps (GPS tools give seven): round to five.
                number = number.quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP)
            return number
    return NOTHING


def iso_date(text: str) -> datetime.date | None:
    """None for an empty cell; NOTHING for text that is no date written YYYY-MM-DD."""
    if not text:
        return None
    if _ISO_DATE.fullmatch(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:  # 2024-02-30
            pass
    return NOTHING
