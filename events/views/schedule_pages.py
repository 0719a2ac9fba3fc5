"""Event pages: schedule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.spreadsheet_write import table_response
from events import access
from events.changelog import published_once
from events.dashboard import meetings_of
from events.exports import (
    B2MATCH_HEADER,
    b2match_rows,
    outcome_header,
    outcome_rows,
    schedule_header,
    schedule_rows,
    table_plan,
)
from events.forms import (
    MeetingAddForm,
    MeetingMoveForm,
)
from events.jobs import generation_enqueue, unfinished_schedule_job
from events.models import Meeting, outcome_recorded
from events.schedule import (
    ALREADY_CANCELLED,
    meeting_add,
    meeting_cancel,
    meeting_move,
    meeting_pin,
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
            "meetings_count": ngettext(
                "%(count)d meeting in the schedule",
                "%(count)d meetings in the schedule",
                len(meetings),
            )
            % {"count": len(meetings)},
            "pending_proposal": event.proposals.filter(
                created_by=request.user, applied_at__isnull=True
            ).first(),
            "running_job": unfinished_schedule_job(event=event, by=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_generate_view(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: what a new generation replaces and keeps, to confirm. POST: queue the generation
    and go to its job page."""
    event = access.get_event_for_organiser(request.user, slug)
    if event.published:
        messages.info(
            request,
            _("The schedule is published: Update schedule keeps every valid meeting where it is."),
        )
        return redirect("event_schedule", slug=slug)
    if request.method != "POST":
        meetings = event.meetings.all()
        with_outcome = meetings.filter(outcome_recorded()).count()
        fixed = meetings.filter(fixed=True).exclude(outcome_recorded()).count()
        return render(
            request,
            "events/regenerate_confirm.html",
            {
                "event": event,
                "replaced": meetings.count() - fixed - with_outcome,
                "fixed": fixed,
                "with_outcome": with_outcome,
                "published_once": published_once(event=event),
            },
        )
    # A large event takes the solver's whole time limit: the work runs as a job and its page
    # shows the stages, then links to the schedule (or says in words what stopped it).
    job = generation_enqueue(event=event, by=request.user)
    return redirect("jobs:detail", job.pk)


@login_required
@require_POST
def meeting_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    form = MeetingAddForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(
            request, _("Choose two participants and a round.") + " " + form.errors.as_text()
        )
        return redirect("event_schedule", slug=slug)
    data = form.cleaned_data
    try:
        meeting = meeting_add(
            event=event,
            eu=data["eu"],
            kr=data["kr"],
            slot=data["slot"],
            table=data["table"],
            by=request.user,
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            _("Meeting added at table %(table)s, %(round)s.")
            % {"table": meeting.table, "round": meeting.slot},
        )
    return redirect("event_schedule", slug=slug)


@login_required
@require_POST
def meeting_move_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = meeting_for_organiser(request, slug, pk)
    form = MeetingMoveForm(request.POST, event=meeting.event)
    if not form.is_valid():
        messages.error(request, _("Choose a round (and a table).") + " " + form.errors.as_text())
        return redirect("event_schedule", slug=slug)
    try:
        meeting_move(
            meeting=meeting,
            slot=form.cleaned_data["slot"],
            table=form.cleaned_data["table"],
            by=request.user,
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            _("Meeting moved to table %(table)s, %(round)s.")
            % {"table": meeting.table, "round": meeting.slot},
        )
    return redirect("event_schedule", slug=slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_cancel_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the meeting and what cancelling it does, to confirm. POST: cancel it. A meeting
    gone already (a double click) is a message on the schedule, not an error page."""
    event = access.get_event_for_organiser(request.user, slug)
    if not Meeting.objects.filter(event=event, pk=pk).exists():
        messages.info(request, ALREADY_CANCELLED)
        return redirect("event_schedule", slug=slug)
    meeting = meeting_for_organiser(request, slug, pk)
    if request.method != "POST":
        return render(request, "events/meeting_cancel.html", {"event": event, "meeting": meeting})
    try:
        meeting_cancel(meeting=meeting, by=request.user)
    except ValidationError as exc:
        if exc.code == "gone":
            messages.info(request, ALREADY_CANCELLED)
        else:
            messages.error(request, " ".join(exc.messages))
        return redirect("event_schedule", slug=slug)
    messages.success(
        request,
        _(
            "Meeting %(european)s / %(korean)s cancelled. The two will not be proposed again; "
            "to allow it, remove their exclusion on the Pairs page."
        )
        % {"european": meeting.eu.actor.name, "korean": meeting.kr.actor.name},
    )
    return redirect("event_schedule", slug=slug)


@login_required
@require_POST
def meeting_pin_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = meeting_for_organiser(request, slug, pk)
    meeting_pin(meeting=meeting, fixed=request.POST.get("fixed") == "1", by=request.user)
    return redirect("event_schedule", slug=slug)


@login_required
@require_POST
def schedule_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    if request.POST.get("publish") == "0":
        if not event.published:
            messages.info(request, _("The schedule is not published."))
            return redirect("event_schedule", slug=slug)
        if request.POST.get("confirm") != "1":
            return render(
                request,
                "events/unpublish_confirm.html",
                {"event": event, "meetings": event.meetings.count()},
            )
        schedule_unpublish(event=event, by=request.user)
        messages.success(request, _("Schedule withdrawn: participants no longer see it."))
        return redirect("event_schedule", slug=slug)
    try:
        schedule_publish(event=event, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Schedule published: participants can open their agendas."))
    return redirect("event_schedule", slug=slug)


@login_required
@require_safe
def event_export(request: HttpRequest, slug: str, what: str, fmt: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown export format.")
    # Read, not imported back: in the reader's language, except the b2match file, which
    # b2match's own import reads by its English column names.
    if what == "schedule":
        header, rows = schedule_header(), schedule_rows(event)
        title = pgettext("spreadsheet title", "Schedule")
    elif what == "tables":
        header, rows = table_plan(event)
        title = pgettext("spreadsheet title", "Table plan")
    elif what == "b2match":
        rows, _left_out = b2match_rows(event)
        header, title = B2MATCH_HEADER, "Participants"
    elif what == "outcomes":
        header, rows = outcome_header(), outcome_rows(event)
        title = pgettext("spreadsheet title", "Outcomes")
    else:
        raise Http404("Unknown export.")
    return table_response(
        fmt=fmt, filename=f"{what}-{event.slug}", title=title, header=header, rows=rows
    )
