"""Event pages: on the day (check-in, no-shows, running late, a meeting called off)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST, require_safe

from common.forms import BoundedModelChoiceField
from events import access
from events.dashboard import meetings_involving, meetings_of
from events.models import Attendee, NoShow, ParticipantStatus
from events.onsite import (
    LATE_CHOICES,
    SEARCH_MAX,
    attendee_check_in,
    checkin_list,
    current_round,
    meeting_call_off,
    meeting_no_show_mark,
    meeting_running_late,
)
from events.views._common import meeting_for_organiser, show_errors


class CheckInForm(forms.Form):
    attendee = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    arrived = forms.TypedChoiceField(
        choices=[("1", gettext_lazy("arrived")), ("0", pgettext_lazy("check-in", "undo"))],
        coerce=int,
    )
    q = forms.CharField(required=False, max_length=SEARCH_MAX)


class NoShowForm(forms.Form):
    no_show = forms.ChoiceField(
        choices=[("", gettext_lazy("both came")), *NoShow.choices],
        required=False,
        label=gettext_lazy("Who did not come"),
    )


class LateForm(forms.Form):
    minutes = forms.TypedChoiceField(
        choices=[
            ("0", gettext_lazy("on time after all")),
            *((str(m), str(m)) for m in LATE_CHOICES),
        ],
        coerce=int,
    )


class RoundForm(forms.Form):
    round = BoundedModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = event.slots.select_related("session", "event")


# -- organisers -------------------------------------------------------------------------------


@login_required
@require_safe
def checkin_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    query = request.GET.get("q", "")[:SEARCH_MAX]
    people = checkin_list(event=event, query=query)
    everyone = Attendee.objects.filter(
        participant__event=event, participant__status=ParticipantStatus.ACCEPTED
    ).aggregate(total=Count("pk"), arrived=Count("pk", filter=Q(checked_in_at__isnull=False)))
    return render(
        request,
        "events/checkin.html",
        {"event": event, "people": people, "query": query, "everyone": everyone},
    )


@login_required
@require_POST
def checkin_mark_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person on the list and check them in or undo it."))
        return redirect("event_checkin", slug=slug)
    person = get_object_or_404(
        Attendee.objects.select_related("participant__actor"),
        pk=form.cleaned_data["attendee"],
        participant__event=event,
        participant__status=ParticipantStatus.ACCEPTED,
    )
    arrived = bool(form.cleaned_data["arrived"])
    attendee_check_in(attendee=person, arrived=arrived)
    who = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "organisation": person.participant.actor.name,
    }
    if arrived:
        messages.success(
            request, _("%(first_name)s %(last_name)s (%(organisation)s) checked in.") % who
        )
    else:
        messages.info(
            request, _("Check-in of %(first_name)s %(last_name)s (%(organisation)s) undone.") % who
        )
    query = form.cleaned_data["q"]
    back = reverse("event_checkin", args=[slug])
    return redirect(f"{back}?{urlencode({'q': query})}#attendee-{person.pk}" if query else back)


@login_required
@require_safe
def on_the_day_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The meetings of the round under way (or another round), to mark who did not come."""
    event = access.get_event_for_organiser(request.user, slug)
    choice = RoundForm(request.GET or None, event=event)
    chosen = choice.cleaned_data["round"] if choice.is_valid() else None
    slot = chosen or current_round(event=event)
    meetings = list(meetings_of(event).filter(slot=slot)) if slot else []
    arrived = dict(
        Attendee.objects.filter(participant__event=event, checked_in_at__isnull=False)
        .values("participant_id")
        .annotate(n=Count("pk"))
        .values_list("participant_id", "n")
    )
    late = list(
        meetings_of(event).filter(late_minutes__isnull=False, slot__starts_at__gte=slot.starts_at)
        if slot
        else []
    )
    return render(
        request,
        "events/on_the_day.html",
        {
            "event": event,
            "slot": slot,
            "slots": list(event.slots.select_related("session", "event")),
            "rows": [(m, arrived.get(m.eu_id, 0), arrived.get(m.kr_id, 0)) for m in meetings],
            "late": late,
            "no_show_choices": NoShowForm().fields["no_show"].choices,
        },
    )


