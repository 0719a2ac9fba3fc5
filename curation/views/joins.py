"""Join requests: a person registers a new organisation (after seeing the profiles it may
already have), curators review every request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from curation.duplicates import actor_lookalikes
from curation.join_review import join_approve, join_refuse
from directory.join_forms import RegisterForm
from directory.join_notices import person_name
from directory.joining import (
    MAX_PENDING,
    join_evidence,
    join_register_submit,
    proposal_lines,
)
from directory.models import JoinKind, JoinRequest, JoinStatus
from directory.permissions import curator_required
from directory.signup import address_confirmed
from notifications.language import language_of

RECENT = 30


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join_register(request: HttpRequest) -> HttpResponse:
    """The form; on a valid first submission, the profiles it may already have (claim one
    instead, or confirm that none is it); then the request."""
    form = RegisterForm(request.POST or None)
    lookalikes = []
    confirmed = address_confirmed(request.user)
    if request.method == "POST" and confirmed and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("none_is_mine") != "1":
            lookalikes = actor_lookalikes(
                name=data["name"], name_ko=data["name_ko"], website=data["website"]
            )
        if not lookalikes:
            try:
                join, created = join_register_submit(
                    user=request.user,
                    proposed=form.proposal(),
                    role=data["role"],
                    message=data["message"],
                )
            except ValidationError as refused:
                for text in refused.messages:
                    form.add_error(None, text)
            else:
                if created:
                    messages.success(
                        request,
                        _(
                            "Your registration of %(name)s was sent to the curators. You will "
                            "be told of their decision."
                        )
                        % {"name": data["name"]},
                    )
                else:
                    messages.info(
                        request, _("Your registration of this organisation already waits.")
                    )
                return redirect("join_request", pk=join.pk)
    return render(
        request,
        "curation/join_register.html",
        {
            "form": form,
            "lookalikes": lookalikes,
            "confirmed": confirmed,
            "max_pending": MAX_PENDING,
        },
    )


@curator_required
@require_safe
def joins(request: HttpRequest) -> HttpResponse:
    # Oldest first: whoever asked first is answered first.
    pending = (
        JoinRequest.objects.filter(status=JoinStatus.PENDING)
        .select_related("user", "actor")
        .order_by("created_at", "pk")
    )
    recent = (
        JoinRequest.objects.exclude(status=JoinStatus.PENDING)
        .select_related("user", "actor", "reviewer")
        # Withdrawn ones (never reviewed) after the decisions on every database: PostgreSQL
        # would put them first, and a few of them would push every decision off the list.
        .order_by(F("reviewed_at").desc(nulls_last=True), "-created_at", "-pk")[:RECENT]
    )
    return render(
        request,
        "curation/joins.html",
        {
            "pending": [(join, join_evidence(join=join)) for join in pending],
            "recent": recent,
        },
    )


@curator_required
@require_safe
def join_detail(request: HttpRequest, pk: int) -> HttpResponse:
    join = JoinRequest.objects.select_related("user", "actor", "reviewer").filter(pk=pk).first()
    if join is None:
        messages.error(
            request, _("This request no longer exists: the profile it was about was deleted.")
        )
        return redirect("curation_joins")
    register = join.kind == JoinKind.REGISTER
    proposed = join.proposed or {}
    lookalikes = []
    if register and join.status == JoinStatus.PENDING:
        lookalikes = actor_lookalikes(
            name=proposed.get("name", ""),
            name_ko=proposed.get("name_ko", ""),
            website=proposed.get("website", ""),
        )
    managers = list(join.actor.managers.order_by("username")) if join.actor else []
    return render(
        request,
        "curation/join_detail.html",
        {
            "join": join,
            "person": person_name(join.user),
            "language": language_of(join.user),
            "address_confirmed": address_confirmed(join.user),
            "evidence": join_evidence(join=join),
            "lines": proposal_lines(proposed) if register else [],
            "lookalikes": lookalikes,
            "managers": managers,
            "other_requests": join.user.join_requests.exclude(pk=join.pk).select_related("actor"),
        },
    )


@curator_required
@require_POST
def join_decide(request: HttpRequest, pk: int) -> HttpResponse:
    decision = request.POST.get("decision")
    text = request.POST.get("reason", "")
    try:
        if decision == "approve":
            join = join_approve(join_id=pk, reviewer=request.user, note=text)
            if join.kind == JoinKind.REGISTER:
                messages.success(
                    request,
                    _(
                        "Approved: %(name)s is a draft profile now, managed by %(person)s. "
                        "Complete it and publish it in the admin."
                    )
                    % {"name": join.actor.name, "person": join.user.get_username()},
                )
            else:
                messages.success(
                    request,
                    _("Approved: %(person)s is now a manager of %(name)s.")
                    % {"name": join.actor.name, "person": join.user.get_username()},
                )
        elif decision == "refuse":
            join = join_refuse(join_id=pk, reviewer=request.user, reason=text)
            messages.success(
                request,
                _("Refused; %(person)s will read your reason.")
                % {"person": join.user.get_username()},
            )
        else:
            messages.error(request, _("Choose approve or refuse."))
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        if getattr(refused, "code", "") == "gone":
            return redirect("curation_joins")
    return redirect("curation_join", pk=pk)
