"""An actor's history, and restoring an earlier version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from curation.history import actor_history, actor_restore, contact_history, version_time_shown
from directory.models import Actor
from directory.permissions import curator_required


@curator_required
@require_safe
def history(request: HttpRequest, slug: str) -> HttpResponse:
    actor = Actor.objects.filter(slug=slug).first()
    if actor is None:
        # A deleted actor keeps its history under its last slug, so it can be restored.
        actor = Actor.history.filter(slug=slug).order_by("-history_date").first()
        if actor is None:
            raise Http404("No actor has ever had this address.")
    actor_id = actor.id
    return render(
        request,
        "curation/history.html",
        {
            "actor": actor,
            "deleted": not isinstance(actor, Actor),
            "entries": actor_history(actor_id=actor_id),
            "contacts": contact_history(actor_id=actor_id)[:50],
        },
    )


@curator_required
@require_POST
def restore(request: HttpRequest, history_id: int) -> HttpResponse:
    record = get_object_or_404(Actor.history.all(), history_id=history_id)
    try:
        actor = actor_restore(record=record, user=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("curation_history", slug=record.slug)
    messages.success(
        request, _("Restored the version of %(when)s.") % {"when": version_time_shown(record)}
    )
    for note in actor.restore_notes:
        messages.warning(request, _("Restored with a change: %(note)s.") % {"note": note})
    return redirect("curation_history", slug=actor.slug)
