"""Rows for the event's spreadsheets; `common.spreadsheet_write` writes them as CSV or XLSX.

Dates and times are real date and time values (naive, in the event's time zone): an XLSX file
gets date and time cells a spreadsheet sorts and adds, a CSV file the same as text. Scores are
out of 100, rounded as the pages show them.

The schedule, table plan, agenda and outcomes are read, never imported back: their headers and
words are in the reader's language. The b2match file is read by b2match's own import, which
knows its English column names: it stays in English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from directory.models import Kind
from events.agenda import AgendaItem
from events.dashboard import meetings_of
from events.models import Event, FollowUp, Participant, ParticipantStatus
from events.video import meeting_video_url


def local_date_time(moment: dt.datetime, event: Event) -> tuple[dt.date, dt.time]:
    """The date and the time of day of `moment` in the event's time zone, as cells take them
    (without a time zone, which spreadsheets do not know)."""
    local = moment.astimezone(event.zone)
    return local.date(), local.time().replace(second=0, microsecond=0)


def percent(score: float) -> int:
    """A 0-1 score out of 100, as every page shows it."""
    return round(score * 100)


def _yes_no(value: bool) -> str:
    return pgettext("spreadsheet cell", "yes") if value else pgettext("spreadsheet cell", "no")


def schedule_header() -> list[str]:
    return [
        pgettext("spreadsheet column", "date"),
        pgettext("spreadsheet column", "start"),
        pgettext("spreadsheet column", "end"),
        pgettext("spreadsheet column", "session"),
        pgettext("spreadsheet column", "table"),
        pgettext("spreadsheet column", "european participant"),
        pgettext("spreadsheet column", "korean participant"),
        pgettext("spreadsheet column", "score"),
        pgettext("spreadsheet column", "fixed"),
        pgettext("spreadsheet column", "video"),
        pgettext("spreadsheet column", "why"),
    ]


def schedule_rows(event: Event) -> Iterator[list]:
    for m in meetings_of(event):
        day, start = local_date_time(m.slot.starts_at, event)
        _day, end = local_date_time(m.slot.ends_at, event)
        yield [
            day, start, end, m.slot.session.name, m.table, m.eu.actor.name, m.kr.actor.name,
            percent(m.score), _yes_no(m.fixed),
            meeting_video_url(meeting=m, event=event), m.reason,
        ]  # fmt: skip


def table_plan(event: Event) -> tuple[list[str], list[list]]:
    """One row per round, one column per table: who sits there."""
    header = [pgettext("spreadsheet column", "round")] + [
        pgettext("spreadsheet column", "table %(number)d") % {"number": t}
        for t in range(1, event.tables + 1)
    ]
    rows: dict[int, list] = {}
    for slot in event.slots.order_by("starts_at"):
        local = slot.starts_at.astimezone(event.zone).replace(tzinfo=None)
        rows[slot.pk] = [local] + [""] * event.tables
    for m in meetings_of(event):
        rows[m.slot_id][m.table] = f"{m.eu.actor.name} / {m.kr.actor.name}"
    return header, list(rows.values())


def agenda_header() -> list[str]:
    return [
        pgettext("spreadsheet column", "date"),
        pgettext("spreadsheet column", "start"),
        pgettext("spreadsheet column", "end"),
        pgettext("spreadsheet column", "table"),
        pgettext("spreadsheet column", "meeting with"),
        pgettext("spreadsheet column", "country"),
        pgettext("spreadsheet column", "score"),
        pgettext("spreadsheet column", "video"),
        pgettext("spreadsheet column", "why"),
    ]


def agenda_rows(items: list[AgendaItem], *, event: Event) -> Iterator[list]:
    for item in items:
        actor = item.counterpart.actor
        day, start = local_date_time(item.starts, event)
        _day, end = local_date_time(item.ends, event)
        yield [
            day, start, end, item.meeting.table, actor.name, str(actor.country.name),
            item.percent, item.video, item.reason,
        ]  # fmt: skip


# The columns b2match's participant import recognises (one row per person, email required;
# areas of activities separated by semicolons; descriptions up to 5,000 characters).
B2MATCH_HEADER = [
    "Email", "First name", "Last name", "Job description", "Organization name", "Phone number",
    "Company website", "City", "Country", "Participation type", "Organization type",
    "Areas of activities", "Organization description", "Validated",
]  # fmt: skip


PARTICIPATION_TYPES = {"eu": "European participant", "kr": "Korean participant"}


# Organisations named in the summary before "and N more".
NAMES_SHOWN = 10


@dataclass(frozen=True)
class B2matchSummary:
    """What the b2match export holds, and who it leaves out and why (no row, no error)."""

    people: int
    organisations: int
    without_attendee: list[str]  # organisation names
    without_email: int  # attendees
    repeated_email: int = 0  # attendees whose email an earlier row has already
    declined: int = 0  # participants

    @property
    def sentence(self) -> str:
        people = ngettext("%(count)d person", "%(count)d people", self.people) % {
            "count": self.people
        }
        held = ngettext(
            "The b2match export holds %(people)s from %(count)d organisation.",
            "The b2match export holds %(people)s from %(count)d organisations.",
            self.organisations,
        ) % {"people": people, "count": self.organisations}
        gone = []
        if self.without_attendee:
            n = len(self.without_attendee)
            names = ", ".join(self.without_attendee[:NAMES_SHOWN])
            if n > NAMES_SHOWN:
                names = _("%(names)s and %(count)d more") % {
                    "names": names,
                    "count": n - NAMES_SHOWN,
                }
            gone.append(
                ngettext(
                    "%(count)d organisation with no attendee (%(names)s)",
                    "%(count)d organisations with no attendee (%(names)s)",
                    n,
                )
                % {"count": n, "names": names}
            )
        if self.without_email:
            n = self.without_email
            gone.append(
                ngettext(
                    "%(count)d attendee without an email", "%(count)d attendees without an email", n
                )
                % {"count": n}
            )
        if self.repeated_email:
            n = self.repeated_email
            gone.append(
                ngettext(
                    "%(count)d attendee whose email another attendee already has (b2match takes "
                    "one person per email)",
                    "%(count)d attendees whose email another attendee already has (b2match "
                    "takes one person per email)",
                    n,
                )
                % {"count": n}
            )
        if self.declined:
            n = self.declined
            gone.append(
                ngettext("%(count)d declined registration", "%(count)d declined registrations", n)
                % {"count": n}
            )
        if not gone:
            return held
        return _("%(held)s Left out: %(left_out)s.") % {
            "held": held,
            "left_out": "; ".join(gone),
        }


def b2match_export(event: Event) -> tuple[list[list], B2matchSummary]:
    """Rows for b2match and what they leave out, from one reading, so that the page's summary
    always describes the file. One row per attendee with an email; an email met again (one
    person for two organisations, a shared address) only once, as b2match keys people by it.
    The rows are in English whoever exports them: b2match reads them (see the module)."""
    with translation.override("en"):
        return _b2match_export(event)


def _b2match_export(event: Event) -> tuple[list[list], B2matchSummary]:
    participants = (
        Participant.objects.filter(event=event)
        .select_related("actor")
        .prefetch_related("attendees", "actor__sectors")
        .order_by("actor__name")
    )
    rows: list[list] = []
    seen: set[str] = set()
    organisations, without_attendee, without_email, repeated, declined = 0, [], 0, 0, 0
    for p in participants:
        if p.status == ParticipantStatus.DECLINED:
            declined += 1
            continue
        actor = p.actor
        attendees = list(p.attendees.all())
        if not attendees:
            without_attendee.append(actor.name)
            continue
        exported = 0
        for person in attendees:
            email = person.email.strip()
            if not email:
                without_email += 1
                continue
            if email.casefold() in seen:
                repeated += 1
                continue
            seen.add(email.casefold())
            exported += 1
            rows.append(
                [
                    email, person.first_name, person.last_name, person.job_title,
                    actor.name, person.phone.strip(), actor.website, actor.city,
                    str(actor.country.name), PARTICIPATION_TYPES[actor.side],
                    str(Kind(actor.kind).label),
                    "; ".join(s.label for s in actor.sectors.all()), actor.description[:5000],
                    "Yes" if p.status == ParticipantStatus.ACCEPTED else "No",
                ]
            )  # fmt: skip
        organisations += exported > 0
    summary = B2matchSummary(
        people=len(rows),
        organisations=organisations,
        without_attendee=without_attendee,
        without_email=without_email,
        repeated_email=repeated,
        declined=declined,
    )
    return rows, summary


def b2match_rows(event: Event) -> tuple[list[list], int]:
    """Rows for b2match, and how many attendees were left out (no email, or an email already
    in the file)."""
    rows, summary = b2match_export(event)
    return rows, summary.without_email + summary.repeated_email


def b2match_summary(event: Event) -> B2matchSummary:
    return b2match_export(event)[1]


def outcome_header() -> list[str]:
    return [
        pgettext("spreadsheet column", "date"),
        pgettext("spreadsheet column", "start"),
        pgettext("spreadsheet column", "table"),
        pgettext("spreadsheet column", "european participant"),
        pgettext("spreadsheet column", "korean participant"),
        pgettext("spreadsheet column", "held"),
        pgettext("spreadsheet column", "follow-up"),
        pgettext("spreadsheet column", "note"),
    ]


def outcome_rows(event: Event) -> Iterator[list]:
    for m in meetings_of(event):
        day, start = local_date_time(m.slot.starts_at, event)
        yield [
            day, start, m.table, m.eu.actor.name, m.kr.actor.name,
            "" if m.held is None else _yes_no(m.held),
            str(FollowUp(m.follow_up).label) if m.follow_up else "", m.outcome_note,
        ]  # fmt: skip
