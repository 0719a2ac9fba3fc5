"""Event pages: agenda."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from common.spreadsheet_write import table_response
from events import access
from events.agenda import agenda_ical, participant_agenda
from events.exports import (
    AGENDA_HEADER,
    agenda_rows,
)
from events.views._common import EXPORT_FORMATS


def _agenda_participant(request: HttpRequest, slug: str, pk: int):
    event = access.get_event_for_viewer(request.user, slug)
    organiser = access.can_organise(request.user, event)
    participant = access.get_participant_for(request.user, event, pk, organiser=organiser)
    if not event.published and not organiser:
        raise Http404("The schedule is not published yet.")
    return event, participant


@login_required
@require_safe
def agenda(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, participant = _agenda_participant(request, slug, pk)
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "participant": participant,
            "items": participant_agenda(participant=participant),
            "attendees": participant.attendees.all(),
        },
    )


@login_required
@require_safe
def agenda_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    event, participant = _agenda_participant(request, slug, pk)
    items = participant_agenda(participant=participant)
    filename = f"agenda-{event.slug}-{participant.actor.slug}"
    if fmt == "ics":
        response = HttpResponse(
            agenda_ical(participant=participant, items=items, domain=request.get_host()),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
        return response
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown export format.")
    return table_response(
        fmt=fmt, filename=filename, title="Agenda", header=AGENDA_HEADER, rows=agenda_rows(items)
    )
