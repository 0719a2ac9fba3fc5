"""Event pages: participants' feedback on their meetings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from events import access
from events.dashboard import meetings_involving
from events.feedback import COMMENT_MAX, RATINGS, feedback_give, feedback_items
from events.models import FollowUp


class FeedbackForm(forms.Form):
    meeting = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    rating = forms.TypedChoiceField(
        choices=[(str(r), str(r)) for r in RATINGS], coerce=int, label=gettext_lazy("Rating")
    )
    follow_up = forms.ChoiceField(choices=FollowUp.choices, label=gettext_lazy("What follows"))
    comment = forms.CharField(required=False, max_length=COMMENT_MAX, label=gettext_lazy("Comment"))


FORM_PROBLEMS = {
    "meeting": gettext_lazy("That meeting is not on this page any more; reload it."),
    "rating": gettext_lazy("Give a rating from 1 (not useful) to 5 (very useful)."),
    "follow_up": gettext_lazy("Choose what follows from the list."),
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = access.get_event_for_viewer(request.user, slug)
    organiser = access.can_organise(request.user, event)
    participant = access.get_participant_for(request.user, event, pk, organiser=organiser)
    if not event.published and not organiser:
        raise Http404("The schedule is not published yet.")
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                text = FORM_PROBLEMS.get(field) or _("The comment: %(problem)s") % {
                    "problem": " ".join(errors)
                }
                messages.error(request, text)
            return redirect("event_feedback", slug=slug, pk=pk)
        meeting = get_object_or_404(
            meetings_involving(participant).select_related(
                "slot__event", "event", "eu__actor", "kr__actor"
            ),
            pk=form.cleaned_data["meeting"],
        )
        try:
            feedback_give(
                meeting=meeting,
                participant=participant,
                rating=form.cleaned_data["rating"],
                follow_up=form.cleaned_data["follow_up"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            other = meeting.kr if meeting.eu_id == participant.pk else meeting.eu
            messages.success(
                request,
                _("Your feedback on the meeting with %(name)s is saved.")
                % {"name": other.actor.name},
            )
        return redirect(reverse("event_feedback", args=[slug, pk]) + f"#meeting-{meeting.pk}")
    return render(
        request,
        "events/feedback.html",
        {
            "event": event,
            "participant": participant,
            "items": feedback_items(participant=participant),
            "ratings": RATINGS,
            "follow_ups": FollowUp.choices,
        },
    )
