"""Event pages: thin views over the services beside them (`events.setup`, `events.schedule`)."""

from __future__ import annotations

import re

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.spreadsheet_write import table_response
from directory.models import Actor, Status
from directory.search import actor_search
from events import access
from events.agenda import agenda_ical, participant_agenda
from events.dashboard import event_dashboard, meetings_of, participants_with_counts
from events.exports import (
    AGENDA_HEADER,
    B2MATCH_HEADER,
    OUTCOME_HEADER,
    SCHEDULE_HEADER,
    agenda_rows,
    b2match_rows,
    b2match_summary,
    outcome_rows,
    schedule_rows,
    table_plan,
)
from events.forms import (
    AttendeeFormSet,
    AvailabilityForm,
    DecisionForm,
    DirectorySearchForm,
    EventForm,
    ExclusionForm,
    ImportForm,
    MeetingAddForm,
    MeetingMoveForm,
    OutcomeForm,
    RegisterForm,
    SessionFormSet,
)
from events.models import Event, Exclusion, Meeting, ParticipantStatus, WishLevel
from events.outcomes import (
    meeting_outcome_record,
    meeting_partnership_record,
    outcome_report,
    partnership_offers,
)
from events.pairs import pair_matrix
from events.participants import (
    participant_add,
    participant_availability_set,
    participant_decide,
    participant_register,
    participants_import,
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
from events.setup import event_slots_sync
from events.wishes import counterparts, exclusion_add, unwanted_meetings, wishes_set

EXPORT_FORMATS = {"csv", "xlsx"}
HEATMAP_LIMIT = 60  # participants per side; beyond that the table is the readable view

# A wish field names a participant id: ASCII digits only (str.isdigit() accepts '²'), and
# no more than an id column holds.
WISH_KEY = re.compile(r"wish-([0-9]{1,9})")


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


# -- events -----------------------------------------------------------------------------------


@login_required
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    events = access.visible_events(request.user).prefetch_related("organisers")
    return render(
        request,
        "events/list.html",
        {"events": events, "can_create": access.can_create_event(request.user)},
    )


def _save_event(request: HttpRequest, form: EventForm, sessions: SessionFormSet) -> Event | None:
    """Event, sessions and rounds in one transaction: a bad session time changes nothing."""
    try:
        with transaction.atomic():
            event = form.save()
            sessions.instance = event
            sessions.save()
            organisers = set(form.cleaned_data["organisers"]) | {request.user}
            event.organisers.set(organisers)
            event_slots_sync(event=event)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    except ProtectedError:
        form.add_error(
            None,
            "A session you removed still holds meetings; cancel or move them first. "
            "Nothing was saved.",
        )
        return None
    return event


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create_event(request.user):
        raise PermissionDenied("Only organisers can create events.")
    form = EventForm(request.POST or None, creator=request.user)
    sessions = SessionFormSet(request.POST or None, prefix="sessions")
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        event = _save_event(request, form, sessions)
        if event:
            messages.success(request, f"{event.name} created with {event.slots.count()} rounds.")
            return redirect(event)
    return render(request, "events/form.html", {"form": form, "sessions": sessions, "event": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    form = EventForm(request.POST or None, instance=event)
    sessions = SessionFormSet(request.POST or None, instance=event, prefix="sessions")
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        saved = _save_event(request, form, sessions)
        if saved:
            messages.success(request, "Event saved.")
            return redirect(saved)
        event.refresh_from_db()
    return render(request, "events/form.html", {"form": form, "sessions": sessions, "event": event})


@login_required
@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_viewer(request.user, slug)
    organiser = access.can_organise(request.user, event)
    mine = list(
        event.participants.filter(actor__in=access.managed_actors(request.user)).select_related(
            "actor"
        )
    )
    registrable = (
        access.managed_actors(request.user)
        .exclude(participations__event=event)
        .filter(status=Status.PUBLISHED)
    )
    context = {
        "event": event,
        "organiser": organiser,
        "mine": mine,
        "register_form": RegisterForm(actors=registrable) if registrable.exists() else None,
        "sessions": event.sessions.all(),
        "latest_run": event.schedule_runs.first() if organiser else None,
    }
    if organiser:
        context["dashboard"] = event_dashboard(event=event)
    return render(request, "events/detail.html", context)


@login_required
@require_POST
def event_register(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_viewer(request.user, slug)
    form = RegisterForm(request.POST, actors=access.managed_actors(request.user))
    if not form.is_valid():
        messages.error(request, "Choose one of the organisations you manage.")
        return redirect(event)
    try:
        participant_register(
            event=event,
            actor=form.cleaned_data["actor"],
            user=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            f"{form.cleaned_data['actor'].name} is registered; the organisers will confirm.",
        )
    return redirect(event)


# -- participants -------------------------------------------------------------------------------


@login_required
@require_safe
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    search = DirectorySearchForm(request.GET or None)
    found = []
    if search.is_bound and search.is_valid():
        data = search.cleaned_data
        actors = Actor.objects.published().exclude(participations__event=event)
        if data["q"]:
            actors = actor_search(queryset=actors, text=data["q"])
        if data["side"]:
            actors = actors.filter(side=data["side"])
        if data["kind"]:
            actors = actors.filter(kind=data["kind"])
        if data["sector"]:
            actors = actors.filter(sectors=data["sector"])
        found = list(actors.select_related("region").order_by("name")[:50])
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "participants": participants_with_counts(event),
            "search": search,
            "found": found,
            "import_form": ImportForm(),
            "decision_form": DecisionForm(),
            "b2match": b2match_summary(event),
        },
    )


@login_required
@require_POST
def participant_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    actor = get_object_or_404(Actor, slug=request.POST.get("actor", ""))
    try:
        participant_add(event=event, actor=actor, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, f"{actor.name} added.")
    back = request.POST.get("back", "")
    return redirect(reverse("event_participants", args=[slug]) + (f"?{back}" if back else ""))


@login_required
@require_POST
def participants_import_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    form = ImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        report = participants_import(
            event=event,
            data=upload.read(),
            filename=upload.name,
            by=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(
        request,
        "events/import_result.html",
        {"event": event, "form": form, "report": report},
        status=200 if report and report.ok else 400,
    )


@login_required
@require_POST
def participant_decide_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    participant = get_object_or_404(event.participants.select_related("actor"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose accept or decline.")
    else:
        accept = form.cleaned_data["decision"] == ParticipantStatus.ACCEPTED
        participant_decide(
            participant=participant, accept=accept, message=form.cleaned_data["message"]
        )
        verb = "accepted" if accept else "declined"
        messages.success(request, f"{participant.actor.name} {verb}.")
    return redirect("event_participants", slug=slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = access.get_event_for_viewer(request.user, slug)
    organiser = access.can_organise(request.user, event)
    participant = access.get_participant_for(request.user, event, pk, organiser=organiser)
    availability = AvailabilityForm(
        request.POST if "availability" in request.POST else None, participant=participant
    )
    attendees = AttendeeFormSet(
        request.POST if "attendees" in request.POST else None,
        instance=participant,
        prefix="attendees",
    )
    if request.method == "POST":
        if "availability" in request.POST and availability.is_valid():
            chosen = set(availability.cleaned_data["attends"])
            try:
                participant_availability_set(
                    participant=participant,
                    absent_from=[s for s in event.sessions.all() if s not in chosen],
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, "Availability saved.")
                return redirect("event_participant", slug=slug, pk=pk)
        elif "attendees" in request.POST and attendees.is_valid():
            attendees.save()
            messages.success(request, "Attendees saved.")
            return redirect("event_participant", slug=slug, pk=pk)
        elif "wishes" in request.POST:
            levels = {
                int(found.group(1)): value
                for key, value in request.POST.items()
                if (found := WISH_KEY.fullmatch(key))
            }
            try:
                changed = wishes_set(participant=participant, levels=levels)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, f"Wishes saved ({changed} changed).")
                _warn_unwanted_meetings(request, participant=participant, organiser=organiser)
                return redirect("event_participant", slug=slug, pk=pk)
    accepted = participant.status == ParticipantStatus.ACCEPTED
    return render(
        request,
        "events/participant.html",
        {
            "event": event,
            "participant": participant,
            "organiser": organiser,
            "availability": availability,
            "attendees": attendees,
            "counterparts": counterparts(participant=participant) if accepted else [],
            "wish_choices": [("", "no preference"), *WishLevel.choices],
            "show_agenda": event.published or organiser,
        },
    )


# -- agenda -------------------------------------------------------------------------------------


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


# -- pairs and exclusions ---------------------------------------------------------------------

PAIR_SORTS = {"value", "score", "eu", "kr"}


@login_required
@require_safe
def pairs(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    matrix = pair_matrix(event=event)
    values, allowed = matrix.values, matrix.allowed
    sort = request.GET.get("sort", "value")
    if sort not in PAIR_SORTS:
        sort = "value"
    # Order the flattened matrix with numpy and build rows for the shown page only: a
    # 500 x 500 event has 250,000 pairs.
    n_kr = len(matrix.kr)
    flat_values, flat_scores = values.ravel(), matrix.scores.ravel()
    eu_of, kr_of = np.divmod(np.arange(flat_values.size), max(n_kr, 1))
    keys = {
        "value": (-flat_scores, -flat_values),
        "score": (-flat_values, -flat_scores),
        # Participants come sorted by name, so their positions are their name order.
        "eu": (-flat_values, eu_of),
        "kr": (-flat_values, kr_of),
    }
    order = np.lexsort(keys[sort]) if flat_values.size else np.zeros(0, dtype=np.int64)
    page = Paginator(order, 50).get_page(request.GET.get("page"))
    page.object_list = [
        {
            "eu": matrix.eu[i],
            "kr": matrix.kr[j],
            "percent": round(float(matrix.scores[i, j]) * 100),
            "value": float(values[i, j]),
            "eu_wish": matrix.eu_wish[i, j],
            "kr_wish": matrix.kr_wish[i, j],
            "allowed": bool(allowed[i, j]),
        }
        for i, j in (divmod(int(k), n_kr) for k in page.object_list)
    ]
    heatmap = None
    if 0 < len(matrix.eu) <= HEATMAP_LIMIT and 0 < len(matrix.kr) <= HEATMAP_LIMIT:
        heatmap = [
            (
                eu,
                [
                    (
                        kr,
                        round(float(matrix.scores[i, j]) * 100),
                        min(9, int(matrix.scores[i, j] * 10)),
                    )
                    for j, kr in enumerate(matrix.kr)
                ],
            )
            for i, eu in enumerate(matrix.eu)
        ]
    return render(
        request,
        "events/pairs.html",
        {
            "event": event,
            "matrix": matrix,
            "page": page,
            "sort": sort,
            "heatmap": heatmap,
            "heatmap_limit": HEATMAP_LIMIT,
            "exclusion_form": ExclusionForm(event=event),
            "exclusions": Exclusion.objects.filter(event=event).select_related(
                "eu__actor", "kr__actor"
            ),
        },
    )


@login_required
@require_POST
def exclusion_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    form = ExclusionForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, "Choose a European and a Korean participant.")
    else:
        eu, kr = form.cleaned_data["eu"], form.cleaned_data["kr"]
        try:
            exclusion_add(event=event, first=eu, second=kr, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, "Exclusion added: the two will never be scheduled.")
            meeting = event.meetings.filter(eu=eu, kr=kr).select_related("slot").first()
            if meeting is not None:
                messages.warning(
                    request,
                    f"{eu.actor.name} and {kr.actor.name} already have a meeting (table "
                    f"{meeting.table}): cancel it on the Schedule page if they should not meet.",
                )
    return redirect("event_pairs", slug=slug)


@login_required
@require_POST
def exclusion_remove_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    get_object_or_404(Exclusion, event=event, pk=pk).delete()
    messages.success(request, "Exclusion removed.")
    return redirect("event_pairs", slug=slug)


# -- schedule -----------------------------------------------------------------------------------


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
        _errors(request, error)
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
        _errors(request, error)
    else:
        messages.success(request, f"Meeting added at table {meeting.table}, {meeting.slot}.")
    return redirect("event_schedule", slug=slug)


def _meeting(request: HttpRequest, slug: str, pk: int) -> Meeting:
    event = access.get_event_for_organiser(request.user, slug)
    return get_object_or_404(
        Meeting.objects.select_related("eu__actor", "kr__actor", "slot__session", "event"),
        event=event,
        pk=pk,
    )


@login_required
@require_POST
def meeting_move_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)
    form = MeetingMoveForm(request.POST, event=meeting.event)
    if not form.is_valid():
        messages.error(request, "Choose a round (and a table). " + form.errors.as_text())
        return redirect("event_schedule", slug=slug)
    try:
        meeting_move(
            meeting=meeting, slot=form.cleaned_data["slot"], table=form.cleaned_data["table"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, f"Meeting moved to table {meeting.table}, {meeting.slot}.")
    return redirect("event_schedule", slug=slug)


def _warn_unwanted_meetings(request: HttpRequest, *, participant, organiser: bool) -> None:
    """A "not interested" in someone already scheduled with this participant: say the meeting
    is still there, and who can cancel it."""
    who = "cancel it on the Schedule page" if organiser else "ask the organisers to cancel it"
    for meeting, other in unwanted_meetings(participant=participant):
        messages.warning(
            request,
            f"You already have a meeting with {other.actor.name} (table {meeting.table}): "
            f"{who} if you should not meet.",
        )


@login_required
@require_POST
def meeting_cancel_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)
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
    meeting = _meeting(request, slug, pk)
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
        _errors(request, error)
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


# -- outcomes -----------------------------------------------------------------------------------


@login_required
@require_safe
def outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    meetings = list(meetings_of(event))
    return render(
        request,
        "events/outcomes.html",
        {
            "event": event,
            "meetings": meetings,
            "report": outcome_report(meetings=meetings),
            "rows": partnership_offers(meetings=meetings),
            "form": OutcomeForm(),
        },
    )


@login_required
@require_POST
def outcome_record_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
    else:
        try:
            meeting_outcome_record(
                meeting=meeting,
                held=form.held_value(),
                follow_up=form.cleaned_data["follow_up"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request, f"Outcome of {meeting.eu.actor.name} / {meeting.kr.actor.name} saved."
            )
    return redirect(reverse("event_outcomes", args=[slug]) + f"#meeting-{pk}")


@login_required
@require_POST
def outcome_partnership_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)
    pair = f"{meeting.eu.actor.name} / {meeting.kr.actor.name}"
    try:
        partnership, created = meeting_partnership_record(meeting=meeting, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        kind = partnership.get_kind_display()
        if created:
            messages.success(request, f"{pair} recorded as a partnership ({kind}).")
        else:
            messages.info(
                request, f"{pair} was already recorded as a partnership ({kind}); nothing changed."
            )
    return redirect(reverse("event_outcomes", args=[slug]) + f"#meeting-{pk}")
