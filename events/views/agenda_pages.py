"""Event pages: agenda, its downloads and its private calendar address."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from common.spreadsheet_write import table_response
from events import access
from events.agenda import agenda_ical, cancelled_meetings, participant_agenda
from events.calendar_feed import (
    calendar_address_create,
    calendar_address_renew,
    calendar_address_revoke,
)
from events.exports import agenda_header, agenda_rows
from events.models import Participant
from events.views._common import EXPORT_FORMATS
from events.views.feed_pages import FEED_LANGUAGE_PARAMETER


def _agenda_participant(request: HttpRequest, slug: str, pk: int):
    event = access.get_event_for_viewer(request.user, slug)
    organiser = access.can_organise(request.user, event)
    participant = access.get_participant_for(request.user, event, pk, organiser=organiser)
    if not event.published and not organiser:
        raise Http404("The schedule is not published yet.")
    return event, participant


def calendar_addresses(request: HttpRequest, participant: Participant) -> dict[str, str]:
    """The feed's address to paste into a calendar program, and the webcal:// form that
    opens one directly; empty without a secret. Read in another language than the site's
    default, the address names it, so that the calendar shows the entries in it."""
    if not participant.calendar_token:
        return {}
    path = reverse("event_calendar_feed", args=[participant.pk, participant.calendar_token])
    language = translation.get_language()
    if language and language != settings.LANGUAGE_CODE:
        path += f"?{FEED_LANGUAGE_PARAMETER}={language}"
    https = request.build_absolute_uri(path)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


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
            "cancelled": cancelled_meetings(participant=participant),
            "attendees": participant.attendees.all(),
            "calendar": calendar_addresses(request, participant),
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
        fmt=fmt,
        filename=filename,
        title=pgettext("spreadsheet title", "Agenda"),
        header=agenda_header(),
        rows=agenda_rows(items, event=event),
    )


CALENDAR_ACTIONS = {"create", "renew", "revoke"}


@login_required
@require_POST
def agenda_calendar(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Create, renew or revoke the private calendar address. Renewing and revoking stop the
    address in every calendar that uses it, so they ask first (confirm=1 does it)."""
    event, participant = _agenda_participant(request, slug, pk)
    action = request.POST.get("action", "")
    if action not in CALENDAR_ACTIONS:
        messages.error(request, _("Choose whether to create, renew or revoke the address."))
        return redirect("event_agenda", slug=slug, pk=pk)
    if action == "create":
        calendar_address_create(participant=participant)
        messages.success(
            request,
            _(
                "Private calendar address created: add it to your calendar program as "
                "described below the address."
            ),
        )
        return redirect("event_agenda", slug=slug, pk=pk)
    if not participant.calendar_token:
        messages.info(request, _("There is no calendar address to change; create one first."))
        return redirect("event_agenda", slug=slug, pk=pk)
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "events/calendar_confirm.html",
            {"event": event, "participant": participant, "action": action},
        )
    if action == "renew":
        calendar_address_renew(participant=participant)
        messages.success(
            request,
            _(
                "New calendar address made; the old one no longer works. Replace it in every "
                "calendar that used it."
            ),
        )
    else:
        calendar_address_revoke(participant=participant)
        messages.success(
            request,
            _("Calendar address revoked: calendars that used it no longer receive this agenda."),
        )
    return redirect("event_agenda", slug=slug, pk=pk)
