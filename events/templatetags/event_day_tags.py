"""What a participant's own pages show of requests and of the day itself, for templates that
do not get it from their view (the participant page and the agenda)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from events.models import MeetingRequest, RequestStatus
from events.onsite import LATE_CHOICES

register = template.Library()


@register.inclusion_tag("events/_requests_panel.html")
def requests_panel(participant) -> dict:
    """Requests waiting for this participant's answer, and its own still awaiting one."""
    waiting = list(
        MeetingRequest.objects.filter(receiver=participant, status=RequestStatus.PENDING)
        .select_related("sender__actor")
        .order_by("created_at")
    )
    sent = MeetingRequest.objects.filter(sender=participant, status=RequestStatus.PENDING)
    return {
        "event": participant.event,
        "participant": participant,
        "waiting": waiting,
        "sent_waiting": sent.count(),
        "accepted": participant.status == "accepted",
    }


@register.inclusion_tag("events/_meeting_day.html")
def meeting_day_actions(participant, meeting) -> dict:
    """Running late and cancel before and during a meeting; feedback once it has begun."""
    now = timezone.now()
    return {
        "event": participant.event,
        "participant": participant,
        "meeting": meeting,
        "upcoming": meeting.slot.starts_at > now,
        "running": meeting.slot.starts_at <= now < meeting.slot.ends_at,
        "begun": meeting.slot.starts_at <= now,
        "late_choices": LATE_CHOICES,
    }
