"""Bulk import and export of actors: one column format for CSV, XLSX and JSON.

The format is described for people in docs/import-format.md. The rules that shape this module:

- An import is all or nothing. Every row is checked first and every problem reported; one
  problem and nothing is written. Otherwise everything is written in a single transaction, so a
  crash or a lost connection half-way leaves the directory as it was.
- Rows are matched to the directory by slug: a new slug creates an actor, a known slug updates
  it, and an actor whose every column already holds the file's value is left alone (no save,
  no new `updated_at`, no history entry). Re-importing a file therefore changes nothing.
- Export writes exactly what import reads, so export-then-import reports every actor unchanged.
- Contacts are personal data: exports carry them only when the caller says so (curators).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django_countries import countries

from common.spreadsheet_read import MAX_BYTES, TableError, read_sheet
from common.spreadsheet_write import FORMULA_PREFIXES, XLSX_TYPE, safe_cell
from curation.history import CHANGE_REASON_MAX
from directory.demo_schema import DEMO_COLUMNS
from directory.models import (
    Actor,
    ContactPerson,
    Interest,
    Kind,
    LegalBasis,
    Region,
    Sector,
    Side,
    Status,
)

logger = logging.getLogger(__name__)

# The demo files' fields, then what only the directory itself knows.
COLUMNS: tuple[str, ...] = (*DEMO_COLUMNS, "last_verified", "contacts")
REQUIRED: tuple[str, ...] = ("slug", "name", "side", "country", "kind", "description")
LIST_COLUMNS: tuple[str, ...] = ("keywords", "sectors", "offers", "seeks")
NUMBER_COLUMNS: tuple[str, ...] = ("founded", "members", "latitude", "longitude")
# Model text fields copied as they are (after trimming).
TEXT_COLUMNS: tuple[str, ...] = ("name", "acronym", "city", "description", "website", "source")
# Columns stored in the actor's own row (the others are links or contacts).
_FIELD_COLUMNS = frozenset(COLUMNS) - {"sectors", "offers", "seeks", "contacts"}
CONTACT_PARTS: tuple[str, ...] = ("name", "role", "email", "phone", "legal_basis", "source")
FORMATS: tuple[str, ...] = ("csv", "xlsx", "json")
CONTENT_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_TYPE,
    "json": "application/json; charset=utf-8",
}
# Names people write that differ from django-countries' English names.
COUNTRY_ALIASES: dict[str, str] = {
    "korea": "KR",
    "republic of korea": "KR",
    "korea, republic of": "KR",
    "korea (republic of)": "KR",
    "czech republic": "CZ",
    "turkey": "TR",
    "the netherlands": "NL",
    "great britain": "GB",
    "uk": "GB",
}
COORDINATE_STEP = Decimal("0.00001")  # the model keeps five decimals (about a metre)
SHOWN_MAX = 60
# The most a spreadsheet cell holds (openpyxl cuts longer text): a longer text could not come
# back from an XLSX export intact, so no format accepts one.
CELL_MAX = 32767

# A cell our exporter protected with an apostrophe: one or more apostrophes, then a character
# a spreadsheet would start a formula with. The import removes exactly one apostrophe, and the
# export adds one to text that already looks like this, so both directions stay exact.
_PROTECTED = re.compile("'+[" + re.escape("".join(FORMULA_PREFIXES)) + "]")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# -- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, said so that the person can find and fix it."""

    message: str
    number: int = 0  # the row (or JSON item) it is about; 0 for the file as a whole
    column: str = ""


