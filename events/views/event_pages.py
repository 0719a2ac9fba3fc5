"""Event pages: events."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory.models import Status
from events import access
from events.dashboard import event_dashboard
from events.forms import (
    EventForm,
    RegisterForm,
    SessionFormSet,
)
from events.models import Event
from events.participants import (
    participant_register,
)
from events.setup import (
    ACCEPT,
    CANCEL,
    KEEP,
    MOVE,
    MaximumConflict,
    ShapeConflict,
    event_slots_sync,
    saved_message,
)
from events.views._common import show_errors


@login_required
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    events = access.visible_events(request.user).prefetch_related("organisers")
    return render(
        request,
        "events/list.html",
        {"events": events, "can_create": access.can_create_event(request.user)},
    )


def _save_event(
    request: HttpRequest, form: EventForm, sessions: SessionFormSet
) -> Event | ShapeConflict | MaximumConflict | None:
    """Event, sessions and rounds in one transaction: a bad session time changes nothing.

    Settings that would leave meetings outside the event (fewer tables, a round gone) save
    nothing and come back as a `ShapeConflict`, until the organiser says whether to move or
    cancel those meetings (`shape_action`); a maximum below the meetings participants of the
    published schedule have comes back as a `MaximumConflict`, until the organiser accepts
    it (`over_maximum`)."""
    action = request.POST.get("shape_action")
    # As saved, before the form's values: its time zone is the one agendas show now.
    was = Event.objects.filter(pk=form.instance.pk).first() if form.instance.pk else None
    try:
        with transaction.atomic():
            event = form.save()
            sessions.instance = event
            for session in sessions.save(commit=False):
                session.save()
            organisers = set(form.cleaned_data["organisers"]) | {request.user}
            event.organisers.set(organisers)
            event_slots_sync(
                event=event,
                displaced=action if action in (MOVE, CANCEL) else None,
                by=request.user,
                dropped=sessions.deleted_objects,
                was=was,
                accept_over_maximum=request.POST.get("over_maximum") == ACCEPT,
            )
            # Deleted last: their rounds' meetings were moved or cancelled above.
            for session in sessions.deleted_objects:
                session.delete()
    except (ShapeConflict, MaximumConflict) as conflict:
        return conflict
    except ValidationError as error:
        form.add_error(None, error)
        return None
    except ProtectedError:
        form.add_error(
            None,
            _(
                "A session you removed still holds meetings; cancel or move them first. "
                "Nothing was saved."
            ),
        )
        return None
    return event


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create_event(request.user):
        raise PermissionDenied(_("Only organisers can create events."))
    form = EventForm(request.POST or None, creator=request.user)
    sessions = SessionFormSet(request.POST or None, prefix="sessions")
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        event = _save_event(request, form, sessions)
        if isinstance(event, Event):
            rounds = event.slots.count()
            messages.success(
                request,
                ngettext(
                    "%(event)s created with %(count)d round.",
                    "%(event)s created with %(count)d rounds.",
                    rounds,
                )
                % {"event": event.name, "count": rounds},
            )
            return redirect(event)
    return render(request, "events/form.html", {"form": form, "sessions": sessions, "event": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    if request.method == "POST" and KEEP in (
        request.POST.get("shape_action"),
        request.POST.get("over_maximum"),
    ):
        messages.info(request, _("Nothing was saved: the event keeps its previous settings."))
        return redirect("event_edit", slug=slug)
    form = EventForm(request.POST or None, instance=event)
    sessions = SessionFormSet(request.POST or None, instance=event, prefix="sessions")
    shape = over = None
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        saved = _save_event(request, form, sessions)
        if isinstance(saved, Event):
            messages.success(request, saved_message(event=saved))
            return redirect(saved)
        if isinstance(saved, MaximumConflict):
            over = saved
        else:
            shape = saved
        event.refresh_from_db()
    return render(
        request,
        "events/form.html",
        {
            "form": form,
            "sessions": sessions,
            "event": event,
            "shape": shape,
            "over": over,
            "over_accepted": request.POST.get("over_maximum") == ACCEPT,
        },
    )


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
        messages.error(request, _("Choose one of the organisations you manage."))
        return redirect(event)
    try:
        participant_register(
            event=event,
            actor=form.cleaned_data["actor"],
            user=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            _("%(organisation)s is registered; the organisers will confirm.")
            % {"organisation": form.cleaned_data["actor"].name},
        )
    return redirect(event)
