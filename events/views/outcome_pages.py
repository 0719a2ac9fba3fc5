"""Event pages: outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from events import access
from events.dashboard import meetings_of
from events.forms import (
    OutcomeForm,
)
from events.outcomes import (
    meeting_outcome_record,
    meeting_partnership_record,
    outcome_report,
    partnership_offers,
)
from events.views._common import meeting_for_organiser, show_errors


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
    meeting = meeting_for_organiser(request, slug, pk)
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
            show_errors(request, error)
        else:
            messages.success(
                request,
                _("Outcome of %(european)s / %(korean)s saved.")
                % {"european": meeting.eu.actor.name, "korean": meeting.kr.actor.name},
            )
    return redirect(reverse("event_outcomes", args=[slug]) + f"#meeting-{pk}")


@login_required
@require_POST
def outcome_partnership_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = meeting_for_organiser(request, slug, pk)
    names = {"european": meeting.eu.actor.name, "korean": meeting.kr.actor.name}
    try:
        partnership, created = meeting_partnership_record(meeting=meeting, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        said = {**names, "kind": partnership.get_kind_display()}
        if created:
            messages.success(
                request, _("%(european)s / %(korean)s recorded as a partnership (%(kind)s).") % said
            )
        else:
            messages.info(
                request,
                _(
                    "%(european)s / %(korean)s was already recorded as a partnership "
                    "(%(kind)s); nothing changed."
                )
                % said,
            )
    return redirect(reverse("event_outcomes", args=[slug]) + f"#meeting-{pk}")
