"""What every event page module uses."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from events import access
from events.models import Meeting
from events.wishes import unwanted_meetings

EXPORT_FORMATS = {"csv", "xlsx"}
HEATMAP_LIMIT = 60  # participants per side; beyond that the table is the readable view

# A wish field names a participant id: ASCII digits only (str.isdigit() accepts '²'), and
# no more than an id column holds.
WISH_KEY = re.compile(r"wish-([0-9]{1,9})")


def show_errors(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def meeting_for_organiser(request: HttpRequest, slug: str, pk: int) -> Meeting:
    event = access.get_event_for_organiser(request.user, slug)
    return get_object_or_404(
        Meeting.objects.select_related("eu__actor", "kr__actor", "slot__session", "event"),
        event=event,
        pk=pk,
    )


def warn_unwanted_meetings(request: HttpRequest, *, participant, organiser: bool) -> None:
    """A "not interested" in someone already scheduled with this participant: say the meeting
    is still there, and offer to cancel it (organisers: the meeting's cancel confirmation;
    managers: their agenda, where a meeting not yet begun can be called off)."""
    event = participant.event
    for meeting, other in unwanted_meetings(participant=participant):
        if not organiser and not event.published:
            # The agenda opens at publication: until then, the organisers cancel it.
            messages.warning(
                request,
                _(
                    "You already have a meeting with %(name)s (table %(table)s): ask the "
                    "organisers to cancel it if you should not meet."
                )
                % {"name": other.actor.name, "table": meeting.table},
            )
            continue
        if organiser:
            where = reverse("event_meeting_cancel", args=[event.slug, meeting.pk])
            action = _("cancel the meeting")
        else:
            anchor = f"#meeting-{meeting.pk}"
            where = reverse("event_agenda", args=[event.slug, participant.pk]) + anchor
            action = _("call it off from your agenda")
        # The link wraps translated words; the sentence around it is one message.
        link = format_html('<a href="{}">{}</a>', where, action)
        messages.warning(
            request,
            format_html(
                _(
                    "You already have a meeting with {name} ({round}, table {table}); it stays "
                    "until it is cancelled: {link} if you should not meet."
                ),
                name=other.actor.name,
                round=meeting.slot,
                table=meeting.table,
                link=link,
            ),
        )
