"""Event pages: the change log of the published schedule, and its update (compute, show the
difference, confirm or discard)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from events import access
from events.changelog import change_log_page
from events.jobs import update_enqueue
from events.models import Event, ScheduleProposal
from events.repair import GONE, proposal_difference, proposal_discard, repair_apply
from events.views._common import show_errors


@login_required
@require_safe
def schedule_changes(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    page, lines = change_log_page(event=event, page=request.GET.get("page"))
    return render(request, "events/changes.html", {"event": event, "page": page, "lines": lines})


@login_required
@require_POST
def schedule_update_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue the computation of the update and go to its job page, which links to the
    proposal when done; nothing but the proposal is written until it is confirmed."""
    event = access.get_event_for_organiser(request.user, slug)
    job = update_enqueue(event=event, by=request.user)
    return redirect("jobs:detail", job.pk)


def _proposal(request: HttpRequest, slug: str, pk: int) -> tuple[Event, ScheduleProposal | None]:
    event = access.get_event_for_organiser(request.user, slug)
    return event, event.proposals.filter(pk=pk).first()


@login_required
@require_safe
def schedule_proposal(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, proposal = _proposal(request, slug, pk)
    if proposal is None:
        messages.info(request, GONE)
        return redirect("event_schedule", slug=slug)
    return render(
        request,
        "events/proposal.html",
        {
            "event": event,
            "proposal": proposal,
            "difference": proposal_difference(proposal=proposal),
        },
    )


@login_required
@require_POST
def schedule_proposal_apply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, proposal = _proposal(request, slug, pk)
    if proposal is None:
        messages.info(request, GONE)
        return redirect("event_schedule", slug=slug)
    try:
        run = repair_apply(proposal=proposal, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
        if proposal.applied_at is None and ScheduleProposal.objects.filter(pk=pk).exists():
            return redirect("event_schedule_proposal", slug=slug, pk=pk)
        return redirect("event_schedule", slug=slug)
    if run is None:
        messages.info(
            request,
            _(
                "Nothing to update: every meeting is still valid and no free place can be "
                "filled. The schedule is as it was."
            ),
        )
        return redirect("event_schedule", slug=slug)
    counts = proposal.summary.get("counts", {})
    messages.success(
        request,
        ngettext(
            "Schedule updated: %(kept)d kept, %(moved)d moved, %(added)d added, %(removed)d "
            "cancelled. %(count)d meeting in all; participants see the changes in their "
            "agendas now, and the change log lists them.",
            "Schedule updated: %(kept)d kept, %(moved)d moved, %(added)d added, %(removed)d "
            "cancelled. %(count)d meetings in all; participants see the changes in their "
            "agendas now, and the change log lists them.",
            run.meetings,
        )
        % {
            "kept": counts.get("kept", 0),
            "moved": counts.get("moved", 0),
            "added": counts.get("added", 0),
            "removed": counts.get("removed", 0),
            "count": run.meetings,
        },
    )
    return redirect("event_schedule", slug=slug)


@login_required
@require_POST
def schedule_proposal_discard(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, proposal = _proposal(request, slug, pk)
    if proposal is None:
        messages.info(request, GONE)
        return redirect("event_schedule", slug=slug)
    try:
        proposal_discard(proposal=proposal)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.info(request, _("Update discarded: the schedule is as it was."))
    return redirect("event_schedule", slug=slug)
