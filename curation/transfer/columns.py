"""The columns of the import format, one object each (docs/import-format.md).

Each column knows its value's whole trip. Reading: `from_cell` (a CSV or XLSX cell's text),
`from_json` (a JSON item's value). Checking: `resolve` turns what was read into what is stored
(a code, a number, a Region, sectors ...) or reports why it cannot; `check` applies the
directory's rules once the whole row is resolved. Comparing: `same` says whether the
directory's value (as `export` gives it) already is the resolved one. Writing: `assign` puts
the value on the Actor before it is saved, `write` what follows it (links, contacts).
Exporting: `export` for JSON, `cell` for a CSV or XLSX cell.

`COLUMNS` names them in the format's order; `BY_NAME` holds the objects in that order.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from common.spreadsheet_write import protect, xlsx_text
from curation.transfer.cells import (
    NOTHING,
    clean,
    decimal_number,
    decimal_text,
    iso_date,
    kind_of,
    shown,
    split_list,
    whole_number,
)
from curation.transfer.contacts import (
    contacts_check,
    contacts_export,
    contacts_from_cell,
    contacts_from_json,
    contacts_same,
    contacts_text,
    contacts_write,
)
from directory.demo_schema import DEMO_COLUMNS
from directory.models import Actor
from directory.rules import (
    keyword_problem,
    keywords_join,
    keywords_split,
)

if TYPE_CHECKING:
    from curation.transfer.resolve import Row

Fail = Callable[[str], None]


@dataclass(frozen=True)
class Column:
    """What every column does unless it says otherwise."""

    name: str
    required: bool = False
    # A column that may stand in for this required one: in the file's header, and filled in a
    # row (description_ko for description).
    alternative: str = ""
    # Where the value lives: "field" (the actor's own row, set before saving), "parent" (the
    # actor's row, set when the parent's id is known), "after" (written after the actor).
    stored: ClassVar[str] = "field"
    compared: ClassVar[bool] = True  # False: never counts as a change (the slug)

    # -- reading

    def from_cell(self, text: str) -> Any:
        return text

    def from_json(self, value: object, *, fail: Fail) -> Any:
        if value is None:
            return ""
        if isinstance(value, str):
            return clean(value)
        fail(_("expected text, got %(kind)s") % {"kind": kind_of(value)})
        return NOTHING

    def texts(self, value: Any) -> Iterable[str]:
        """Every text in the value, for the checks all texts share (length, NUL, Unicode)."""
        return [value]

    # -- checking

    def resolve(self, value: Any, row: Row) -> Any:
        return value

    def check(self, value: Any, row: Row) -> None:
        """The directory's rules, once every column of the row is resolved."""

    # -- comparing and writing

    def same(self, current: Any, value: Any) -> bool:
        return current == value

    def assign(self, actor: Actor, value: Any) -> None:
        """Put the value on the actor; only for the columns stored "field"."""
        setattr(actor, self.name, value)

    def write(self, actor: Actor, value: Any, **context: Any) -> None:
        """What is written once the actor is saved (links, contacts)."""

    # -- exporting

    def export(self, actor: Actor) -> Any:
        return getattr(actor, self.name)

    def cell(self, value: Any, *, xlsx: bool) -> Any:
        return self.text_cell(value or "", xlsx=xlsx)

    @staticmethod
    def text_cell(text: str, *, xlsx: bool) -> Any:
        if xlsx:
            # XML cannot hold control characters; they are the one thing XLSX loses.
            text = xlsx_text(text)
        return protect(text)


class TextColumn(Column):
    """A text copied as it is (after trimming): name, acronym, city, website, source."""

    def same(self, current: Any, value: Any) -> bool:
        return clean(current or "") == value


class SlugColumn(TextColumn):
    compared = False  # the slug says which actor; it never changes


class DescriptionColumn(TextColumn):
    """description and description_ko: checked against the publishing rule with the whole row
    (resolve.py)."""


@dataclass(frozen=True)
class ChoiceColumn(Column):
    """side, kind, status: a code or its label, any case. Empty: nothing to set."""

    table: str = ""  # the Lookups attribute with the codes
    unknown: str | Promise = ""  # the message for a value that is none of them: "%(value)s"

    def resolve(self, value: str, row: Row) -> Any:
        if not value:
            return NOTHING
        code = getattr(row.look, self.table).get(value.lower())
        if code is None:
            row.problem(self.name, str(self.unknown) % {"value": shown(value)})
            return NOTHING
        return code


class CountryColumn(Column):
    def resolve(self, value: str, row: Row) -> Any:
        if not value:
            return NOTHING
        code = row.look.country(value)
        if not code:
            row.problem(self.name, _("unknown country %(value)s") % {"value": shown(value)})
            return NOTHING
        return code

    def export(self, actor: Actor) -> str:
        return actor.country.code if actor.country else ""


