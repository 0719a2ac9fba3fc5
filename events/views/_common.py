"""What every event page module uses."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

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
    is still there, and who can cancel it."""
    who = "cancel it on the Schedule page" if organiser else "ask the organisers to cancel it"
    for meeting, other in unwanted_meetings(participant=participant):
        messages.warning(
            request,
            f"You already have a meeting with {other.actor.name} (table {meeting.table}): "
            f"{who} if you should not meet.",
        )
