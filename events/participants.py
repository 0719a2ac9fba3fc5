"""Participants: added by organisers (one by one or from a file), or registered by managers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.import_report import Change, ImportReport, Problem
from common.spreadsheet_read import TableError, read_sheet, table_rows
from directory.models import Actor, Status
from events.dashboard import meetings_involving
from events.models import (
    Attendee,
    Event,
    EventSession,
    Participant,
    ParticipantStatus,
)


def _check_actor(*, event: Event, actor: Actor) -> None:
    if actor.status != Status.PUBLISHED:
        raise ValidationError(
            f"{actor.name} is not a published profile; publish it before adding it.",
            code="unpublished",
        )
    if event.participants.filter(actor=actor).exists():
        raise ValidationError(f"{actor.name} already takes part in this event.", code="duplicate")


@transaction.atomic
def participant_add(*, event: Event, actor: Actor, by=None) -> Participant:
    """An organiser adds an actor from the directory: accepted at once."""
    _check_actor(event=event, actor=actor)
    return Participant.objects.create(
        event=event,
        actor=actor,
        status=ParticipantStatus.ACCEPTED,
        registered_by=by,
        decided_at=timezone.now(),
    )


@transaction.atomic
def participant_register(*, event: Event, actor: Actor, user, note: str = "") -> Participant:
    """A manager registers their own organisation; the organisers accept or decline it."""
    if not event.registration_open:
        raise ValidationError("Registration for this event is closed.", code="closed")
    if not actor.managers.filter(pk=user.pk).exists():
        raise ValidationError("You can register only an organisation you manage.", code="owner")
    _check_actor(event=event, actor=actor)
    return Participant.objects.create(
        event=event, actor=actor, registered_by=user, note=note[:2000]
    )


@transaction.atomic
def participant_decide(*, participant: Participant, accept: bool, message: str = "") -> None:
    """Accept or decline; a declined participant loses its meetings."""
    participant.status = ParticipantStatus.ACCEPTED if accept else ParticipantStatus.DECLINED
    participant.decision_message = message[:500]
    participant.decided_at = timezone.now()
    participant.save(update_fields=["status", "decision_message", "decided_at"])
    if not accept:
        meetings_involving(participant).delete()


@transaction.atomic
def participant_availability_set(
    *, participant: Participant, absent_from: Iterable[EventSession]
) -> None:
    """Mark the sessions it misses; meetings in those sessions would break that, so refuse."""
    sessions = list(absent_from)
    foreign = [s for s in sessions if s.event_id != participant.event_id]
    if foreign:
        raise ValidationError("A session of another event was given.", code="foreign")
    clashes = meetings_involving(participant).filter(slot__session__in=sessions)
    if clashes.exists():
        names = sorted({m.slot.session.name for m in clashes.select_related("slot__session")})
        raise ValidationError(
            f"{participant.actor.name} has meetings in {', '.join(names)}; cancel or move them "
            "first.",
            code="booked",
        )
    participant.absent_from.set(sessions)


@transaction.atomic
def attendees_set(*, participant: Participant, people: Iterable[dict]) -> None:
    """Replace the attendees (first_name, last_name, job_title, email, phone)."""
    participant.attendees.all().delete()
    Attendee.objects.bulk_create(Attendee(participant=participant, **p) for p in people)


# -- import from a file -----------------------------------------------------------------------

IMPORT_COLUMNS = ("slug",)
PARTICIPANT_COLUMNS = (
    "slug", "status", "absent", "first_name", "last_name", "job_title", "email", "phone",
)  # fmt: skip
STATUS_WORDS = {
    "": ParticipantStatus.ACCEPTED,
    "accepted": ParticipantStatus.ACCEPTED,
    "pending": ParticipantStatus.PENDING,
    "declined": ParticipantStatus.DECLINED,
}


@dataclass
class ParticipantImportReport(ImportReport):
    """The import report (common.import_report), plus the attendees of the new participants.
    Its changes are participants, named by their actor's slug and name."""

    attendees: int = 0