class RegionColumn(Column):
    def resolve(self, value: str, row: Row) -> Any:
        country = row.country()
        region = row.look.region(value, country) if value else None
        if value and region is None:
            row.problem(self.name, _("unknown region %(value)s") % {"value": shown(value)})
        elif region is not None and country and region.country.code != country:
            row.problem(
                self.name,
                _("region %(value)s is not in %(country)s (it is in %(actual)s)")
                % {
                    "value": shown(value),
                    "country": countries.name(country),
                    "actual": region.country.name,
                },
            )
        else:
            return region
        return NOTHING

    def same(self, current: str, value: Any) -> bool:
        return current == (value.code if value else "")

    def export(self, actor: Actor) -> str:
        return actor.region.code if actor.region_id else ""


class ParentColumn(Column):
    """A slug, checked against the directory and the whole file by the plan, and set when
    the parent's id is known (write.py)."""

    stored = "parent"

    def export(self, actor: Actor) -> str:
        return actor.parent.slug if actor.parent_id else ""


@dataclass(frozen=True)
class ListColumn(Column):
    """Texts separated by ';' in a cell, or a JSON list of texts."""

    def split(self, texts: list[str]) -> list[str]:
        raise NotImplementedError

    def from_cell(self, text: str) -> list[str]:
        return self.split([text])

    def from_json(self, value: object, *, fail: Fail) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return self.split([clean(value)])
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return self.split([clean(text) for text in value])
        fail(
            _("expected a list of texts (or one text with ';'), got %(kind)s")
            % {"kind": kind_of(value)}
        )
        return NOTHING

    def texts(self, value: list[str]) -> Iterable[str]:
        return value

    def cell(self, value: Any, *, xlsx: bool) -> Any:
        return self.text_cell("; ".join(value or []), xlsx=xlsx)


class KeywordsColumn(ListColumn):
    """Normalised as the profile form does (directory.rules): spaces, repeats whatever the case."""

    def split(self, texts: list[str]) -> list[str]:
        return keywords_split(texts)

    def resolve(self, value: list[str], row: Row) -> Any:
        problem = keyword_problem(value)
        if problem:
            row.problem(self.name, problem)
            return NOTHING
        return value

    def assign(self, actor: Actor, value: list[str]) -> None:
        actor.keywords = keywords_join(value)

    def export(self, actor: Actor) -> list[str]:
        return actor.keyword_list


@dataclass(frozen=True)
class LinkColumn(ListColumn):
    """sectors, offers, seeks: codes or labels of the taxonomy, any case."""

    stored = "after"
    table: str = ""  # the Lookups attribute with the items
    unknown: str | Promise = ""  # the message for an item that is none of them: "%(value)s"

    def split(self, texts: list[str]) -> list[str]:
        return list(dict.fromkeys(item for text in texts for item in split_list(text)))

    def resolve(self, value: list[str], row: Row) -> Any:
        table = getattr(row.look, self.table)
        items = set()
        for text in value:
            item = table.get(text.lower())
            if item is None:
                row.problem(self.name, str(self.unknown) % {"value": shown(text)})
            else:
                items.add(item)
        return frozenset(items)

    def same(self, current: list[str], value: Any) -> bool:
        return current == sorted(item.code for item in value)

    def write(self, actor: Actor, value: Any, *, is_new: bool, changed: list[str], **_) -> None:
        if is_new and not value:
            return
        if is_new or self.name in changed:
            getattr(actor, self.name).set({item.pk for item in value})

    def export(self, actor: Actor) -> list[str]:
        return sorted(item.code for item in getattr(actor, self.name).all())


class NumberColumn(Column):
    """Written as numbers in a sheet: never a formula, and no apostrophe before '-'."""

    def from_json(self, value: object, *, fail: Fail) -> Any:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return str(value)
        if value is None or isinstance(value, str):
            return super().from_json(value, fail=fail)
        fail(_("expected text or a number, got %(kind)s") % {"kind": kind_of(value)})
        return NOTHING

    def cell(self, value: Any, *, xlsx: bool) -> Any:
        if value is None:
            return None if xlsx else ""
        if isinstance(value, Decimal):
            return float(value) if xlsx else decimal_text(value)
        return value


class _ParsedNumberColumn(NumberColumn):
    """A number read by `parse` (NOTHING when the text is no such number), refused with
    `not_one`."""

    parse = staticmethod(whole_number)
    not_one = gettext_lazy("%(value)s is not a whole number")

    def resolve(self, value: str, row: Row) -> Any:
        number = self.parse(value)
        if number is NOTHING:
            row.problem(self.name, str(self.not_one) % {"value": shown(value)})
            return None
        return number


