"""An actor as plain data: one vocabulary for every "what did it look like" question.

A manager's proposal is compared with a snapshot, a merged-away actor is archived as one, and
the import compares a file row with one. Taxonomy links are codes, the parent is a slug, the
region a code, the country its ISO code: what a person reads and what survives a JSON column.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from directory.models import Actor

LINK_FIELDS = ("sectors", "offers", "seeks")
# What a contact is, as a manager edits it; archives add where it came from and why we keep it.
CONTACT_FIELDS = ("name", "role", "email", "phone")
CONTACT_ARCHIVE_FIELDS = ("id", *CONTACT_FIELDS, "legal_basis", "source")


def plain(value: Any) -> Any:
    """A field value as JSON holds it: dates in ISO form, decimals and countries as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)  # Country -> its code


def actor_snapshot(
    *,
    actor: Actor,
    fields: Iterable[str] | None = None,
    contact_fields: Iterable[str] = CONTACT_FIELDS,
    raw: bool = False,
) -> dict[str, Any]:
    """`fields` of `actor` (every concrete field, the links, parent, region and contacts when
    None). Links and contacts are read through `.all()`, so a prefetched actor costs no query.

    `raw=True` keeps Python values (dates, decimals) for comparison with form data; otherwise
    every value is JSON-ready.
    """
    convert = (lambda v: v) if raw else plain
    if fields is None:
        # search_korean is derived from the texts (Actor.save()): nothing to archive or compare.
        names = [f.attname for f in Actor._meta.concrete_fields if f.name != "search_korean"]
        fields = [*names, "parent_slug", "region_code", *LINK_FIELDS, "contacts"]
    out: dict[str, Any] = {}
    for name in fields:
        if name in LINK_FIELDS:
            out[name] = sorted(item.code for item in getattr(actor, name).all())
        elif name == "contacts":
            contacts = sorted(actor.contacts.all(), key=lambda c: c.pk)
            out[name] = [{f: convert(getattr(c, f)) for f in contact_fields} for c in contacts]
        elif name == "parent_slug":
            out[name] = actor.parent.slug if actor.parent_id else None
        elif name == "region_code":
            out[name] = actor.region.code if actor.region_id else None
        elif name == "country":
            out[name] = actor.country.code if actor.country else ""
        else:
            out[name] = convert(getattr(actor, name))
    return out