def participants_import(
    *, event: Event, data: bytes, filename: str, by=None, dry_run: bool = False
) -> ParticipantImportReport:
    """Add participants from a CSV or XLSX file: all rows or none.

    Columns: slug (required), status (accepted, pending or declined; accepted if empty),
    absent (session names separated by ';'), and optionally one attendee per row:
    first_name, last_name, job_title, email, phone. Several rows with the same slug add
    several attendees to one participant.
    """
    report = ParticipantImportReport(filename=filename, dry_run=dry_run)
    try:
        table = read_sheet(data=data, filename=filename)
        rows = table_rows(table=table, required=IMPORT_COLUMNS)
        header = table.header
    except TableError as exc:
        report.add(str(exc))
        return report
    report.rows_read = len(rows)
    unknown = sorted(set(header) - set(PARTICIPANT_COLUMNS) - {""})
    if unknown:
        report.add(
            f"unknown column(s) {', '.join(unknown)}; the columns are "
            f"{', '.join(PARTICIPANT_COLUMNS)}.",
            row=1,
        )
    actors = Actor.objects.in_bulk([r.get("slug") for r in rows], field_name="slug")
    taken = set(event.participants.values_list("actor__slug", flat=True))
    sessions = {s.name.strip().lower(): s for s in event.sessions.all()}
    plan: dict[str, dict] = {}
    for row in rows:
        slug = row.get("slug")
        number = row.number
        actor = actors.get(slug)
        if not slug:
            report.add("empty; every row needs an actor's slug.", row=number, column="slug")
            continue
        if actor is None:
            report.add(f"no actor '{slug}' in the directory.", row=number, column="slug")
            continue
        if actor.status != Status.PUBLISHED:
            report.add(f"'{slug}' is not a published profile.", row=number, column="slug")
            continue
        status = row.get("status").lower()
        if status not in STATUS_WORDS:
            report.add(
                f"'{row.get('status')}' is not accepted, pending or declined.",
                row=number,
                column="status",
            )
            continue
        absent = []
        for name in filter(None, (n.strip() for n in row.get("absent").split(";"))):
            if name.lower() not in sessions:
                report.add(f"no session named '{name}'.", row=number, column="absent")
            else:
                absent.append(sessions[name.lower()])
        entry = plan.setdefault(
            slug,
            {
                "actor": actor,
                "where": f"row {number}",
                "status": STATUS_WORDS[status],
                "absent": set(),
                "people": [],
            },
        )
        entry["absent"].update(absent)
        person = {
            key: row.get(key) for key in ("first_name", "last_name", "job_title", "email", "phone")
        }
        if any(person.values()):
            if not person["first_name"] or not person["last_name"]:
                report.problems.append(
                    Problem(
                        message=f"row {number}, columns first_name/last_name: an attendee "
                        "needs both names.",
                        row=number,
                        column="first_name" if not person["first_name"] else "last_name",
                    )
                )
            # The model's own checks (lengths, e-mail, one line, storable text), so that the
            # dry run refuses exactly what the import would fail on.
            named = bool(person["first_name"] and person["last_name"])
            exclude = ["participant"] + ([] if named else ["first_name", "last_name"])
            try:
                Attendee(**person).full_clean(exclude=exclude)
            except ValidationError as error:
                for column, errors in error.error_dict.items():
                    for err in errors:
                        message = (
                            f"'{person['email'][:60]}' is not an email address."
                            if err.code == "invalid" and column == "email"
                            else f"'{person.get(column, '')[:60]}' is not accepted: "
                            + " ".join(err.messages)
                        )
                        report.add(message, row=number, column=column)
            entry["people"].append(person)
    if report.problems:
        return report
    for slug, entry in plan.items():
        change = Change(slug=slug, name=entry["actor"].name, where=entry["where"])
        (report.unchanged if slug in taken else report.created).append(change)
        if slug not in taken:
            report.attendees += len(entry["people"])
    if dry_run or not report.created:
        return report
    with transaction.atomic():
        now = timezone.now()
        for slug, entry in plan.items():
            if slug in taken:
                continue
            participant = Participant.objects.create(
                event=event,
                actor=entry["actor"],
                status=entry["status"],
                registered_by=by,
                decided_at=now if entry["status"] != ParticipantStatus.PENDING else None,
            )
            participant.absent_from.set(entry["absent"])
            Attendee.objects.bulk_create(
                Attendee(participant=participant, **person) for person in entry["people"]
            )
    report.written = True
    return report
