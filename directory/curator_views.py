"""Curators' pages: the review queue, an actor's history and restore, personal data requests."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from directory.history import actor_history, actor_restore, contact_history
from directory.models import Actor, ChangeStatus, CurationSettings, PendingChange
from directory.permissions import curator_required
from directory.personal_data import person_data, person_erase
from directory.review import (
    SNAPSHOT_PREFETCH,
    change_approve,
    change_diff,
    change_reject,
    list_labels,
)


@curator_required
@require_GET
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
        "directory/curation/review.html",
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
            messages.success(request, f"Change to {change.actor.name} approved and live.")
        elif request.POST.get("decision") == "reject":
            change_reject(change=change, reviewer=request.user, message=message)
            messages.success(request, f"Change to {change.actor.name} rejected.")
        else:
            messages.error(request, "Choose approve or reject.")
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
    state = "wait for review" if settings.review_manager_edits else "go live at once"
    messages.success(request, f"Managers' edits now {state} (unless an actor says otherwise).")
    return redirect("curation_review")


@curator_required
@require_GET
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
        "directory/curation/history.html",
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
    messages.success(request, f"Restored the version of {record.history_date:%d %b %Y %H:%M}.")
    return redirect("curation_history", slug=actor.slug)


@curator_required
@require_GET
def person(request: HttpRequest) -> HttpResponse:
    email, name = request.GET.get("email", "").strip(), request.GET.get("name", "").strip()
    data = person_data(email=email, name=name) if email or name else None
    if data is not None and request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(data.as_json(), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response
    return render(
        request,
        "directory/curation/person.html",
        {"email": email, "name": name, "data": data},
    )


@curator_required
@require_POST
def person_erase_view(request: HttpRequest) -> HttpResponse:
    email, name = request.POST.get("email", "").strip(), request.POST.get("name", "").strip()
    if request.POST.get("confirm") != "erase":
        messages.error(request, "Type 'erase' to confirm.")
        query = urlencode({"email": email, "name": name})
        return redirect(f"{reverse('curation_person')}?{query}")
    try:
        counts = person_erase(email=email, name=name)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("curation_person")
    summary = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in counts.items())
    messages.success(request, f"Erased: {summary}.")
    return redirect("curation_person")