@dataclass(frozen=True)
class ActorChange:
    slug: str
    name: str
    where: str  # "row 4" or "item 2"
    columns: tuple[str, ...] = ()  # for an update: the columns whose value changes


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    created: list[ActorChange] = field(default_factory=list)
    updated: list[ActorChange] = field(default_factory=list)
    unchanged: list[ActorChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False  # True once the changes are committed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[str]:
        return [problem.message for problem in self.problems]

    def summary(self) -> str:
        if self.problems:
            return f"{len(self.problems)} problem(s) found; nothing was written."
        counts = (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )
        if self.dry_run:
            return f"Dry run: {counts}; nothing was written."
        return counts + "."


# -- small helpers ---------------------------------------------------------------------------


def _shown(value: object) -> str:
    """A value quoted for a message: short, on one line."""
    text = str(value)
    if len(text) > SHOWN_MAX:
        text = text[: SHOWN_MAX - 1] + "…"
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return f"'{text}'"


def _clean(text: str) -> str:
    """Trim and use one kind of line break: how every text is compared and stored."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _unprotect(text: str) -> str:
    return text[1:] if _PROTECTED.match(text) else text


def _protect(text: str) -> str:
    # safe_cell covers the formula characters; text already starting with an apostrophe
    # before one of them gets one more, which the import takes away again.
    return "'" + text if _PROTECTED.match(text) else safe_cell(text)


def _split_list(text: str) -> list[str]:
    # Repeats dropped, as the profile form does with keywords.
    return list(dict.fromkeys(item.strip() for item in text.split(";") if item.strip()))


def _escape_part(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace("|", "\\|").replace("\n", "\\\n")


def _parse_contacts_text(text: str) -> list[list[str]]:
    """Entries separated by ';' or a line break, parts by '|'; a backslash keeps the next
    ';', '|', line break or backslash literal (the exporter writes such escapes)."""
    entries: list[list[str]] = []
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in "\\;|\n":
            current.append(text[index + 1])
            index += 2
            continue
        if char in ";\n":
            parts.append("".join(current))
            entries.append(parts)
            parts, current = [], []
        elif char == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    entries.append(parts)
    return [[part.strip() for part in entry] for entry in entries if any(p.strip() for p in entry)]


def _contacts_text(contacts: list[dict[str, str]]) -> str:
    entries = []
    for contact in contacts:
        parts = [_escape_part(contact.get(key) or "") for key in CONTACT_PARTS]
        while parts and not parts[-1]:
            parts.pop()
        entries.append(" | ".join(parts))
    return "; ".join(entries)


def _text_problem(text: str) -> str | None:
    if len(text) > CELL_MAX:
        return f"is longer than {CELL_MAX} characters, the most a spreadsheet cell holds"
    if "\x00" in text:
        return "contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text"
    return None


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# -- reading the file into records -------------------------------------------------------------


@dataclass
class _Record:
    """One actor as read from the file: text for plain columns, lists for list columns,
    a list of part dicts for contacts. Only the columns the file has are present."""

    number: int
    where: str
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)  # columns already reported


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, *, number: int, where: str, column: str, reason: str) -> None:
        if where and column:
            message = f"{where}, column {column}: {reason}"
        elif where:
            message = f"{where}: {reason}"
        else:
            message = reason
        self.problems.append(Problem(message=message, number=number, column=column))

    def file(self, reason: str) -> None:
        self.add(number=0, where="", column="", reason=reason)


def _contact_dicts(entries: list[list[str]]) -> list[dict[str, str]]:
    contacts = []
    for parts in entries:
        contact = dict(zip(CONTACT_PARTS, parts, strict=False))
        if len(parts) > len(CONTACT_PARTS):
            # Reported by the check rather than silently cut off.
            contact["_extra"] = " | ".join(parts[len(CONTACT_PARTS) :])
        contacts.append(contact)
    return contacts


def _read_sheet_records(*, data: bytes, filename: str, out: _Collector) -> list[_Record]:
    try:
        table = read_sheet(data=data, filename=filename)
    except TableError as exc:
        out.file(str(exc))
        return []
    seen: set[str] = set()
    for name in table.header:
        if not name:
            continue
        if name not in COLUMNS:
            out.add(number=1, where="row 1", column=name, reason="unknown column")
        elif name in seen:
            out.add(number=1, where="row 1", column=name, reason="appears more than once")
        seen.add(name)
    present = seen & set(COLUMNS)
    for name in REQUIRED:
        if name not in present:
            out.add(
                number=1,
                where="row 1",
                column=name,
                reason=f"missing column; required columns: {', '.join(REQUIRED)}",
            )
    records = []
    for row in table.rows:
        where = f"row {row.number}"
        record = _Record(number=row.number, where=where, values={})
        if row.extra:
            out.add(
                number=row.number,
                where=where,
                column="",
                reason=f"{len(row.extra)} cell(s) under no column name (first: "
                f"{_shown(row.extra[0])}); a separator inside a cell needs quotes, and each "
                "column a name in row 1",
            )
        for column in present:
            text = _clean(_unprotect(row.get(column)))
            if column in LIST_COLUMNS:
                record.values[column] = _split_list(text)
            elif column == "contacts":
                record.values[column] = _contact_dicts(_parse_contacts_text(text))
            else:
                record.values[column] = text
        if any(record.values.values()):
            records.append(record)
    return records


def _json_text(
    value: object, *, column: str, record: _Record, out: _Collector, numbers: bool = False
) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean(value)
    if numbers and isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    expected = "text or a number" if numbers else "text"
    out.add(
        number=record.number,
        where=record.where,
        column=column,
        reason=f"expected {expected}, got {_kind_of(value)}",
    )
    record.bad.add(column)
    return None


def _json_list(value: object, *, column: str, record: _Record, out: _Collector) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return _split_list(_clean(value))
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(dict.fromkeys(item for text in value for item in _split_list(_clean(text))))
    out.add(
        number=record.number,
        where=record.where,
        column=column,
        reason=f"expected a list of texts (or one text with ';'), got {_kind_of(value)}",
    )
    record.bad.add(column)
    return []


def _json_contacts(
    value: object, *, record: _Record, out: _Collector
) -> list[dict[str, str]] | None:
    if value is None:
        return []
    if isinstance(value, str):
        return _contact_dicts(_parse_contacts_text(_clean(value)))
    if not isinstance(value, list):
        out.add(
            number=record.number,
            where=record.where,
            column="contacts",
            reason=f"expected a list of contact objects, got {_kind_of(value)}",
        )
        record.bad.add("contacts")
        return None
    contacts = []
    for index, item in enumerate(value, start=1):
        problem = None
        if not isinstance(item, dict):
            problem = f"contact {index}: expected an object, got {_kind_of(item)}"
        else:
            unknown = [str(key) for key in item if key not in CONTACT_PARTS]
            wrong = [
                str(key)
                for key, part in item.items()
                if key in CONTACT_PARTS and part is not None and not isinstance(part, str)
            ]
            if unknown:
                problem = f"contact {index}: unknown key(s) {', '.join(map(_shown, unknown))}"
            elif wrong:
                problem = f"contact {index}: {', '.join(wrong)} must be text"
        if problem:
            out.add(number=record.number, where=record.where, column="contacts", reason=problem)
            record.bad.add("contacts")
            continue
        contacts.append({key: _clean(item.get(key) or "") for key in CONTACT_PARTS if key in item})
    return None if "contacts" in record.bad else contacts


def _read_json_records(*, data: bytes, out: _Collector) -> list[_Record]:
    if len(data) > MAX_BYTES:
        out.file(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        out.file(f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read).")
        return []
    try:
        # Decimals keep coordinates exact; RecursionError comes from absurdly deep nesting.
        document = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:
        out.file(f"The file is not valid JSON ({str(exc)[:200]}).")
        return []
    if isinstance(document, dict) and "actors" in document:
        document = document["actors"]
    if not isinstance(document, list):
        out.file('The JSON must be a list of actors, or an object {"actors": [...]}.')
        return []
    records = []
    for index, item in enumerate(document, start=1):
        where = f"item {index}"
        if not isinstance(item, dict):
            out.add(
                number=index,
                where=where,
                column="",
                reason=f"expected an object with the actor's columns, got {_kind_of(item)}",
            )
            continue
        record = _Record(number=index, where=where, values={})
        for key, value in item.items():
            if key not in COLUMNS:
                out.add(number=index, where=where, column=str(key), reason="unknown column")
                continue
            if key in LIST_COLUMNS:
                record.values[key] = _json_list(value, column=key, record=record, out=out)
            elif key == "contacts":
                contacts = _json_contacts(value, record=record, out=out)
                if contacts is not None:
                    record.values[key] = contacts
            else:
                text = _json_text(
                    value, column=key, record=record, out=out, numbers=key in NUMBER_COLUMNS
                )
                if text is not None:
                    record.values[key] = text
        for name in REQUIRED:
            if name not in item:
                out.add(
                    number=index,
                    where=where,
                    column=name,
                    reason=f"missing; required columns: {', '.join(REQUIRED)}",
                )
                record.bad.add(name)
        records.append(record)
    return records


# -- checking each record against the directory ------------------------------------------------


def _by_code_or_label(choices: Iterable[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for code, label in choices:
        found.setdefault(str(label).lower(), code)
    for code, _label in choices:
        found[code.lower()] = code
    return found


class _Lookups:
    """The taxonomy and vocabularies, loaded once per import (they are small)."""

    def __init__(self) -> None:
        # A code wins over a label that happens to read the same.
        sectors = list(Sector.objects.all())
        self.sectors: dict[str, Sector] = {s.label.lower(): s for s in sectors}
        self.sectors.update({s.code.lower(): s for s in sectors})
        interests = list(Interest.objects.all())
        self.interests: dict[str, Interest] = {i.label.lower(): i for i in interests}
        self.interests.update({i.code.lower(): i for i in interests})
        regions = list(Region.objects.all())
        self.region_codes = {r.code.lower(): r for r in regions}
        self.region_names: dict[str, list[Region]] = {}
        for region in regions:
            self.region_names.setdefault(region.name.lower(), []).append(region)
        self.sides = _by_code_or_label(Side.choices)
        self.kinds = _by_code_or_label(Kind.choices)
        self.statuses = _by_code_or_label(Status.choices)
        self.legal_bases = _by_code_or_label(LegalBasis.choices)
        self.countries: dict[str, str] = {}
        for code, name in countries:
            self.countries[str(name).lower()] = code
        self.countries.update(COUNTRY_ALIASES)
        self.countries.update({code.lower(): code for code, _name in countries})

    def country(self, text: str) -> str:
        key = text.lower()
        return self.countries.get(key) or countries.by_name(text) or ""

    def region(self, text: str, country: str) -> Region | None:
        if text.lower() in self.region_codes:
            return self.region_codes[text.lower()]
        named = self.region_names.get(text.lower(), [])
        in_country = [r for r in named if r.country.code == country]
        return (in_country or named or [None])[0]


@dataclass
class _Plan:
    record: _Record
    slug: str
    name: str
    actor: Actor  # the existing actor (to be changed) or a new, unsaved one
    is_new: bool
    values: dict[str, Any] = field(default_factory=dict)  # model field -> resolved value
    m2m: dict[str, set[int]] = field(default_factory=dict)
    parent: str | None = None  # slug ("" for none); None when the file has no parent column
    contacts: list[tuple[str, ...]] | None = None
    changed: list[str] = field(default_factory=list)


def _number(text: str, *, column: str, record: _Record, out: _Collector) -> int | Decimal | None:
    if not text:
        return None
    if column in ("founded", "members"):
        if _INTEGER.fullmatch(text):
            try:
                return int(text)
            except ValueError:  # more digits than Python converts
                pass
        out.add(
            number=record.number,
            where=record.where,
            column=column,
            reason=f"{_shown(text)} is not a whole number",
        )
        record.bad.add(column)
        return None
    if _DECIMAL_COMMA.fullmatch(text):  # 45,76 from a spreadsheet in a European locale
        text = text.replace(",", ".")
    if _NUMBER.fullmatch(text):
        number = Decimal(text)
        if number.is_finite():
            if abs(number) < 1000:
                # More decimals than the model keeps (GPS tools give seven): round to five.
                number = number.quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP)
            return number
    out.add(
        number=record.number,
        where=record.where,
        column=column,
        reason=f"{_shown(text)} is not a number",
    )
    record.bad.add(column)
    return None


def _resolve(record: _Record, *, look: _Lookups, existing: Actor | None, out: _Collector) -> _Plan:
    """Turn one record into model values, reporting what cannot be understood."""
    values = record.values

    def problem(column: str, reason: str) -> None:
        out.add(number=record.number, where=record.where, column=column, reason=reason)
        record.bad.add(column)

    for column, value in values.items():
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            parts = text.values() if isinstance(text, dict) else [text]
            for part in parts:
                reason = _text_problem(part)
                if reason and column not in record.bad:
                    problem(column, f"{_shown(part)} {reason}")
    slug = values.get("slug", "") if "slug" not in record.bad else ""
    actor = existing if existing is not None else Actor()
    plan = _Plan(
        record=record,
        slug=slug,
        name=values.get("name") or (existing.name if existing else ""),
        actor=actor,
        is_new=existing is None,
    )
    for column in REQUIRED:
        if column in values and not values[column] and column not in record.bad:
            problem(column, "empty, but required")
    resolved = plan.values
    for column in TEXT_COLUMNS + ("slug",):
        if column in values and column not in record.bad:
            resolved[column] = values[column]
    for column, table, noun in (
        ("side", look.sides, "side"),
        ("kind", look.kinds, "kind"),
        ("status", look.statuses, "status"),
    ):
        text = values.get(column, "")
        if text and column not in record.bad:
            code = table.get(text.lower())
            if code is None:
                hint = {
                    "side": " (eu or kr)",
                    "status": " (draft, published or archived)",
                }.get(column, "")
                problem(column, f"unknown {noun} {_shown(text)}{hint}")
            else:
                resolved[column] = code
    country = ""
    if values.get("country") and "country" not in record.bad:
        country = look.country(values["country"])
        if country:
            resolved["country"] = country
        else:
            problem("country", f"unknown country {_shown(values['country'])}")
    elif existing is not None and "country" not in values:
        country = existing.country.code
    if "region" in values and "region" not in record.bad:
        text = values["region"]
        region = look.region(text, country) if text else None
        if text and region is None:
            problem("region", f"unknown region {_shown(text)}")
        elif region is not None and country and region.country.code != country:
            problem(
                "region",
                f"region {_shown(text)} is not in {countries.name(country)} "
                f"(it is in {region.country.name})",
            )
        else:
            resolved["region"] = region
    if "parent" in values and "parent" not in record.bad:
        plan.parent = values["parent"]
    if "keywords" in values:
        resolved["keywords"] = values["keywords"]
    for column, table, noun in (
        ("sectors", look.sectors, "sector"),
        ("offers", look.interests, "interest"),
        ("seeks", look.interests, "interest"),
    ):
        if column not in values or column in record.bad:
            continue
        ids = set()
        for text in values[column]:
            item = table.get(text.lower())
            if item is None:
                problem(column, f"unknown {noun} {_shown(text)}")
            else:
                ids.add(item.pk)
        plan.m2m[column] = ids
    for column in NUMBER_COLUMNS:
        if column in values and column not in record.bad:
            resolved[column] = _number(values[column], column=column, record=record, out=out)
    if "last_verified" in values and "last_verified" not in record.bad:
        text = values["last_verified"]
        try:
            if text and not _ISO_DATE.fullmatch(text):
                raise ValueError
            resolved["last_verified"] = datetime.date.fromisoformat(text) if text else None
        except ValueError:
            problem("last_verified", f"{_shown(text)} is not a date written YYYY-MM-DD")
    if "contacts" in values and "contacts" not in record.bad:
        plan.contacts = _check_contacts(values["contacts"], look=look, problem=problem)
    _model_check(plan, out=out)
    return plan


def _check_contacts(
    contacts: list[dict[str, str]], *, look: _Lookups, problem: Callable[[str, str], None]
) -> list[tuple[str, ...]]:
    checked = []
    for index, parts in enumerate(contacts, start=1):
        name = parts.get("name", "")
        label = f"contact {index}" + (f" ({_shown(name)[1:-1]})" if name else "")
        if parts.get("_extra"):
            problem(
                "contacts",
                f"{label} has more than {len(CONTACT_PARTS)} parts (extra: "
                f"{_shown(parts['_extra'])}); write name | role | email | phone | "
                "legal_basis | source, and a backslash before a ';' or '|' inside a part",
            )
            continue
        basis_text = parts.get("legal_basis", "")
        basis = look.legal_bases.get(basis_text.lower()) if basis_text else LegalBasis.INTEREST
        if basis is None:
            problem(
                "contacts",
                f"{label}, legal_basis {_shown(basis_text)} is unknown "
                f"({', '.join(LegalBasis.values)})",
            )
            continue
        values = {key: parts.get(key, "") for key in CONTACT_PARTS} | {"legal_basis": basis}
        if not values["name"]:
            problem("contacts", f"{label} has no name (write: name | role | email | phone)")
            continue
        try:
            ContactPerson(**values).full_clean(exclude=["actor"], validate_constraints=False)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    problem(
                        "contacts",
                        f"{label}, {key} {_shown(values.get(key, ''))} is not accepted: {message}",
                    )
            continue
        checked.append(tuple(values[key] for key in CONTACT_PARTS))
    return checked


def _current_text(actor: Actor, column: str) -> str:
    """What the directory holds, for a message about a column the file does not have."""
    if column == "region":
        return actor.region.code if actor.region_id else ""
    if column == "country":
        return actor.country.code if actor.country else ""
    value = getattr(actor, column, "")
    return "" if value is None else str(value)


def _model_check(plan: _Plan, *, out: _Collector) -> None:
    """The model's own rules (lengths, URL, ranges, Korean actors in Korea ...) on the values."""
    record = plan.record
    actor = plan.actor
    fields = []
    for column, value in plan.values.items():
        if column == "keywords":
            actor.keywords = "; ".join(value)
        else:
            setattr(actor, column, value)
        fields.append(column)
    # Foreign keys are checked by the import itself (the model would query each one); the
    # slug's uniqueness too, since a slug in the directory means "update that actor"; and the
    # country, already looked up, whose field check walks every country's name (15 ms a row).
    exclude = {f.name for f in Actor._meta.concrete_fields} - set(fields)
    exclude |= {"region", "parent", "country"} | record.bad
    try:
        actor.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            if column in record.bad:
                continue
            for message in messages:
                if column == NON_FIELD_ERRORS:
                    out.add(number=record.number, where=record.where, column="", reason=message)
                    continue
                shown = record.values.get(column, _current_text(actor, column))
                out.add(
                    number=record.number,
                    where=record.where,
                    column=column,
                    reason=f"{_shown(shown)} is not accepted: {message}",
                )
            record.bad.add(column)


# -- comparing with the directory --------------------------------------------------------------


def _contact_key(contact: ContactPerson) -> tuple[str, ...]:
    return tuple(_clean(getattr(contact, key) or "") for key in CONTACT_PARTS)


def _differences(plan: _Plan, *, before: dict[str, Any]) -> list[str]:
    """The columns whose file value differs from the directory's (empty for a new actor)."""
    changed = []
    for column, value in plan.values.items():
        if column == "slug":
            continue
        old = before[column]
        if column in TEXT_COLUMNS:
            same = _clean(old or "") == value
        elif column == "keywords":
            same = _split_list(old or "") == value
        elif column == "country":
            same = old == value
        elif column == "region":
            same = old == (value.pk if value else None)
        else:
            same = old == value
        if not same:
            changed.append(column)
    for column, ids in plan.m2m.items():
        if before[column] != ids:
            changed.append(column)
    if plan.parent is not None and before["parent"] != plan.parent:
        changed.append("parent")
    if plan.contacts is not None and before["contacts"] != sorted(plan.contacts):
        changed.append("contacts")
    return sorted(changed, key=COLUMNS.index)


def _snapshot(actor: Actor) -> dict[str, Any]:
    """The directory's values in the import's terms, taken before the file's are applied."""
    return {
        **{column: getattr(actor, column) for column in TEXT_COLUMNS},
        "side": actor.side,
        "kind": actor.kind,
        "status": actor.status,
        "country": actor.country.code if actor.country else "",
        "region": actor.region_id,
        "keywords": actor.keywords,
        "founded": actor.founded,
        "members": actor.members,
        "latitude": actor.latitude,
        "longitude": actor.longitude,
        "last_verified": actor.last_verified,
        "sectors": {s.pk for s in actor.sectors.all()},
        "offers": {i.pk for i in actor.offers.all()},
        "seeks": {i.pk for i in actor.seeks.all()},
        "parent": actor.parent.slug if actor.parent_id else "",
        "contacts": sorted(_contact_key(c) for c in actor.contacts.all()),
    }


def _check_parents(
    plans: list[_Plan], *, out: _Collector, db_slugs: set[str], db_parents: dict[str, str]
) -> None:
    in_file = {plan.slug: plan for plan in plans if plan.slug}
    for plan in plans:
        parent = plan.parent
        if not parent or "parent" in plan.record.bad:
            continue
        record = plan.record
        if parent == plan.slug:
            out.add(
                number=record.number,
                where=record.where,
                column="parent",
                reason=f"{_shown(parent)} is the actor itself",
            )
        elif parent not in in_file and parent not in db_slugs:
            out.add(
                number=record.number,
                where=record.where,
                column="parent",
                reason=f"unknown actor {_shown(parent)} (neither in the directory nor in "
                "this file)",
            )
        else:
            continue
        record.bad.add("parent")

    def parent_of(slug: str) -> str:
        plan = in_file.get(slug)
        if plan is not None and plan.parent is not None:
            return plan.parent
        return db_parents.get(slug, "")

    # A chain of parents must end: Mini Cluster -> complex -> agency, never back to the start.
    for plan in plans:
        if not plan.parent or "parent" in plan.record.bad:
            continue
        chain = [plan.slug]
        slug = plan.parent
        while slug and slug not in chain and len(chain) < 1000:
            chain.append(slug)
            slug = parent_of(slug)
        if slug == plan.slug:
            out.add(
                number=plan.record.number,
                where=plan.record.where,
                column="parent",
                reason=f"{_shown(plan.parent)} would make a loop of parents: "
                f"{' -> '.join(chain + [slug])}",
            )
            plan.record.bad.add("parent")


def _plan_import(records: list[_Record], *, out: _Collector) -> tuple[list[_Plan], dict[str, int]]:
    look = _Lookups()
    # A slug no actor can have (PostgreSQL refuses a NUL even in a lookup) is left out here;
    # _resolve reports it.
    slugs = {
        slug for r in records if (slug := r.values.get("slug", "")) and not _text_problem(slug)
    }
    existing = {
        actor.slug: actor
        for actor in Actor.objects.filter(slug__in=slugs)
        .select_related("region", "parent")
        .prefetch_related("sectors", "offers", "seeks", "contacts")
    }
    first_row: dict[str, _Record] = {}
    plans = []
    for record in records:
        slug = record.values.get("slug", "")
        if slug and slug in first_row:
            out.add(
                number=record.number,
                where=record.where,
                column="slug",
                reason=f"{_shown(slug)} is already used in {first_row[slug].where}",
            )
            record.bad.add("slug")
            continue
        if slug:
            first_row[slug] = record
        actor = existing.get(slug)
        before = _snapshot(actor) if actor is not None else None
        plan = _resolve(record, look=look, existing=actor, out=out)
        if before is not None:
            plan.changed = _differences(plan, before=before)
        plans.append(plan)
    parents = {p.parent for p in plans if p.parent} - set(first_row)
    db_slugs = dict(Actor.objects.filter(slug__in=parents).values_list("slug", "pk"))
    db_parents: dict[str, str] = {}
    if any(p.parent for p in plans):
        db_parents = dict(
            Actor.objects.filter(parent__isnull=False).values_list("slug", "parent__slug")
        )
    _check_parents(plans, out=out, db_slugs=set(db_slugs), db_parents=db_parents)
    pks = db_slugs | {slug: actor.pk for slug, actor in existing.items()}
    return plans, pks


# -- writing ----------------------------------------------------------------------------------


def _write_order(plans: list[_Plan]) -> list[_Plan]:
    """Parents created by this file come before the actors that point to them, so every actor
    is saved once, with its parent, and gets one history entry rather than two."""
    new = {plan.slug: plan for plan in plans if plan.is_new}
    depth: dict[str, int] = {}

    def depth_of(plan: _Plan) -> int:
        chain: list[str] = []
        node = plan
        base = -1
        while True:
            if node.slug in depth:
                base = depth[node.slug]
                break
            chain.append(node.slug)
            parent = node.parent
            if not parent or parent not in new or parent in chain:
                break
            node = new[parent]
        for slug in reversed(chain):
            base += 1
            depth[slug] = base
        return depth[plan.slug]

    return sorted(plans, key=depth_of)


def _apply(
    plans: list[_Plan],
    *,
    pks: dict[str, int],
    user: Any,
    reason: str,
    after_row: Callable[[int], None] | None,
) -> None:
    with transaction.atomic():
        for plan in _write_order(plans):
            actor = plan.actor
            if plan.parent is not None:
                actor.parent_id = pks[plan.parent] if plan.parent else None
            actor._history_user = user
            actor._change_reason = reason
            if plan.is_new:
                actor.save()
            else:
                # Only what the file changes: an edit made meanwhile to another field stays.
                fields = [c for c in plan.changed if c in _FIELD_COLUMNS]
                actor.save(update_fields=[*fields, "updated_at"])
            pks[plan.slug] = actor.pk
            for column, ids in plan.m2m.items():
                if plan.is_new and not ids:
                    continue
                if plan.is_new or column in plan.changed:
                    getattr(actor, column).set(ids)
            if plan.contacts is not None and (plan.is_new or "contacts" in plan.changed):
                for contact in [] if plan.is_new else actor.contacts.all():
                    contact._history_user = user
                    contact._change_reason = reason
                    contact.delete()
                for parts in plan.contacts:
                    contact = ContactPerson(
                        actor=actor, **dict(zip(CONTACT_PARTS, parts, strict=True))
                    )
                    contact._history_user = user
                    contact._change_reason = reason
                    contact.save()
            if after_row is not None:
                after_row(plan.record.number)


def actor_import(
    *,
    data: bytes,
    filename: str,
    dry_run: bool,
    user: Any = None,
    after_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check a CSV, XLSX or JSON file of actors and, unless it is a dry run, write it: all or
    nothing. Bad input never raises; it comes back as problems in the report.

    `user` is recorded in the history; `after_row(row_number)` is called after each actor
    written, inside the transaction (the tests use it to break an import half-way).
    """
    name = PurePath(filename.replace("\\", "/")).name or "upload"
    report = ImportReport(filename=name, dry_run=dry_run)
    out = _Collector()
    try:
        if name.lower().endswith(".json"):
            records = _read_json_records(data=data, out=out)
        elif name.lower().endswith((".csv", ".txt", ".xlsx")):
            records = _read_sheet_records(data=data, filename=name, out=out)
        else:
            out.file(f"{_shown(name)} is not a .csv, .xlsx or .json file.")
            records = []
        plans, pks = _plan_import(records, out=out) if records else ([], {})
        if not records and not out.problems:
            out.file("The file holds no actors.")
    except Exception as exc:
        # A bug must not turn a bad file into a server error; it is logged and reported.
        logger.exception("Unexpected error while checking %s", name)
        out.file(f"Unexpected error while checking the file ({type(exc).__name__}: {exc}).")
        plans, pks = [], {}
    report.problems = sorted(
        out.problems,
        key=lambda p: (
            p.number,
            -1
            if not p.column
            else COLUMNS.index(p.column)
            if p.column in COLUMNS
            else len(COLUMNS),
        ),
    )
    if report.problems:
        return report
    for plan in plans:
        change = ActorChange(
            slug=plan.slug, name=plan.name, where=plan.record.where, columns=tuple(plan.changed)
        )
        if plan.is_new:
            report.created.append(change)
        elif plan.changed:
            report.updated.append(change)
        else:
            report.unchanged.append(change)
    to_write = [plan for plan in plans if plan.is_new or plan.changed]
    if dry_run or not to_write:
        return report
    _apply(
        to_write,
        pks=pks,
        user=user,
        reason=f"import of {name}"[:CHANGE_REASON_MAX],
        after_row=after_row,
    )
    report.written = True
    return report


# -- export -----------------------------------------------------------------------------------


def _decimal_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def actor_export_rows(*, queryset: QuerySet, include_contacts: bool) -> list[dict[str, Any]]:
    """One dict per actor in the import format (lists as lists, contacts as dicts).

    Contacts are personal data: only with include_contacts (curators), and then under the
    `contacts` key; without it the key is absent, so an import leaves contacts as they are.
    """
    related = ["sectors", "offers", "seeks"] + (["contacts"] if include_contacts else [])
    actors = queryset.select_related("region", "parent").prefetch_related(*related)
    rows = []
    # Chunks keep the prefetch queries' IN lists short on big directories.
    for actor in actors.iterator(chunk_size=1000):
        row: dict[str, Any] = {
            "slug": actor.slug,
            "name": actor.name,
            "acronym": actor.acronym,
            "side": actor.side,
            "country": actor.country.code if actor.country else "",
            "region": actor.region.code if actor.region_id else "",
            "city": actor.city,
            "kind": actor.kind,
            "parent": actor.parent.slug if actor.parent_id else "",
            "description": actor.description,
            "keywords": list(dict.fromkeys(actor.keyword_list)),
            "sectors": sorted(s.code for s in actor.sectors.all()),
            "offers": sorted(i.code for i in actor.offers.all()),
            "seeks": sorted(i.code for i in actor.seeks.all()),
            "website": actor.website,
            "founded": actor.founded,
            "members": actor.members,
            "latitude": actor.latitude,
            "longitude": actor.longitude,
            "status": actor.status,
            "source": actor.source,
            "last_verified": actor.last_verified.isoformat() if actor.last_verified else None,
        }
        if include_contacts:
            row["contacts"] = [
                {key: getattr(contact, key) or "" for key in CONTACT_PARTS}
                for contact in sorted(actor.contacts.all(), key=lambda c: (c.name, c.pk))
            ]
        rows.append(row)
    return rows


def export_columns(*, include_contacts: bool) -> tuple[str, ...]:
    return COLUMNS if include_contacts else COLUMNS[:-1]


def _sheet_cells(row: dict[str, Any], *, columns: tuple[str, ...], xlsx: bool) -> list[Any]:
    cells: list[Any] = []
    for column in columns:
        value = row.get(column)
        if column in NUMBER_COLUMNS:
            # Numbers are written as numbers: never a formula, and no apostrophe before "-".
            if value is None:
                cells.append(None if xlsx else "")
            elif isinstance(value, Decimal):
                cells.append(float(value) if xlsx else _decimal_text(value))
            else:
                cells.append(value)
            continue
        if column in LIST_COLUMNS:
            text = "; ".join(value or [])
        elif column == "contacts":
            text = _contacts_text(value or [])
        else:
            text = value or ""
        if xlsx:
            # XML cannot hold control characters; they are the one thing XLSX loses.
            text = _XML_ILLEGAL.sub("", text)[:CELL_MAX]
        cells.append(_protect(text))
    return cells


def actors_to_csv(*, rows: list[dict[str, Any]], include_contacts: bool) -> bytes:
    columns = export_columns(include_contacts=include_contacts)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(_sheet_cells(row, columns=columns, xlsx=False))
    # The BOM lets spreadsheet programs read UTF-8 (accents, Hangul) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def actors_to_xlsx(*, rows: list[dict[str, Any]], include_contacts: bool) -> bytes:
    from openpyxl import Workbook

    columns = export_columns(include_contacts=include_contacts)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Actors")
    sheet.append(list(columns))
    for row in rows:
        sheet.append(_sheet_cells(row, columns=columns, xlsx=True))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def actors_to_json(*, rows: list[dict[str, Any]]) -> bytes:
    def plain(value: object) -> object:
        if isinstance(value, Decimal):
            return float(value)
        raise TypeError(f"{type(value).__name__} is not JSON")

    return json.dumps(rows, ensure_ascii=False, indent=2, default=plain).encode("utf-8") + b"\n"


def actors_to_bytes(*, rows: list[dict[str, Any]], fmt: str, include_contacts: bool) -> bytes:
    """Rows from actor_export_rows written as a CSV, XLSX or JSON file."""
    if fmt == "json":
        return actors_to_json(rows=rows)
    if fmt == "xlsx":
        return actors_to_xlsx(rows=rows, include_contacts=include_contacts)
    if fmt == "csv":
        return actors_to_csv(rows=rows, include_contacts=include_contacts)
    raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
