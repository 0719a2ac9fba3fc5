"""Participants: added by organisers (one by one, several from the directory, or from a file),
or registered by managers; accepted, declined or withdrawn; their availability."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.import_report import Change, ImportReport, Problem
from common.spreadsheet_read import TableError, read_sheet
from common.spreadsheet_write import unprotect
from directory.models import Actor, Status
from events import clock, notices
from events.changelog import meetings_removed_record
from events.dashboard import meetings_involving
from events.models import (
    Attendee,
    Event,
    EventSession,
    Meeting,
    Participant,
    ParticipantStatus,
    TimeSlot,
    outcome_recorded,
)

# The decision message of a participant its manager withdrew begins with these words, in the
# language of the manager who withdrew it (`withdrawn_by_its_manager` knows every language).
WITHDRAWN_BY_MANAGER = gettext_lazy("Withdrawn by its manager")


def _check_actor(*, event: Event, actor: Actor) -> None:
    if actor.status != Status.PUBLISHED:
        raise ValidationError(
            _("%(name)s is not a published profile; publish it before adding it.")
            % {"name": actor.name},
            code="unpublished",
        )
    if event.participants.filter(actor=actor).exists():
        raise ValidationError(
            _("%(name)s already takes part in this event.") % {"name": actor.name},
            code="duplicate",
        )


def _lock_event(event: Event) -> None:
    # Additions to one event wait for each other, so that two organisers adding the same
    # organisation at once get "already takes part" rather than a database error.
    Event.objects.select_for_update().filter(pk=event.pk).first()


@transaction.atomic
def participant_add(*, event: Event, actor: Actor, by=None) -> Participant:
    """An organiser adds an actor from the directory: accepted at once."""
    _lock_event(event)
    _check_actor(event=event, actor=actor)
    return Participant.objects.create(
        event=event,
        actor=actor,
        status=ParticipantStatus.ACCEPTED,
        registered_by=by,
        decided_at=timezone.now(),
    )


# The most organisations one "Add these" takes: the search shows 50 at a time.
BULK_ADD_MAX = 200
# What a directory slug looks like; anything else names no actor (and is never sent to the
# database: PostgreSQL refuses a NUL character in a query).
SLUG_SHAPE = re.compile(r"[-a-zA-Z0-9_]{1,120}")


@dataclass
class BulkAddResult:
    added: list[Actor] = field(default_factory=list)
    already: list[Actor] = field(default_factory=list)  # taking part already: left as they were
    refused: list[str] = field(default_factory=list)  # sentences: why some were not added


@transaction.atomic
def participants_add_many(*, event: Event, slugs: Iterable[str], by=None) -> BulkAddResult:
    """An organiser adds several directory actors at once (accepted at once), in one
    transaction. Those taking part already are skipped and named; unpublished or unknown ones
    are skipped with the reason."""
    given = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    wanted = [s for s in given if SLUG_SHAPE.fullmatch(s)]
    if not given:
        raise ValidationError(_("Tick the organisations to add first."), code="empty")
    if len(given) > BULK_ADD_MAX:
        raise ValidationError(
            _("Add at most %(most)d organisations at once; %(count)d were ticked.")
            % {"most": BULK_ADD_MAX, "count": len(given)},
            code="too_many",
        )
    _lock_event(event)
    actors = Actor.objects.in_bulk(wanted, field_name="slug")
    taken = set(
        event.participants.filter(actor__in=actors.values()).values_list("actor_id", flat=True)
    )
    result = BulkAddResult()
    missing = [slug for slug in given if slug not in actors]
    if missing:
        result.refused.append(
            ngettext(
                "%(count)d organisation was not found in the directory (removed since the "
                "search?).",
                "%(count)d organisations were not found in the directory (removed since the "
                "search?).",
                len(missing),
            )
            % {"count": len(missing)}
        )
    now = timezone.now()
    new = []
    for slug in wanted:
        actor = actors.get(slug)
        if actor is None:
            continue
        if actor.pk in taken:
            result.already.append(actor)
        elif actor.status != Status.PUBLISHED:
            result.refused.append(_("%(name)s is not a published profile.") % {"name": actor.name})
        else:
            result.added.append(actor)
            new.append(
                Participant(
                    event=event,
                    actor=actor,
                    status=ParticipantStatus.ACCEPTED,
                    registered_by=by,
                    decided_at=now,
                )
            )
    Participant.objects.bulk_create(new)
    return result


@transaction.atomic
def participant_register(*, event: Event, actor: Actor, user, note: str = "") -> Participant:
    """A manager registers their own organisation; the organisers accept or decline it."""
    if not event.registration_open:
        raise ValidationError(_("Registration for this event is closed."), code="closed")
    if not actor.managers.filter(pk=user.pk).exists():
        raise ValidationError(_("You can register only an organisation you manage."), code="owner")
    _lock_event(event)
    _check_actor(event=event, actor=actor)
    participant = Participant.objects.create(
        event=event, actor=actor, registered_by=user, note=note[:2000]
    )
    notices.registration_received(participant=participant, by=user)
    return participant


@dataclass(frozen=True)
class LeavingImpact:
    """What declining (or withdrawing) a participant does to the schedule, for the
    confirmation page."""

    meetings: int  # cancelled with it
    counterparts: int  # participants who lose a meeting
    with_outcome: int  # meetings with a recorded outcome: these forbid leaving
    published: bool  # the schedule is published: agendas change at once


def leaving_impact(*, participant: Participant) -> LeavingImpact:
    meetings = meetings_involving(participant)
    others = {
        other
        for eu, kr in meetings.values_list("eu_id", "kr_id")
        for other in (eu, kr)
        if other != participant.pk
    }
    return LeavingImpact(
        meetings=meetings.count(),
        counterparts=len(others),
        with_outcome=meetings.filter(outcome_recorded()).count(),
        published=participant.event.published,
    )


def _leave(*, participant: Participant, message: str, by, note: str) -> None:
    """Declined (by the organisers or by its own manager): its meetings are cancelled. A
    meeting with a recorded outcome took place, or was recorded as missed: nothing an
    organiser recorded is lost, so such a participant cannot leave any more."""
    meetings = meetings_involving(participant)
    recorded = meetings.filter(outcome_recorded()).count()
    if recorded:
        raise ValidationError(
            ngettext(
                "%(name)s has %(count)d meeting with a recorded outcome: it took part, so it "
                "cannot be declined or withdrawn any more.",
                "%(name)s has %(count)d meetings with a recorded outcome: it took part, so it "
                "cannot be declined or withdrawn any more.",
                recorded,
            )
            % {"name": participant.actor.name, "count": recorded},
            code="has_outcome",
        )
    participant.status = ParticipantStatus.DECLINED
    participant.decision_message = message[:500]
    participant.decided_at = timezone.now()
    participant.save(update_fields=["status", "decision_message", "decided_at"])
    # A published schedule's change log (and the calendars built on it) hears of each
    # cancelled meeting, before the rows go.
    meetings_removed_record(
        event=participant.event,
        meetings=meetings.select_related("slot", "eu__actor", "kr__actor"),
        by=by,
        note=note,
    )
    meetings.delete()


@transaction.atomic
def participant_decide(
    *, participant: Participant, accept: bool, message: str = "", by=None
) -> None:
    """Accept or decline, with a message the participant's managers see; a declined
    participant loses its meetings (their counterparts get free rounds, which an update of the
    schedule can fill)."""
    was = Participant.objects.select_for_update().filter(pk=participant.pk).first()
    if not accept:
        _leave(
            participant=participant,
            message=message,
            by=by,
            note=_("%(name)s was declined by the organisers.") % {"name": participant.actor.name},
        )
    else:
        participant.status = ParticipantStatus.ACCEPTED
        participant.decision_message = message[:500]
        participant.decided_at = timezone.now()
        participant.save(update_fields=["status", "decision_message", "decided_at"])
    if was is not None and was.status != participant.status:
        notices.registration_decided(participant=participant, by=by)


def withdrawn_by_its_manager(*, participant: Participant) -> bool:
    """Declined because one of its managers withdrew it (not by the organisers): accepting it
    again goes against what its own side said, so the organisers confirm it first."""
    return participant.status == ParticipantStatus.DECLINED and (
        participant.decision_message.startswith(_withdrawal_openings())
    )


def _withdrawal_openings() -> tuple[str, ...]:
    """`WITHDRAWN_BY_MANAGER` in every language of the site."""
    openings = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            openings.add(str(WITHDRAWN_BY_MANAGER))
    return tuple(sorted(openings))


@transaction.atomic
def participant_withdraw(*, participant: Participant, user) -> None:
    """A manager withdraws their organisation's participation. It becomes declined, with a
    message saying so, which the organisers see in the participants list."""
    if not participant.actor.managers.filter(pk=user.pk).exists():
        raise ValidationError(
            _("Only a manager of the organisation can withdraw its participation."), code="owner"
        )
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    participant.refresh_from_db(fields=["status"])
    if participant.status == ParticipantStatus.DECLINED:
        raise ValidationError(
            _("%(name)s no longer takes part (declined or withdrawn already).")
            % {"name": participant.actor.name},
            code="declined",
        )
    _leave(
        participant=participant,
        message=_("%(withdrawn)s on %(date)s.")
        % {"withdrawn": WITHDRAWN_BY_MANAGER, "date": clock.padded_date(timezone.localdate())},
        by=user,
        note=_("%(name)s withdrew from the event.") % {"name": participant.actor.name},
    )


# -- availability ------------------------------------------------------------------------------


@transaction.atomic
def participant_availability_set(
    *,
    participant: Participant,
    absent_from: Iterable[EventSession],
    absent_rounds: Iterable[TimeSlot] | None = None,
) -> list[Meeting]:
    """Mark the sessions it misses and, inside the sessions it attends, the single rounds it
    misses (None: the rounds it misses stay as they were). A session whose every round is
    missed counts as a session missed.

    Meetings already placed at times it now misses are kept: only the organisers move or
    cancel meetings, and an update of the schedule does it for them. They are returned, so
    that the page can say so.
    """
    event_id = participant.event_id
    sessions = set(absent_from)
    rounds = set(participant.absent_rounds.all() if absent_rounds is None else absent_rounds)
    if any(s.event_id != event_id for s in sessions) or any(r.event_id != event_id for r in rounds):
        raise ValidationError(_("A session or round of another event was given."), code="foreign")
    slots = list(TimeSlot.objects.filter(event_id=event_id))
    by_session: dict[int, list[TimeSlot]] = {}
    for slot in slots:
        by_session.setdefault(slot.session_id, []).append(slot)
    missed_rounds = {r.pk for r in rounds}
    for session in participant.event.sessions.all():
        own = by_session.get(session.pk, [])
        if own and all(s.pk in missed_rounds for s in own):
            sessions.add(session)
    session_ids = {s.pk for s in sessions}
    rounds = {r for r in rounds if r.session_id not in session_ids}
    participant.absent_from.set(sessions)
    participant.absent_rounds.set(rounds)
    return list(
        meetings_involving(participant)
        .filter(Q(slot__session_id__in=session_ids) | Q(slot__in=rounds))
        .select_related("slot__event", "slot__session", "eu__actor", "kr__actor")
        .order_by("slot__starts_at")
    )


@transaction.atomic
def attendees_set(*, participant: Participant, people: Iterable[dict]) -> None:
    """Replace the attendees (first_name, last_name, job_title, email, phone)."""
    participant.attendees.all().delete()
    Attendee.objects.bulk_create(Attendee(participant=participant, **p) for p in people)


# -- import from a file -----------------------------------------------------------------------

# Which organisation a row is about: at least one of these columns, tried in this order of
# strength (slug, then name, then website; see `_match`).
IDENTITY_COLUMNS = ("organisation", "website", "slug")
PERSON_COLUMNS = ("first_name", "last_name", "job_title", "email", "phone")
PARTICIPANT_COLUMNS = (*IDENTITY_COLUMNS, "status", "absent", *PERSON_COLUMNS)
STATUS_WORDS = {
    "": ParticipantStatus.ACCEPTED,
    "accepted": ParticipantStatus.ACCEPTED,
    "pending": ParticipantStatus.PENDING,
    "declined": ParticipantStatus.DECLINED,
}
# Candidates named in an ambiguity before "and N more".
CANDIDATES_SHOWN = 5

_SPACES = re.compile(r"\s+")


def name_key(text: str) -> str:
    """A name as the import compares it: without accents, case or extra spaces
    ("  Pôle  EAU " and "pole eau" are one name)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).strip().casefold()


