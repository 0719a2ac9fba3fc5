"""The change log of a published schedule: who changed what, and when.

Once the schedule is published, participants hold agendas and calendar entries: every change
to it is kept as a `ScheduleChange`, for the organisers' change log and for the calendars (a
removed pair becomes a cancelled calendar entry, so its old times and table are copied here:
the round may be gone by the time anyone reads the row), including the changes made while a
publication is withdrawn (a generation then logs what it cancels, adds and moves). Changes to
a draft never published are not logged; nobody outside the organisers has seen it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

from events import clock
from events.models import ChangeAction, Event, Meeting, Participant, ScheduleChange, TimeSlot

CHANGES_PER_PAGE = 50


def pair_names(eu: Participant, kr: Participant) -> str:
    return f"{eu.actor.name} / {kr.actor.name}"


def change_record(
    *,
    event: Event,
    action: str,
    by: AbstractBaseUser | None = None,
    eu: Participant | None = None,
    kr: Participant | None = None,
    old: tuple[TimeSlot, int] | None = None,
    new: tuple[TimeSlot, int] | None = None,
    note: str = "",
) -> ScheduleChange | None:
    """Log one change if the schedule is published (publishing and withdrawing always are);
    `old` and `new` are the (round, table) before and after. Returns the row, or None for a
    draft."""
    if action not in (ChangeAction.PUBLISHED, ChangeAction.UNPUBLISHED) and not _published(event):
        return None
    change = ScheduleChange.objects.create(**_fields(event, action, by, eu, kr, old, new, note))
    _tell(change)
    return change


def changes_record(*, event: Event, changes: Iterable[dict]) -> list[ScheduleChange]:
    """Several changes at once (an applied update of the schedule), each given as the keyword
    arguments of `change_record`; nothing is logged for a draft."""
    if not _published(event):
        return []
    rows = ScheduleChange.objects.bulk_create(
        ScheduleChange(
            **_fields(
                event,
                c["action"],
                c.get("by"),
                c.get("eu"),
                c.get("kr"),
                c.get("old"),
                c.get("new"),
                c.get("note", ""),
            )
        )
        for c in changes
    )
    _tell(*rows)
    return rows


def _tell(*changes: ScheduleChange) -> None:
    """The participants concerned hear of the changes once they commit, one message each per
    transaction however many rows it logs (`events.notices`)."""
    from events.notices import schedule_changes_logged  # the notices read this module

    schedule_changes_logged(changes)


def meetings_removed_record(
    *, event: Event, meetings: Iterable[Meeting], by: AbstractBaseUser | None = None, note: str
) -> list[ScheduleChange]:
    """Log meetings about to be deleted by another action (a participant declined or
    withdrawn): call it before deleting them, while their rounds are known."""
    return changes_record(
        event=event,
        changes=[
            {
                "action": ChangeAction.REMOVED, "by": by, "eu": m.eu, "kr": m.kr,
                "old": (m.slot, m.table), "note": note,
            }
            for m in meetings
        ],
    )  # fmt: skip


def published_once(*, event: Event) -> bool:
    """Published now, or once: while a publication is withdrawn, participants still hold the
    agendas and calendar entries they received, so changes meanwhile are logged (a pair removed
    must reach their calendars as a cancellation)."""
    return _published(event)


def _published(event: Event) -> bool:
    """See `published_once`."""
    # From the database, not the caller's copy: a page may hold an event loaded before
    # someone else published it.
    return (
        Event.objects.filter(pk=event.pk, published_at__isnull=False).exists()
        or ScheduleChange.objects.filter(event=event, action=ChangeAction.PUBLISHED).exists()
    )


def _fields(event, action, by, eu, kr, old, new, note) -> dict:
    fields = {
        "event": event,
        "action": action,
        "made_by": by if by is not None and by.is_authenticated else None,
        "eu": eu,
        "kr": kr,
        "pair": pair_names(eu, kr)[:420] if eu is not None and kr is not None else "",
        "note": note[:300],
    }
    if old is not None:
        slot, table = old
        fields |= {
            "old_starts_at": slot.starts_at,
            "old_ends_at": slot.ends_at,
            "old_table": table,
        }
    if new is not None:
        slot, table = new
        fields |= {"new_starts_at": slot.starts_at, "new_table": table}
    return fields


# -- reading the log ----------------------------------------------------------------------------


def changes_while_withdrawn(*, published: ScheduleChange) -> list[ScheduleChange]:
    """The meetings added, moved and cancelled while the schedule was withdrawn, before the
    publication `published` (a `PUBLISHED` row): nobody was told of them then. Empty for a
    first publication, or one that followed no withdrawal (changes meanwhile were told)."""
    earlier = ScheduleChange.objects.filter(event_id=published.event_id, pk__lt=published.pk)
    before = earlier.filter(action=ChangeAction.PUBLISHED).order_by("-pk").first()
    if before is None:
        return []
    withdrawn = (
        earlier.filter(action=ChangeAction.UNPUBLISHED, pk__gt=before.pk).order_by("pk").first()
    )
    if withdrawn is None:
        return []
    return list(
        earlier.filter(
            pk__gt=withdrawn.pk,
            action__in=[ChangeAction.ADDED, ChangeAction.MOVED, ChangeAction.REMOVED],
        )
        .select_related("eu__actor", "kr__actor")
        .order_by("pk")
    )


@dataclass(frozen=True)
class LogLine:
    change: ScheduleChange
    when: str  # "10 Mar 14:05", in the event's time zone
    sentence: str  # "Anna Kim moved Lyonbiopole / KBIO from 09:00 table 3 to 10:30 table 5"

    @property
    def text(self) -> str:
        return f"{self.when} — {self.sentence}"


def user_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return _("Someone")
    return user.get_full_name().strip() or user.get_username()


def round_label(instant: dt.datetime | None, *, event: Event) -> str:
    """A round's start as the participants read it: in the event's time zone, with the day
    when the event lasts more than one."""
    if instant is None:
        return _("an unknown time")
    if event.starts_on == event.ends_on:
        return clock.clock(instant, event.zone)
    return clock.day_clock(instant, event.zone)


def change_sentence(change: ScheduleChange, *, event: Event) -> str:
    said = {
        "who": user_name(change.made_by),
        "pair": change.pair or _("a meeting"),
        "old": round_label(change.old_starts_at, event=event),
        "old_table": change.old_table,
        "new": round_label(change.new_starts_at, event=event),
        "new_table": change.new_table,
    }
    sentence = {
        ChangeAction.PUBLISHED: _("%(who)s published the schedule"),
        ChangeAction.UNPUBLISHED: _("%(who)s withdrew the schedule from the participants"),
        ChangeAction.ADDED: _("%(who)s added %(pair)s at %(new)s table %(new_table)s"),
        ChangeAction.MOVED: _(
            "%(who)s moved %(pair)s from %(old)s table %(old_table)s to %(new)s table %(new_table)s"
        ),
        ChangeAction.REMOVED: _("%(who)s cancelled %(pair)s at %(old)s table %(old_table)s"),
    }.get(change.action, _("%(who)s changed %(pair)s")) % said
    note = change.note.strip().rstrip(".")
    if not note:
        return sentence
    return _("%(sentence)s (%(note)s)") % {"sentence": sentence, "note": note}


def change_log_page(*, event: Event, page: str | int | None) -> tuple[Page, list[LogLine]]:
    """One page of the log, newest first, as sentences."""
    changes = event.changes.select_related("made_by").order_by("-made_at", "-pk")
    current = Paginator(changes, CHANGES_PER_PAGE).get_page(page)
    lines = [
        LogLine(
            change=c,
            when=clock.padded_stamp(c.made_at, event.zone),
            sentence=change_sentence(c, event=event),
        )
        for c in current
    ]
    return current, lines
