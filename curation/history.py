"""An actor's history (who changed what, when) and restoring an earlier version.

The records come from django-simple-history: every save of an actor or a contact person, from
the site, the admin, an import or a merge, writes one; sector and interest links are versioned
with the actor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from common.history import history_attribute
from curation.review import FieldDiff, contacts_apply
from directory.models import Actor, ContactPerson, Interest, Region, Sector
from directory.proposals import CONTACT_FIELDS, KOREAN_FIELDS

HistoricalActor = Actor.history.model
# A restore brings back where each contact's details came from and on what legal ground they
# are kept, not only the details a manager edits.
RESTORED_CONTACT_FIELDS = (*CONTACT_FIELDS, "legal_basis", "source")

LINKS = {
    "sectors": ("sector_id", Sector),
    "offers": ("interest_id", Interest),
    "seeks": ("interest_id", Interest),
}
# search_korean is derived from the texts (Actor.save() writes it) and not versioned.
SKIPPED = {"id", "created_at", "updated_at", "search_korean"}
KINDS = {
    "+": pgettext_lazy("history of a profile", "created"),
    "~": pgettext_lazy("history of a profile", "changed"),
    "-": pgettext_lazy("history of a profile", "deleted"),
}


def _free_slug(slug: str, *, own_pk: int) -> str:
    stem = slug[: Actor._meta.get_field("slug").max_length - 12]
    for n in range(2, 1000):
        candidate = f"{stem}-restored" if n == 2 else f"{stem}-restored-{n}"
        if not Actor.objects.filter(slug=candidate).exclude(pk=own_pk).exists():
            return candidate
    raise ValidationError(_("No free address for the restored profile; rename it first."))


def version_time(record) -> str:
    """When a version was saved, in the site's time zone, as the history's own records say it
    (in English, whoever reads them: a record of what happened is not translated)."""
    local = timezone.localtime(record.history_date)
    return f"{local:%d %b %Y %H:%M:%S} {local.tzname()}"


def version_time_shown(record) -> str:
    """When a version was saved, in the site's time zone and the reader's language."""
    local = timezone.localtime(record.history_date)
    return f"{date_format(local, 'DATE_FORMAT')} {local:%H:%M:%S} {local.tzname()}"


@dataclass
class HistoryEntry:
    record: object  # a HistoricalActor
    kind: str
    who: str
    reason: str
    # (field, before, after, marked): marked ones are HTML word diffs of long texts.
    changes: list[tuple[str, str, str, bool]]

    @property
    def shown_changes(self) -> list[tuple[str, str, str, bool, str]]:
        """The changes with each field named as the profile's forms name it, in the reader's
        language, and the language of the values when it is not the page's ("ko" for the
        Korean name and description, marked lang="ko")."""
        return [
            (field_label(name), *rest, "ko" if name in KOREAN_FIELDS else "")
            for name, *rest in self.changes
        ]


# The actor's fields as the merge page and the profile name them, in the reader's language; a
# field not named here shows its model label.
FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "acronym": gettext_lazy("Acronym"),
    "slug": gettext_lazy("Address (slug)"),
    "status": gettext_lazy("Status"),
    "side": gettext_lazy("Side"),
    "kind": gettext_lazy("Kind"),
    "parent": gettext_lazy("Part of"),
    "country": gettext_lazy("Country"),
    "region": gettext_lazy("Region"),
    "city": gettext_lazy("City"),
    "latitude": gettext_lazy("Latitude"),
    "longitude": gettext_lazy("Longitude"),
    "description": gettext_lazy("Description"),
    "keywords": gettext_lazy("Keywords"),
    "sectors": gettext_lazy("Sectors"),
    "website": gettext_lazy("Website"),
    "founded": gettext_lazy("Founded"),
    "members": gettext_lazy("Members"),
    "source": gettext_lazy("Source"),
    "last_verified": gettext_lazy("Last verified"),
    "edit_review": gettext_lazy("Managers' edits"),
}


def field_label(name: str) -> str:
    """An actor field's name as people read it ("Last verified"), or the name itself."""
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    try:
        return str(Actor._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field removed since the version was saved
        return name


def _links(record) -> dict[str, set[int]]:
    return {
        name: {getattr(row, column) for row in getattr(record, name).all()}
        for name, (column, _model) in LINKS.items()
    }


def _version_links(*, actor_id: int) -> dict[int, dict[str, set[int]]]:
    """history_id -> the version's link ids, for every version of the actor: a query per link
    table, however long the history."""
    links: dict[int, dict[str, set[int]]] = defaultdict(lambda: {name: set() for name in LINKS})
    for name, (column, _model) in LINKS.items():
        rows = (
            getattr(HistoricalActor, name)
            .model.objects.filter(history__id=actor_id)
            .values_list("history_id", column)
        )
        for history_id, target in rows:
            links[history_id][name].add(target)
    return links


def _link_labels(links: Iterable[dict[str, set[int]]]) -> dict[str, dict[int, str]]:
    """Link name -> id -> label, for the ids these versions use: a query per model."""
    wanted: dict[type, set[int]] = defaultdict(set)
    for version in links:
        for name, ids in version.items():
            wanted[LINKS[name][1]] |= ids
    by_model = {
        model: dict(model.objects.filter(pk__in=ids).values_list("pk", "label"))
        for model, ids in wanted.items()
    }
    return {name: by_model.get(model, {}) for name, (_column, model) in LINKS.items()}


def _label(ids: set[int], *, labels: dict[int, str]) -> str:
    # A sector or interest deleted since is left out, as it is from the profile.
    return ", ".join(sorted(labels[i] for i in ids if i in labels))


# Longer texts are shown as a word diff around the changes: cut to their first characters, two
# versions of a long description looked identical.
SHORT_TEXT = 160


def _field_changes(record, before, *, fields: list[str]) -> list[tuple[str, str, str, bool]]:
    changes = []
    for name in fields:
        old = getattr(before, name, "") if before else ""
        new = getattr(record, name)
        if before is None and new in ("", None):
            continue
        if old != new:
            old, new = "" if old is None else str(old), "" if new is None else str(new)
            marked = bool(old) and max(len(old), len(new)) > SHORT_TEXT
            if marked:
                diff = FieldDiff(field=name, label=name, before=old, after=new)
                old, new = diff.marked(context=12)
            changes.append((name, old, new, marked))
    return changes


def _link_changes(
    now: dict[str, set[int]], then: dict[str, set[int]], *, labels: dict[str, dict[int, str]]
) -> list[tuple[str, str, str, bool]]:
    return [
        (
            name,
            _label(then[name], labels=labels[name]),
            _label(now[name], labels=labels[name]),
            False,
        )
        for name in LINKS
        if now[name] != then[name]
    ]


def actor_history(*, actor_id: int) -> list[HistoryEntry]:
    """Newest first; each entry lists the fields it changed against the one before it.

    A fixed number of queries however many versions there are (the page lists them all).
    """
    records = list(
        Actor.history.filter(id=actor_id).select_related("history_user").order_by("-history_date")
    )
    fields = [f.name for f in Actor._meta.concrete_fields if f.name not in SKIPPED]
    by_version = _version_links(actor_id=actor_id)
    links = [by_version[record.history_id] for record in records]
    labels = _link_labels(links)
    entries = []
    for index, record in enumerate(records):
        older = index + 1 < len(records)
        before = records[index + 1] if older else None
        then = links[index + 1] if older else {name: set() for name in LINKS}
        entries.append(
            HistoryEntry(
                record=record,
                kind=KINDS.get(record.history_type, record.history_type),
                who=(record.history_user.get_username() if record.history_user else _("system")),
                reason=record.history_change_reason or "",
                changes=[
                    *_field_changes(record, before, fields=fields),
                    *_link_changes(links[index], then, labels=labels),
                ],
            )
        )
    return entries


def contact_history(*, actor_id: int):
    return (
        ContactPerson.history.filter(actor_id=actor_id)
        .select_related("history_user")
        .order_by("-history_date")
    )


@transaction.atomic
def actor_restore(*, record, user) -> Actor:
    """Bring the actor back to `record`: its fields, its links, and its contacts as they were.

    What changed around it since is respected: a slug another actor took meanwhile gets a
    suffix, and a parent or region deleted since is left empty. `actor.restore_notes` says
    which, in words, for the curator.
    """
    actor = Actor.objects.filter(pk=record.id).first() or Actor(pk=record.id)
    logo_now = actor.logo.name
    for field in Actor._meta.concrete_fields:
        if field.name not in SKIPPED:
            setattr(actor, field.attname, getattr(record, field.attname))
    notes: list[str] = []
    if actor.logo.name and not default_storage.exists(actor.logo.name):
        # A replaced logo's file is deleted (directory.logos): pointing at it would show a
        # broken image. The profile keeps the logo it has.
        actor.logo.name = logo_now
        notes.append(_("the logo of that version is no longer stored, so it keeps its logo"))
    taken = Actor.objects.filter(slug=actor.slug).exclude(pk=actor.pk).first()
    if taken is not None:
        wanted = actor.slug
        actor.slug = _free_slug(wanted, own_pk=actor.pk)
        notes.append(
            _("its address %(wanted)s now belongs to %(other)s, so it is %(slug)s")
            % {"wanted": wanted, "other": taken.name, "slug": actor.slug}
        )
    if actor.parent_id and not Actor.objects.filter(pk=actor.parent_id).exists():
        actor.parent_id = None
        notes.append(_("its parent no longer exists, so it has none"))
    if actor.region_id and not Region.objects.filter(pk=actor.region_id).exists():
        actor.region_id = None
        notes.append(_("its region no longer exists, so it has none"))
    actor.restore_notes = notes
    history_attribute(actor, user=user, reason=f"restored the version of {version_time(record)}")
    actor.save()
    links = _links(record)
    for name, (_column, model) in LINKS.items():
        getattr(actor, name).set(model.objects.filter(pk__in=links[name]))
    people = [
        {f: getattr(c, f) for f in RESTORED_CONTACT_FIELDS}
        for c in ContactPerson.history.as_of(record.history_date).filter(actor_id=actor.pk)
    ]
    contacts_apply(actor=actor, people=people, user=user, fields=RESTORED_CONTACT_FIELDS)
    if not links["sectors"]:
        actor.restore_notes.append(
            _("that version has no sector; the profile form asks for one at the next edit")
        )
    return actor