def website_key(text: str) -> str:
    """A website as the import compares it: its host without "www."
    (`https://www.lyonbiopole.com/en/` and `lyonbiopole.com` are one site); "" if it is none."""
    text = (text or "").strip().casefold()
    if not text or " " in text or "." not in text:
        return ""
    if "//" not in text:
        text = "//" + text
    try:
        host = (urlsplit(text).hostname or "").rstrip(".")
    except ValueError:  # "[::1" and other broken addresses
        return ""
    return host.removeprefix("www.")


@dataclass
class _Directory:
    """Every actor, indexed by the three ways a row may name one."""

    by_slug: dict[str, Actor]
    by_name: dict[str, list[Actor]]
    by_site: dict[str, list[Actor]]

    @classmethod
    def load(cls) -> _Directory:
        by_slug, by_name, by_site = {}, {}, {}
        for actor in Actor.objects.only("pk", "slug", "name", "website", "status").order_by(
            "name", "slug"
        ):
            by_slug[actor.slug.casefold()] = actor
            by_name.setdefault(name_key(actor.name), []).append(actor)
            if site := website_key(actor.website):
                by_site.setdefault(site, []).append(actor)
        return cls(by_slug=by_slug, by_name=by_name, by_site=by_site)


@dataclass
class _Match:
    actor: Actor | None = None
    by: str = ""  # "slug", "name" or "website"
    problem: str = ""
    column: str = ""