@login_required
@require_POST
def meeting_no_show_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = meeting_for_organiser(request, slug, pk)
    form = NoShowForm(request.POST)
    back = reverse("event_on_the_day", args=[slug]) + f"?round={meeting.slot_id}#meeting-{pk}"
    if not form.is_valid():
        messages.error(request, _("Choose who did not come: one side, the other, or both."))
        return redirect(back)
    try:
        marked = meeting_no_show_mark(meeting=meeting, no_show=form.cleaned_data["no_show"])
    except ValidationError as error:
        show_errors(request, error)
    else:
        pair = {"european": meeting.eu.actor.name, "korean": meeting.kr.actor.name}
        if marked.no_show:
            messages.success(
                request,
                _("%(european)s / %(korean)s: recorded as not held (%(who)s).")
                % {**pair, "who": marked.get_no_show_display()},
            )
        else:
            messages.info(
                request,
                _("%(european)s / %(korean)s: no-show cleared; the outcome is not recorded.")
                % pair,
            )
    return redirect(back)


# -- participants' managers, from their agenda --------------------------------------------------


def _agenda_meeting(request: HttpRequest, slug: str, pk: int, meeting: int):
    """The meeting of a participant the user acts for, on an agenda the user may see."""
    event = access.get_event_for_viewer(request.user, slug)
    organiser = access.can_organise(request.user, event)
    participant = access.get_participant_for(request.user, event, pk, organiser=organiser)
    if not event.published and not organiser:
        raise Http404("The schedule is not published yet.")
    found = get_object_or_404(
        meetings_involving(participant).select_related(
            "slot__session", "slot__event", "eu__actor", "kr__actor", "event"
        ),
        pk=meeting,
    )
    return event, participant, found


def _back_to_agenda(slug: str, pk: int, meeting: int | None = None):
    anchor = f"#meeting-{meeting}" if meeting else ""
    return redirect(reverse("event_agenda", args=[slug, pk]) + anchor)


@login_required
@require_POST
def meeting_late_view(request: HttpRequest, slug: str, pk: int, meeting: int) -> HttpResponse:
    event, participant, found = _agenda_meeting(request, slug, pk, meeting)
    form = LateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how late: 5, 10, 15 or 30 minutes."))
        return _back_to_agenda(slug, pk, meeting)
    minutes = form.cleaned_data["minutes"] or None
    try:
        meeting_running_late(meeting=found, minutes=minutes, side=participant.side)
    except ValidationError as error:
        show_errors(request, error)
    else:
        other = found.kr if found.eu_id == participant.pk else found.eu
        if minutes:
            messages.success(
                request,
                ngettext(
                    "%(name)s and the organisers see that this meeting starts %(minutes)d "
                    "minute late.",
                    "%(name)s and the organisers see that this meeting starts %(minutes)d "
                    "minutes late.",
                    minutes,
                )
                % {"name": other.actor.name, "minutes": minutes},
            )
        else:
            messages.info(request, _("The meeting shows as on time again."))
    return _back_to_agenda(slug, pk, meeting)


@login_required
@require_POST
def meeting_call_off_view(request: HttpRequest, slug: str, pk: int, meeting: int) -> HttpResponse:
    """First POST: what would be cancelled, to confirm. Second POST (confirm=1): cancelled.
    A meeting no longer on the agenda (a double click on Cancel) is a message, not an error
    page; the same message for any other id, so it tells nothing about other agendas."""
    try:
        event, participant, found = _agenda_meeting(request, slug, pk, meeting)
    except Http404:
        event = access.get_event_for_viewer(request.user, slug)
        organiser = access.can_organise(request.user, event)
        access.get_participant_for(request.user, event, pk, organiser=organiser)
        if not event.published and not organiser:
            raise
        messages.info(request, _("That meeting is no longer on this agenda: it was cancelled."))
        return _back_to_agenda(slug, pk)
    other = found.kr if found.eu_id == participant.pk else found.eu
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "events/meeting_cancel_confirm.html",
            {"event": event, "participant": participant, "meeting": found, "other": other},
        )
    try:
        meeting_call_off(
            meeting=found,
            by=request.user,
            note=_("Cancelled from the agenda of %(organisation)s")
            % {"organisation": participant.actor.name},
        )
    except ValidationError as error:
        show_errors(request, error)
        return _back_to_agenda(slug, pk, meeting)
    messages.success(
        request,
        _(
            "The meeting with %(name)s (%(round)s, table %(table)s) is cancelled: it is gone "
            "from both agendas, and the table is free for that round."
        )
        % {"name": other.actor.name, "round": found.slot, "table": found.table},
    )
    return _back_to_agenda(slug, pk)