class IntegerColumn(_ParsedNumberColumn):
    pass


class DecimalColumn(_ParsedNumberColumn):
    parse = staticmethod(decimal_number)
    not_one = gettext_lazy("%(value)s is not a number")


class DateColumn(Column):
    def resolve(self, value: str, row: Row) -> Any:
        date = iso_date(value)
        if date is NOTHING:
            row.problem(
                self.name, _("%(value)s is not a date written YYYY-MM-DD") % {"value": shown(value)}
            )
        return date

    def same(self, current: str | None, value: datetime.date | None) -> bool:
        return current == (value.isoformat() if value else None)

    def export(self, actor: Actor) -> str | None:
        value = getattr(actor, self.name)
        return value.isoformat() if value else None


class ContactsColumn(Column):
    """Personal data: name | role | email | phone | legal_basis | source, entries by ';'."""

    stored = "after"

    def from_cell(self, text: str) -> list[dict[str, str]]:
        return contacts_from_cell(text)

    def from_json(self, value: object, *, fail: Fail) -> Any:
        return contacts_from_json(value, fail=fail)

    def texts(self, value: list[dict[str, str]]) -> Iterable[str]:
        return [part for contact in value for part in contact.values()]

    def resolve(self, value: list[dict[str, str]], row: Row) -> Any:
        return contacts_check(value, look=row.look, problem=lambda r: row.problem(self.name, r))

    def same(self, current: list[dict[str, str]], value: list[tuple[str, ...]]) -> bool:
        return contacts_same(current, value)

    def write(self, actor: Actor, value: Any, *, is_new: bool, changed: list[str], **context):
        if is_new or self.name in changed:
            contacts_write(actor, value, is_new=is_new, **context)

    def export(self, actor: Actor) -> list[dict[str, str]]:
        return contacts_export(actor)

    def cell(self, value: Any, *, xlsx: bool) -> Any:
        return self.text_cell(contacts_text(value or []), xlsx=xlsx)


# -- the format ---------------------------------------------------------------------------------

_ALL = (
    SlugColumn("slug", required=True),
    TextColumn("name", required=True),
    TextColumn("name_ko"),
    TextColumn("acronym"),
    ChoiceColumn(
        "side",
        required=True,
        table="sides",
        unknown=gettext_lazy("unknown side %(value)s (eu or kr)"),
    ),
    CountryColumn("country", required=True),
    RegionColumn("region"),
    TextColumn("city"),
    ChoiceColumn(
        "kind", required=True, table="kinds", unknown=gettext_lazy("unknown kind %(value)s")
    ),
    ParentColumn("parent"),
    # Required unless the file has description_ko: a profile may be Korean only.
    DescriptionColumn("description", required=True, alternative="description_ko"),
    DescriptionColumn("description_ko"),
    KeywordsColumn("keywords"),
    LinkColumn("sectors", table="sectors", unknown=gettext_lazy("unknown sector %(value)s")),
    LinkColumn("offers", table="interests", unknown=gettext_lazy("unknown interest %(value)s")),
    LinkColumn("seeks", table="interests", unknown=gettext_lazy("unknown interest %(value)s")),
    TextColumn("website"),
    IntegerColumn("founded"),
    IntegerColumn("members"),
    DecimalColumn("latitude"),
    DecimalColumn("longitude"),
    ChoiceColumn(
        "status",
        table="statuses",
        unknown=gettext_lazy("unknown status %(value)s (draft, published or archived)"),
    ),
    TextColumn("source"),
    DateColumn("last_verified"),
    ContactsColumn("contacts"),
)

# The demo files' fields with the Korean name and description beside the English ones, then what
# only the directory itself knows.
_KOREAN_BESIDE = {"name": "name_ko", "description": "description_ko"}
COLUMNS: tuple[str, ...] = (
    *(column for name in DEMO_COLUMNS for column in (name, _KOREAN_BESIDE.get(name)) if column),
    "last_verified",
    "contacts",
)
BY_NAME: dict[str, Column] = {column.name: column for column in _ALL}
assert set(BY_NAME) == set(COLUMNS), set(BY_NAME) ^ set(COLUMNS)  # noqa: S101
BY_NAME = {name: BY_NAME[name] for name in COLUMNS}
REQUIRED: tuple[str, ...] = tuple(name for name, c in BY_NAME.items() if c.required)
# Saved with the actor's own row (update_fields); the others are links or contacts.
ROW_COLUMNS = frozenset(name for name, c in BY_NAME.items() if c.stored != "after")