def _candidates(actors: list[Actor]) -> str:
    shown = [
        _("%(name)s (slug %(slug)s, %(website)s)")
        % {"name": a.name, "slug": a.slug, "website": website_key(a.website)}
        if a.website
        else _("%(name)s (slug %(slug)s)") % {"name": a.name, "slug": a.slug}
        for a in actors[:CANDIDATES_SHOWN]
    ]
    more = len(actors) - CANDIDATES_SHOWN
    if more <= 0:
        return "; ".join(shown)
    return _("%(names)s; and %(count)d more") % {"names": "; ".join(shown), "count": more}


def _match(row, directory: _Directory) -> _Match:
    """The actor a row is about: by slug, else by exact name (accents, case and spaces aside),
    else by website host. Several actors at the first step that finds any: ambiguous."""
    cells = {column: unprotect(row.get(column)) for column in IDENTITY_COLUMNS}
    given = [
        (column, cells[column]) for column in ("slug", "organisation", "website") if cells[column]
    ]
    if not given:
        return _Match(
            problem=_(
                "empty; every row needs the organisation: its name, website or directory slug."
            ),
            column=next((c for c in IDENTITY_COLUMNS if c in row.values), "organisation"),
        )
    steps = (
        (
            "slug",
            lambda text: (
                [directory.by_slug[text.casefold()]] if text.casefold() in directory.by_slug else []
            ),
        ),
        ("name", lambda text: directory.by_name.get(name_key(text), [])),
        ("website", lambda text: directory.by_site.get(website_key(text), [])),
    )
    column, text = given[0]
    for by, lookup in steps:
        found = list({a.pk: a for _, value in given for a in lookup(value)}.values())
        if not found:
            continue
        found.sort(key=lambda a: (name_key(a.name), a.slug))
        published = [a for a in found if a.status == Status.PUBLISHED]
        if len(published) == 1:
            return _Match(actor=published[0], by=by)
        if len(published) > 1:
            return _Match(
                problem=_ambiguous(by)
                % {"text": text[:80], "count": len(published), "names": _candidates(published)},
                column=column,
            )
        return _Match(
            problem=_("'%(text)s' is %(name)s, which is not a published profile.")
            % {"text": text[:80], "name": found[0].name},
            column=column,
        )
    return _Match(
        problem=_("no organisation in the directory has the slug, name or website '%(text)s'.")
        % {"text": text[:80]},
        column=column,
    )


