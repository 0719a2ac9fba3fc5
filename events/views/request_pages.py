"""Event pages: meeting requests between participants."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.forms import BoundedModelChoiceField
from events import access
from events.models import MeetingRequest, Participant, ParticipantStatus, RequestStatus
from events.requests import (
    MESSAGE_MAX,
    accepted_without_meeting,
    event_requests,
    meeting_request_answer,
    meeting_request_problems,
    meeting_request_send,
    meeting_request_withdraw,
    participant_requests,
    request_counts,
    requestable,
)
from events.views._common import show_errors


class RequestSendForm(forms.Form):
    receiver = BoundedModelChoiceField(
        queryset=Participant.objects.none(), label=gettext_lazy("Meet")
    )
    message = forms.CharField(
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Message"),
        help_text=gettext_lazy(
            "Why you would like to meet, in a few words (at most 500 characters)."
        ),
    )

    def __init__(self, *args, participant: Participant, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["receiver"]
        # Any accepted participant of the other side is a valid answer, so that the service can
        # say why one cannot be asked; the list offers only those who can.
        field.queryset = Participant.objects.filter(
            event_id=participant.event_id, status=ParticipantStatus.ACCEPTED
        ).exclude(actor__side=participant.actor.side)
        field.widget.choices = [("", _("Choose a participant"))] + [
            (p.pk, p.actor.name) for p in requestable(participant=participant)
        ]


class RequestChoiceForm(forms.Form):
    request = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    confirm = forms.BooleanField(required=False)


class RequestAnswerForm(RequestChoiceForm):
    decision = forms.ChoiceField(
        choices=[
            ("accept", pgettext_lazy("decision", "Accept")),
            ("decline", pgettext_lazy("decision", "Decline")),
        ]
    )
    reply = forms.CharField(required=False, max_length=MESSAGE_MAX, label=gettext_lazy("Reply"))


def _acting_for(request: HttpRequest, slug: str, pk: int):
    event = access.get_event_for_viewer(request.user, slug)
    organiser = access.can_organise(request.user, event)
    participant = access.get_participant_for(request.user, event, pk, organiser=organiser)
    return event, participant, organiser


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        if field == "request":
            messages.error(request, _("That request is not on this page any more; reload it."))
        elif field == "decision":
            messages.error(request, _("Choose accept or decline."))
        else:
            label = form.fields[field].label if field in form.fields else ""
            label = label or field.capitalize()
            messages.error(
                request,
                _("%(field)s: %(problem)s") % {"field": label, "problem": " ".join(errors)},
            )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_requests_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The participant's requests, incoming and sent, and the form to ask for a meeting."""
    event, participant, organiser = _acting_for(request, slug, pk)
    wanted = request.GET.get("to", "")
    form = RequestSendForm(
        request.POST if request.method == "POST" else None, participant=participant
    )
    blocked = []
    if request.method == "POST":
        if form.is_valid():
            receiver = form.cleaned_data["receiver"]
            try:
                meeting_request_send(
                    sender=participant,
                    receiver=receiver,
                    message=form.cleaned_data["message"],
                    by=request.user,
                )
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(
                    request,
                    _("Your request was sent to %(name)s; their answer will show here.")
                    % {"name": receiver.actor.name},
                )
                return redirect("event_requests", slug=slug, pk=pk)
    elif wanted.isascii() and wanted.isdigit() and len(wanted) < 10:
        # Only the other side's accepted participants are named: any other id (pending or
        # declined registrations, unknown numbers) is ignored alike, so that a manager cannot
        # list who applied by trying ids.
        target = (
            Participant.objects.filter(
                event=event, pk=int(wanted), status=ParticipantStatus.ACCEPTED
            )
            .exclude(actor__side=participant.actor.side)
            .select_related("actor")
            .first()
        )
        if target is not None:
            blocked = meeting_request_problems(sender=participant, receiver=target)
            if not blocked:
                form.initial["receiver"] = target.pk
    return render(
        request,
        "events/requests.html",
        {
            "event": event,
            "participant": participant,
            "organiser": organiser,
            "accepted": participant.status == ParticipantStatus.ACCEPTED,
            "requests": participant_requests(participant=participant),
            "form": form,
            "blocked": blocked,
        },
    )


def _own_request(participant: Participant, form_data: dict, *, incoming: bool) -> MeetingRequest:
    # Only a request this participant received (to answer) or sent (to withdraw): another
    # participant's request id answers 404, like any other participant's page.
    mine = {"receiver": participant} if incoming else {"sender": participant}
    return get_object_or_404(
        MeetingRequest.objects.select_related("sender__actor", "receiver__actor"),
        pk=form_data["request"],
        **mine,
    )


@login_required
@require_POST
def request_answer_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Accept at once; decline after a confirmation page."""
    event, participant, _organiser = _acting_for(request, slug, pk)
    form = RequestAnswerForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("event_requests", slug=slug, pk=pk)
    asked = _own_request(participant, form.cleaned_data, incoming=True)
    accept = form.cleaned_data["decision"] == "accept"
    reply = form.cleaned_data["reply"]
    if not accept and not form.cleaned_data["confirm"]:
        return render(
            request,
            "events/request_confirm.html",
            {
                "event": event,
                "participant": participant,
                "asked": asked,
                "action": "decline",
                "reply": reply,
            },
        )
    try:
        meeting_request_answer(meeting_request=asked, accept=accept, reply=reply, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        name = {"name": asked.sender.actor.name}
        if not accept:
            messages.success(
                request, _("You declined %(name)s's request; they see your reply.") % name
            )
        elif event.published:
            messages.success(
                request,
                _(
                    "You accepted %(name)s's request. The schedule is already published: the "
                    "organisers are told to place this meeting, and it will appear on your "
                    "agenda once they have."
                )
                % name,
            )
        else:
            messages.success(
                request,
                _("You accepted %(name)s's request: the schedule will treat it as a must-meet.")
                % name,
            )
    return redirect("event_requests", slug=slug, pk=pk)


@login_required
@require_POST
def request_withdraw_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Withdraw a request still waiting for an answer, after a confirmation page."""
    event, participant, _organiser = _acting_for(request, slug, pk)
    form = RequestChoiceForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("event_requests", slug=slug, pk=pk)
    asked = _own_request(participant, form.cleaned_data, incoming=False)
    if not form.cleaned_data["confirm"]:
        return render(
            request,
            "events/request_confirm.html",
            {"event": event, "participant": participant, "asked": asked, "action": "withdraw"},
        )
    try:
        meeting_request_withdraw(meeting_request=asked, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            _("Your request to %(name)s is withdrawn; you can send it again later.")
            % {"name": asked.receiver.actor.name},
        )
    return redirect("event_requests", slug=slug, pk=pk)


@login_required
@require_safe
def event_requests_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Every request of the event, for its organisers."""
    event = access.get_event_for_organiser(request.user, slug)
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    # Before publication a generation places accepted requests by itself; after it, only an
    # update does, and it cannot place a pair that can no longer meet (said apart, with why).
    without_meeting = accepted_without_meeting(event=event) if event.published else []
    return render(
        request,
        "events/requests_all.html",
        {
            "event": event,
            "status": status,
            "counts": [
                (value, label, count)
                for (value, label), count in zip(
                    RequestStatus.choices, request_counts(event=event).values(), strict=True
                )
            ],
            "requests": event_requests(event=event, status=status),
            "unplaced": [r for r, why in without_meeting if not why],
            "unplaceable": [(r, why) for r, why in without_meeting if why],
        },
    )
