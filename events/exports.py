"""Rows for the event's spreadsheets; `common.spreadsheet_write` writes them as CSV or XLSX."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from directory.models import Kind
from events.agenda import AgendaItem
from events.dashboard import meetings_of
from events.models import Event, FollowUp, Participant, ParticipantStatus

SCHEDULE_HEADER = [
    "date", "start", "end", "session", "table", "european participant", "korean participant",
    "score", "fixed", "why",
]  # fmt: skip


def schedule_rows(event: Event) -> Iterator[list]:
    zone = event.zone
    for m in meetings_of(event):
        start, end = m.slot.starts_at.astimezone(zone), m.slot.ends_at.astimezone(zone)
        yield [
            f"{start:%Y-%m-%d}", f"{start:%H:%M}", f"{end:%H:%M}", m.slot.session.name, m.table,
            m.eu.actor.name, m.kr.actor.name, round(m.score * 100), "yes" if m.fixed else "no",
            m.reason,
        ]  # fmt: skip


def table_plan(event: Event) -> tuple[list[str], list[list]]:
    """One row per round, one column per table: who sits there."""
    zone = event.zone
    header = ["round"] + [f"table {t}" for t in range(1, event.tables + 1)]
    rows: dict[int, list] = {}
    for slot in event.slots.order_by("starts_at"):
        rows[slot.pk] = [f"{slot.starts_at.astimezone(zone):%Y-%m-%d %H:%M}"] + [""] * event.tables
    for m in meetings_of(event):
        rows[m.slot_id][m.table] = f"{m.eu.actor.name} / {m.kr.actor.name}"
    return header, list(rows.values())


AGENDA_HEADER = ["date", "start", "end", "table", "meeting with", "country", "score", "why"]


def agenda_rows(items: list[AgendaItem]) -> Iterator[list]:
    for item in items:
        actor = item.counterpart.actor
        yield [
            f"{item.starts:%Y-%m-%d}", f"{item.starts:%H:%M}", f"{item.ends:%H:%M}",
            item.meeting.table, actor.name, actor.country.name, round(item.score * 100),
            item.reason,
        ]  # fmt: skip


# The columns b2match's participant import recognises (one row per person, email required;
# areas of activities separated by semicolons; descriptions up to 5,000 characters).
B2MATCH_HEADER = [
    "Email", "First name", "Last name", "Job description", "Organization name", "Phone number",
    "Company website", "City", "Country", "Participation type", "Organization type",
    "Areas of activities", "Organization description", "Validated",
]  # fmt: skip


PARTICIPATION_TYPES = {"eu": "European participant", "kr": "Korean participant"}


def b2match_rows(event: Event) -> tuple[list[list], int]:
    """Rows for b2match, and how many attendees were left out for having no email."""
    participants = (
        Participant.objects.filter(event=event)
        .exclude(status=ParticipantStatus.DECLINED)
        .select_related("actor")
        .prefetch_related("attendees", "actor__sectors")
        .order_by("actor__name")
    )
    rows, skipped = [], 0
    for p in participants:
        actor = p.actor
        for person in p.attendees.all():
            if not person.email:
                skipped += 1
                continue
            rows.append(
                [
                    person.email, person.first_name, person.last_name, person.job_title,
                    actor.name, person.phone, actor.website, actor.city, actor.country.name,
                    PARTICIPATION_TYPES[actor.side], Kind(actor.kind).label,
                    "; ".join(s.label for s in actor.sectors.all()), actor.description[:5000],
                    "Yes" if p.status == ParticipantStatus.ACCEPTED else "No",
                ]
            )  # fmt: skip
    return rows, skipped


# Organisations named in the summary before "and N more".
NAMES_SHOWN = 10


@dataclass(frozen=True)
class B2matchSummary:
    """What the b2match export holds, and who it leaves out and why (no row, no error)."""

    people: int
    organisations: int
    without_attendee: list[str]  # organisation names
    without_email: int  # attendees

    @property
    def sentence(self) -> str:
        held = (
            f"The b2match export holds {self.people} {plural(self.people, 'person', 'people')} "
            f"from {self.organisations} {plural(self.organisations, 'organisation')}."
        )
        gone = []
        if self.without_attendee:
            n = len(self.without_attendee)
            names = ", ".join(self.without_attendee[:NAMES_SHOWN])
            if n > NAMES_SHOWN:
                names += f" and {n - NAMES_SHOWN} more"
            gone.append(f"{n} {plural(n, 'organisation')} with no attendee ({names})")
        if self.without_email:
            n = self.without_email
            gone.append(f"{n} {plural(n, 'attendee')} without an email")
        return held + (f" Left out: {'; '.join(gone)}." if gone else "")


def plural(n: int, one: str, many: str = "") -> str:
    return one if n == 1 else (many or one + "s")


def b2match_summary(event: Event) -> B2matchSummary:
    participants = (
        Participant.objects.filter(event=event)
        .exclude(status=ParticipantStatus.DECLINED)
        .select_related("actor")
        .prefetch_related("attendees")
        .order_by("actor__name")
    )
    people, organisations, without_attendee, without_email = 0, 0, [], 0
    for p in participants:
        attendees = list(p.attendees.all())
        emails = sum(1 for a in attendees if a.email)
        without_email += len(attendees) - emails
        people += emails
        organisations += emails > 0
        if not attendees:
            without_attendee.append(p.actor.name)
    return B2matchSummary(people, organisations, without_attendee, without_email)


OUTCOME_HEADER = [
    "date", "start", "table", "european participant", "korean participant", "held", "follow-up",
    "note",
]  # fmt: skip


def outcome_rows(event: Event) -> Iterator[list]:
    zone = event.zone
    held = {True: "yes", False: "no", None: ""}
    for m in meetings_of(event):
        start = m.slot.starts_at.astimezone(zone)
        yield [
            f"{start:%Y-%m-%d}", f"{start:%H:%M}", m.table, m.eu.actor.name, m.kr.actor.name,
            held[m.held], FollowUp(m.follow_up).label if m.follow_up else "", m.outcome_note,
        ]  # fmt: skip
