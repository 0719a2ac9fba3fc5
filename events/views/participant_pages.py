"""Event pages: participants."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory.models import Actor
from directory.search import actor_search
from events import access
from events.dashboard import participants_with_counts
from events.exports import (
    b2match_summary,
)
from events.forms import (
    AttendeeFormSet,
    AvailabilityForm,
    DecisionForm,
    DirectorySearchForm,
    ImportForm,
)
from events.models import ParticipantStatus, WishLevel
from events.participants import (
    participant_add,
    participant_availability_set,
    participant_decide,
    participants_import,
)
from events.views._common import WISH_KEY, show_errors, warn_unwanted_meetings
from events.wishes import counterparts, wishes_set


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
        show_errors(request, error)
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
                show_errors(request, error)
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
                show_errors(request, error)
            else:
                messages.success(request, f"Wishes saved ({changed} changed).")
                warn_unwanted_meetings(request, participant=participant, organiser=organiser)
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