def _ambiguous(by: str) -> str:
    """Several published actors answer a row, found `by` slug, name or website."""
    if by == "slug":
        return _(
            "'%(text)s' matches %(count)d organisations by slug: %(names)s. Write the slug of the "
            "one you mean in a slug column."
        )
    if by == "name":
        return _(
            "'%(text)s' matches %(count)d organisations by name: %(names)s. Write the slug of the "
            "one you mean in a slug column."
        )
    return _(
        "'%(text)s' matches %(count)d organisations by website: %(names)s. Write the slug of the "
        "one you mean in a slug column."
    )


def _person_key(person: dict) -> tuple[str, str]:
    return (person["email"].casefold(), name_key(f"{person['first_name']} {person['last_name']}"))


def _is_same_person(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """The same e-mail, or the same first and last name."""
    return bool(a[0] and a[0] == b[0]) or bool(a[1].strip() and a[1] == b[1])


class _KnownPeople:
    """The attendees of one organisation seen so far, found by e-mail and by name in constant
    time: comparing each row with every earlier one held a worker for a minute on a large
    file. A candidate found is confirmed by `_is_same_person`, the rule itself."""

    def __init__(self) -> None:
        self.by_email: dict[str, tuple[str, str]] = {}
        self.by_name: dict[str, tuple[str, str]] = {}

    def add(self, key: tuple[str, str]) -> None:
        email, name = key
        if email:
            self.by_email.setdefault(email, key)
        if name.strip():
            self.by_name.setdefault(name, key)

    def has(self, key: tuple[str, str]) -> bool:
        email, name = key
        found = (self.by_email.get(email) if email else None, self.by_name.get(name))
        return any(seen is not None and _is_same_person(key, seen) for seen in found)


@dataclass
class ParticipantImportReport(ImportReport):
    """The import report (common.import_report), plus the attendees it adds. Its changes are
    participants, named by their actor's slug and name: created (new participants), updated
    (taking part already; attendees added) and unchanged."""

    attendees: int = 0  # attendees added, to new and to existing participants
    attendees_skipped: int = 0  # listed already (same e-mail, or same first and last name)
    matched_by: dict[str, str] = field(default_factory=dict)  # slug -> "name" or "website"


def pasted_file(text: str) -> tuple[bytes, str]:
    """Rows pasted into the page as a file the import reads. Cells copied from a spreadsheet
    arrive separated by tabs; they become a CSV (comma or semicolon text is a CSV already)."""
    # The separator is read from the first line with text: a paste may begin with blank lines.
    first = next((line for line in text.lstrip("\ufeff").split("\n") if line.strip()), "")
    if "\t" in first and first.count("\t") >= max(first.count(","), first.count(";")):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in csv.reader(io.StringIO(text, newline=""), delimiter="\t"):
            writer.writerow(row)
        text = buffer.getvalue()
    return text.encode("utf-8", errors="replace"), "pasted.csv"


@dataclass
class _Entry:
    actor: Actor
    where: str
    status: str
    status_row: int | None = None  # the row that wrote the status, None while none did
    absent: set = field(default_factory=set)
    people: list[dict] = field(default_factory=list)
    skipped: int = 0


def _check_person(report: ImportReport, *, person: dict, number: int) -> None:
    if not person["first_name"] or not person["last_name"]:
        report.problems.append(
            Problem(
                message=_(
                    "row %(row)d, columns first_name/last_name: an attendee needs both names."
                )
                % {"row": number},
                row=number,
                column="first_name" if not person["first_name"] else "last_name",
            )
        )
    # The model's own checks (lengths, e-mail, one line, storable text), so that the dry run
    # refuses exactly what the import would fail on.
    named = bool(person["first_name"] and person["last_name"])
    exclude = ["participant"] + ([] if named else ["first_name", "last_name"])
    try:
        Attendee(**person).full_clean(exclude=exclude)
    except ValidationError as error:
        for column, errors in error.error_dict.items():
            for err in errors:
                message = (
                    _("'%(value)s' is not an email address.") % {"value": person["email"][:60]}
                    if err.code == "invalid" and column == "email"
                    else _("'%(value)s' is not accepted: %(why)s")
                    % {"value": person.get(column, "")[:60], "why": " ".join(err.messages)}
                )
                report.add(message, row=number, column=column)


def participants_import(
    *, event: Event, data: bytes, filename: str, by=None, dry_run: bool = False
) -> ParticipantImportReport:
    """Add participants, and attendees, from a CSV or XLSX file: all rows or none.

    Each row names an organisation in an `organisation` (its name, or its slug or website),
    `website` or `slug` column; see `_match`. Optional: status (accepted, pending or declined;
    accepted if empty) and absent (session names separated by ';'), which apply to
    organisations not taking part yet, and one attendee per row: first_name, last_name,
    job_title, email, phone. Several rows for one organisation add several attendees; rows
    for an organisation taking part already add the attendees it does not have yet.
    """
    report = ParticipantImportReport(filename=filename, dry_run=dry_run)
    try:
        table = read_sheet(data=data, filename=filename)
    except TableError as exc:
        report.add(str(exc))
        return report
    if not set(IDENTITY_COLUMNS) & set(table.header):
        has = ", ".join(h for h in table.header if h)
        report.add(
            _(
                "Missing column: the first row must name an organisation, website or slug "
                "column to say which organisation each row is about. The first row has: "
                "%(columns)s."
            )
            % {"columns": has}
            if has
            else _(
                "Missing column: the first row must name an organisation, website or slug "
                "column to say which organisation each row is about. The first row has: nothing."
            )
        )
        return report
    rows = [row for row in table.rows if any(row.values.values()) or row.extra]
    report.rows_read = len(rows)
    unknown = sorted(set(table.header) - set(PARTICIPANT_COLUMNS) - {""})
    if unknown:
        report.add(
            ngettext(
                "unknown column %(names)s; the columns are %(columns)s.",
                "unknown columns %(names)s; the columns are %(columns)s.",
                len(unknown),
            )
            % {"names": ", ".join(unknown), "columns": ", ".join(PARTICIPANT_COLUMNS)},
            row=table.header_number,
        )
    repeated = sorted({h for h in table.header if h and table.header.count(h) > 1})
    if repeated:
        report.add(
            ngettext(
                "column %(names)s appears more than once.",
                "columns %(names)s appear more than once.",
                len(repeated),
            )
            % {"names": ", ".join(repeated)},
            row=table.header_number,
        )
    if report.problems:
        return report
    directory = _Directory.load()
    sessions = {name_key(s.name): s for s in event.sessions.all()}
    plan: dict[int, _Entry] = {}
    for row in rows:
        number = row.number
        if row.extra:
            report.add(
                ngettext(
                    "%(count)d cell under no column name (first: '%(first)s'); a separator "
                    "inside a cell needs quotes.",
                    "%(count)d cells under no column name (first: '%(first)s'); a separator "
                    "inside a cell needs quotes.",
                    len(row.extra),
                )
                % {"count": len(row.extra), "first": row.extra[0][:40]},
                row=number,
            )
        match = _match(row, directory)
        if match.actor is None:
            report.add(match.problem, row=number, column=match.column)
            continue
        status = row.get("status").casefold()
        if status not in STATUS_WORDS:
            report.add(
                _("'%(value)s' is not accepted, pending or declined.")
                % {"value": row.get("status")[:40]},
                row=number,
                column="status",
            )
            continue
        absent = []
        for name in filter(None, (n.strip() for n in row.get("absent").split(";"))):
            if name_key(name) not in sessions:
                known = ", ".join(s.name for s in sessions.values()) or _("none yet")
                report.add(
                    _("no session named '%(name)s' (the sessions: %(known)s).")
                    % {"name": name[:60], "known": known},
                    row=number,
                    column="absent",
                )
            else:
                absent.append(sessions[name_key(name)])
        actor = match.actor
        if match.by != "slug":
            report.matched_by.setdefault(actor.slug, match.by)
        entry = plan.setdefault(
            actor.pk,
            _Entry(
                actor=actor, where=_("row %(row)d") % {"row": number}, status=STATUS_WORDS[status]
            ),
        )
        if status:
            # A status is written once per organisation; rows left blank follow it.
            if entry.status_row is None:
                entry.status, entry.status_row = STATUS_WORDS[status], number
            elif STATUS_WORDS[status] != entry.status:
                report.add(
                    _(
                        "'%(value)s' contradicts row %(row)d, which gives %(name)s the status "
                        "'%(status)s'; write one status for an organisation."
                    )
                    % {
                        "value": row.get("status")[:40],
                        "row": entry.status_row,
                        "name": actor.name,
                        "status": entry.status,
                    },
                    row=number,
                    column="status",
                )
        entry.absent.update(absent)
        person = {key: unprotect(row.get(key)) for key in PERSON_COLUMNS}
        if any(person.values()):
            _check_person(report, person=person, number=number)
            entry.people.append(person)
    if report.problems:
        return report
    if dry_run:
        _plan_against(event=event, plan=plan, report=report, write=False, by=by)
        return report
    with transaction.atomic():
        _lock_event(event)
        _plan_against(event=event, plan=plan, report=report, write=True, by=by)
    report.written = True
    return report


def _plan_against(
    *, event: Event, plan: dict[int, _Entry], report: ParticipantImportReport, write: bool, by
) -> None:
    """Compare the file with the event as it is now: new participants, attendees to add to
    existing ones (no one twice), and, when `write`, save them."""
    existing = {
        p.actor_id: p
        for p in event.participants.filter(actor_id__in=plan).prefetch_related("attendees")
    }
    now = timezone.now()
    for entry in plan.values():
        participant = existing.get(entry.actor.pk)
        known = _KnownPeople()
        for a in participant.attendees.all() if participant else ():
            known.add(
                _person_key(
                    {"email": a.email, "first_name": a.first_name, "last_name": a.last_name}
                )
            )
        people = []
        for person in entry.people:
            key = _person_key(person)
            if known.has(key):
                report.attendees_skipped += 1
                continue
            known.add(key)
            people.append(person)
        change = Change(slug=entry.actor.slug, name=entry.actor.name, where=entry.where)
        if participant is None:
            report.created.append(change)
        elif people:
            report.updated.append(
                Change(
                    slug=change.slug, name=change.name, where=change.where, columns=("attendees",)
                )
            )
        else:
            report.unchanged.append(change)
        report.attendees += len(people)
        if not write:
            continue
        if participant is None:
            participant = Participant.objects.create(
                event=event,
                actor=entry.actor,
                status=entry.status,
                registered_by=by,
                decided_at=now if entry.status != ParticipantStatus.PENDING else None,
            )
            participant.absent_from.set(entry.absent)
        Attendee.objects.bulk_create(Attendee(participant=participant, **p) for p in people)


# -- the import template ------------------------------------------------------------------------


def import_template_rows(*, event: Event) -> list[list[str]]:
    """One example row under the header of `PARTICIPANT_COLUMNS`: what a cell holds."""
    session = event.sessions.first()
    example = {
        "organisation": "Example Cluster",
        "website": "https://www.example-cluster.eu",
        "slug": "",
        "status": "accepted",
        "absent": session.name if session else "",
        "first_name": "Ji-won",
        "last_name": "Kim",
        "job_title": "International project manager",
        "email": "ji-won.kim@example.org",
        "phone": "+82 2 1234 5678",
    }
    return [[example[column] for column in PARTICIPANT_COLUMNS]]
