"""Checking one record against the directory: its values resolved into a Plan for one actor.

Each column resolves its own value (columns.py); this module runs them in order, then the
checks that need the whole row: the directory's rules (directory/rules.py) and the data
model's own validation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from common.import_report import ImportReport
from curation.transfer.cells import NOTHING, shown, text_problem
from curation.transfer.columns import BY_NAME, REQUIRED
from curation.transfer.read import Record
from directory.models import Actor, Interest, Kind, LegalBasis, Region, Sector, Side, Status
from directory.rules import (
    description_problems,
    is_published,
    name_problem,
    publishing_rule_holds,
)

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


def _by_code_or_label(choices: Iterable[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    # A label in any of the site's languages (유럽, Europe): the same file imports whichever
    # language the curator, or the command line, reads the site in, as sectors' labels do.
    for code, label in choices:
        found.setdefault(str(label).lower(), code)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices:
                found.setdefault(str(label).lower(), code)
    for code, _label in choices:
        found[code.lower()] = code
    return found


class Lookups:
    """The taxonomy and vocabularies, loaded once per import (they are small)."""

    def __init__(self) -> None:
        # A code wins over a label that happens to read the same.
        sectors = list(Sector.objects.all())
        # An English label wins over a Korean one that happens to read the same.
        self.sectors: dict[str, Sector] = {s.label_ko.lower(): s for s in sectors if s.label_ko}
        self.sectors.update({s.label.lower(): s for s in sectors})
        self.sectors.update({s.code.lower(): s for s in sectors})
        interests = list(Interest.objects.all())
        self.interests: dict[str, Interest] = {
            i.label_ko.lower(): i for i in interests if i.label_ko
        }
        self.interests.update({i.label.lower(): i for i in interests})
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
class Plan:
    """What the import will do to one actor."""

    record: Record
    slug: str
    name: str
    actor: Actor  # the existing actor (to be changed) or a new, unsaved one
    is_new: bool
    values: dict[str, Any] = field(default_factory=dict)  # column -> resolved value
    changed: list[str] = field(default_factory=list)  # for an existing actor

    @property
    def parent(self) -> str | None:
        """The parent's slug ("" for none); None when the file says nothing usable of it."""
        return self.values.get("parent")


@dataclass
class Row:
    """What a column sees of its row while it resolves and checks its value."""

    plan: Plan
    look: Lookups
    existing: Actor | None
    report: ImportReport

    @property
    def record(self) -> Record:
        return self.plan.record

    @property
    def resolved(self) -> dict[str, Any]:
        return self.plan.values

    def problem(self, column: str, reason: str) -> None:
        self.record.problem(self.report, column, reason)

    def country(self) -> str:
        """The actor's country code as the row leaves it ("" if unknown)."""
        if "country" in self.resolved:
            return self.resolved["country"]
        if self.existing is not None and "country" not in self.record.values:
            return self.existing.country.code
        return ""

    def published(self) -> bool:
        """Whether the actor will be published: the file's status, or else the directory's
        (or a new actor's default). An unknown status publishes nothing."""
        if "status" in self.record.bad:
            return False
        return is_published(self.resolved.get("status", self.plan.actor.status))


def resolve(record: Record, *, look: Lookups, existing: Actor | None, report: ImportReport) -> Plan:
    """Turn one record into model values, reporting what cannot be understood."""
    values = record.values
    for name, value in values.items():
        for text in BY_NAME[name].texts(value):
            reason = text_problem(text)
            if reason and name not in record.bad:
                record.problem(
                    report,
                    name,
                    _("%(value)s %(reason)s") % {"value": shown(text), "reason": reason},
                )
    plan = Plan(
        record=record,
        slug=values.get("slug", "") if "slug" not in record.bad else "",
        name=values.get("name") or (existing.name if existing else ""),
        actor=existing if existing is not None else Actor(),
        is_new=existing is None,
    )
    row = Row(plan=plan, look=look, existing=existing, report=report)
    for name in REQUIRED:
        if name in values and not values[name] and name not in record.bad:
            problem = _required_problem(name, values, existing=existing)
            if problem:
                row.problem(name, problem)
    for name, column in BY_NAME.items():
        if name in values and name not in record.bad:
            value = column.resolve(values[name], row)
            if value is not NOTHING:
                plan.values[name] = value
    for name, value in list(plan.values.items()):
        if name not in record.bad:
            BY_NAME[name].check(value, row)
    _publishing_rule(plan, row=row)
    _model_check(plan, report=report)
    return plan


def _required_problem(name: str, values: dict[str, Any], *, existing: Actor | None) -> str | None:
    """Why a required column's empty cell is refused, or None when its alternative is filled
    (an empty description beside a Korean one, in the file or, when the file leaves that column
    out, in the directory)."""
    alternative = BY_NAME[name].alternative
    if alternative and values.get(alternative):
        return None
    if alternative and alternative not in values and existing and getattr(existing, alternative):
        return None
    if name == "name" and values.get("name_ko"):
        return name_problem(name="", name_ko=values["name_ko"])
    if alternative in values:
        return _(
            "empty, and so is %(other)s: a profile needs a description in English or Korean"
        ) % {"other": alternative}
    return _("empty, but required")


DESCRIPTIONS = ("description", "description_ko")


def _publishing_rule(plan: Plan, *, row: Row) -> None:
    """A row that publishes a new actor, publishes an existing one or changes a published
    one's descriptions must meet the description rule. A row that leaves an already published
    profile as it is passes, so that an export of older short profiles imports back."""
    if set(DESCRIPTIONS) & plan.record.bad or not row.published():
        return
    existing = row.existing
    texts = {
        name: plan.values.get(name, getattr(existing, name) if existing else "")
        for name in DESCRIPTIONS
    }
    unchanged = [
        name
        for name, text in texts.items()
        if not publishing_rule_holds(
            is_new=existing is None,
            was_published=existing is not None and is_published(existing.status),
            description_changed=existing is None
            or not BY_NAME[name].same(getattr(existing, name), text),
        )
    ]
    problems = description_problems(**texts, published=True, unchanged=unchanged)
    for name, problem in problems.items():
        row.problem(name, problem)


def _current_text(actor: Actor, column: str) -> str:
    """What the directory holds, for a message about a column the file does not have."""
    if column == "region":
        return actor.region.code if actor.region_id else ""
    if column == "country":
        return actor.country.code if actor.country else ""
    value = getattr(actor, column, "")
    return "" if value is None else str(value)


def _model_check(plan: Plan, *, report: ImportReport) -> None:
    """The model's own rules (lengths, URL, ranges, Korean actors in Korea ...) on the values."""
    record = plan.record
    actor = plan.actor
    fields = []
    for name, value in plan.values.items():
        column = BY_NAME[name]
        if column.stored != "field":
            continue
        # A value the file leaves as the directory has it is not checked again: an export of
        # data stored before a newer limit must import back.
        if not plan.is_new and column.compared and column.same(column.export(actor), value):
            continue
        column.assign(actor, value)
        fields.append(name)
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
                    report.add(message, row=record.number, where=record.where)
                    continue
                value = record.values.get(column, _current_text(actor, column))
                report.add(
                    _("%(value)s is not accepted: %(reason)s")
                    % {"value": shown(value), "reason": message},
                    row=record.number,
                    where=record.where,
                    column=column,
                )
            record.bad.add(column)
