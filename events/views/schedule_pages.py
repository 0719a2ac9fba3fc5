"""Event pages: schedule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from common.spreadsheet_write import table_response
from events import access
from events.dashboard import meetings_of
from events.exports import (
    B2MATCH_HEADER,
    OUTCOME_HEADER,
    SCHEDULE_HEADER,
    b2match_rows,
    outcome_rows,
    schedule_rows,
    table_plan,
)
from events.forms import (
    MeetingAddForm,
    MeetingMoveForm,
)
from events.schedule import (
    meeting_add,
    meeting_cancel,
    meeting_move,
    meeting_pin,
    schedule_generate,
    schedule_publish,
    schedule_unpublish,
)
from events.views._common import EXPORT_FORMATS, meeting_for_organiser, show_errors


@login_required
@require_safe
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    meetings = list(meetings_of(event))
    by_place = {(m.slot_id, m.table): m for m in meetings}
    slots = list(event.slots.select_related("session", "event"))
    rows = [
        (slot, [by_place.get((slot.pk, t)) for t in range(1, event.tables + 1)]) for slot in slots
    ]
    return render(
        request,
        "events/schedule.html",
        {
            "event": event,
            "rows": rows,
            "tables": range(1, event.tables + 1),
            "meetings": meetings,
            "add_form": MeetingAddForm(event=event),
            "move_form": MeetingMoveForm(event=event),
            "latest_run": event.schedule_runs.first(),
        },
    )


@login_required
@require_POST
def schedule_generate_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    try:
        run = schedule_generate(event=event, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            f"Draft schedule: {run.meetings} meetings ({run.fixed} fixed kept), "
            f"{run.ratio:.1%} of the best possible value.",
        )
    return redirect("event_schedule", slug=slug)


@login_required
@require_POST
def meeting_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    form = MeetingAddForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, "Choose two participants and a round. " + form.errors.as_text())
        return redirect("event_schedule", slug=slug)
    data = form.cleaned_data
    try:
        meeting = meeting_add(
            event=event, eu=data["eu"], kr=data["kr"], slot=data["slot"], table=data["table"]
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, f"Meeting added at table {meeting.table}, {meeting.slot}.")
    return redirect("event_schedule", slug=slug)


@login_required
@require_POST
def meeting_move_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = meeting_for_organiser(request, slug, pk)
    form = MeetingMoveForm(request.POST, event=meeting.event)
    if not form.is_valid():
        messages.error(request, "Choose a round (and a table). " + form.errors.as_text())
        return redirect("event_schedule", slug=slug)
    try:
        meeting_move(
            meeting=meeting, slot=form.cleaned_data["slot"], table=form.cleaned_data["table"]
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, f"Meeting moved to table {meeting.table}, {meeting.slot}.")
    return redirect("event_schedule", slug=slug)


@login_required
@require_POST
def meeting_cancel_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = meeting_for_organiser(request, slug, pk)
    try:
        meeting_cancel(meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("event_schedule", slug=slug)
    messages.success(
        request,
        f"Meeting {meeting.eu.actor.name} / {meeting.kr.actor.name} cancelled. The two will not "
        "be proposed again; to allow it, remove their exclusion on the Pairs page.",
    )
    return redirect("event_schedule", slug=slug)


@login_required
@require_POST
def meeting_pin_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = meeting_for_organiser(request, slug, pk)
    meeting_pin(meeting=meeting, fixed=request.POST.get("fixed") == "1")
    return redirect("event_schedule", slug=slug)


@login_required
@require_POST
def schedule_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    if request.POST.get("publish") == "0":
        schedule_unpublish(event=event)
        messages.success(request, "Schedule withdrawn: participants no longer see it.")
        return redirect("event_schedule", slug=slug)
    try:
        schedule_publish(event=event)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, "Schedule published: participants can open their agendas.")
    return redirect("event_schedule", slug=slug)


@login_required
@require_safe
def event_export(request: HttpRequest, slug: str, what: str, fmt: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown export format.")
    if what == "schedule":
        header, rows, title = SCHEDULE_HEADER, schedule_rows(event), "Schedule"
    elif what == "tables":
        header, rows = table_plan(event)
        title = "Table plan"
    elif what == "b2match":
        rows, _ = b2match_rows(event)
        header, title = B2MATCH_HEADER, "Participants"
    elif what == "outcomes":
        header, rows, title = OUTCOME_HEADER, outcome_rows(event), "Outcomes"
    else:
        raise Http404("Unknown export.")
    return table_response(
        fmt=fmt, filename=f"{what}-{event.slug}", title=title, header=header, rows=rows
    )
