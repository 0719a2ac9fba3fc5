"""The review queue of managers' edits, and the review policy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from curation.review import change_approve, change_diff, change_reject, list_labels
from directory.models import ChangeStatus, CurationSettings, PendingChange
from directory.permissions import curator_required
from directory.proposals import SNAPSHOT_PREFETCH


@curator_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    # The diffs read every waiting change's actor, links and contacts: fetched for all at once.
    pending = (
        PendingChange.objects.filter(status=ChangeStatus.PENDING)
        .select_related("actor", "author")
        .prefetch_related(*(f"actor__{name}" for name in SNAPSHOT_PREFETCH))
    )
    labels = list_labels()
    recent = PendingChange.objects.exclude(status=ChangeStatus.PENDING).select_related(
        "actor", "author", "reviewer"
    )[:20]
    return render(
        request,
        "curation/review.html",
        {
            "changes": [
                (change, [(d, *d.marked()) for d in change_diff(change=change, labels=labels)])
                for change in pending
            ],
            "recent": recent,
            "settings": CurationSettings.current(),
        },
    )


@curator_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(PendingChange.objects.select_related("actor"), pk=pk)
    message = request.POST.get("message", "")
    try:
        if request.POST.get("decision") == "approve":
            change_approve(change=change, reviewer=request.user, message=message)
            messages.success(
                request, _("Change to %(name)s approved and live.") % {"name": change.actor.name}
            )
        elif request.POST.get("decision") == "reject":
            change_reject(change=change, reviewer=request.user, message=message)
            messages.success(
                request, _("Change to %(name)s rejected.") % {"name": change.actor.name}
            )
        else:
            messages.error(request, _("Choose approve or reject."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("curation_review")


@curator_required
@require_POST
def review_settings(request: HttpRequest) -> HttpResponse:
    settings = CurationSettings.current()
    settings.review_manager_edits = request.POST.get("review_manager_edits") == "on"
    settings.save()
    if settings.review_manager_edits:
        done = _("Managers' edits now wait for review (unless an actor says otherwise).")
    else:
        done = _("Managers' edits now go live at once (unless an actor says otherwise).")
    messages.success(request, done)
    return redirect("curation_review")
