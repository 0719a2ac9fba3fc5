"""Joining pages: sign up, finish the account from the e-mailed link, confirm an address,
claim a profile, and the person's own requests (registering a new organisation is in
curation, which finds possible duplicates first)."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory.join_forms import ClaimForm, SignupFinishForm, SignupForm
from directory.joining import (
    MAX_PENDING,
    claim_offer,
    join_claim_submit,
    join_request_for_person,
    join_withdraw,
    pending_claim,
    proposal_lines,
)
from directory.models import JoinKind, JoinRequest
from directory.permissions import get_actor_for_viewer
from directory.signup import (
    LINK_MAX_AGE,
    AddressTaken,
    TooManyLinks,
    account_create,
    account_with_address,
    address_confirm,
    address_confirmed,
    confirmation_request,
    read_confirmation_token,
    read_signup_token,
    signup_request,
    username_suggestion,
)
from notifications.service import safe_link

SIGNUP_SENT_SESSION_KEY = "directory.signup_sent_to"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_path = safe_link(request.POST.get("next") or request.GET.get("next") or "")
    if request.user.is_authenticated:
        return redirect(next_path or "my_organisations")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            signup_request(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                next_path=next_path,
                client_ip=get_client_ip_address(request),
            )
        except TooManyLinks as refused:
            form.add_error(None, str(refused))
            status = 429
        else:
            request.session[SIGNUP_SENT_SESSION_KEY] = form.cleaned_data["email"]
            return redirect("signup_sent")
    return render(
        request, "directory/join/signup.html", {"form": form, "next": next_path}, status=status
    )


@require_safe
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/join/signup_sent.html",
        {"address": request.session.get(SIGNUP_SENT_SESSION_KEY, ""), "days": LINK_MAX_AGE.days},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup_finish(request: HttpRequest, token: str) -> HttpResponse:
    link, problem = read_signup_token(token)
    if link is not None and account_with_address(link.email) is not None:
        problem = "used"
    if problem:
        return render(request, "directory/join/signup_finish.html", {"problem": problem})
    if request.user.is_authenticated:
        return redirect(link.next_path or "my_organisations")
    blank = get_user_model()(email=link.email, first_name=link.name[:150])
    form = SignupFinishForm(
        request.POST or None,
        instance=blank,
        initial={"username": username_suggestion(link.email)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = account_create(
                link=link,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                language=get_language() or "",
            )
        except AddressTaken:
            return render(request, "directory/join/signup_finish.html", {"problem": "used"})
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome, %(name)s: your account is ready and your e-mail address confirmed.")
            % {"name": link.name},
        )
        return redirect(link.next_path or "my_organisations")
    return render(
        request, "directory/join/signup_finish.html", {"form": form, "link": link, "problem": ""}
    )


@login_required
@require_POST
def email_confirm_send(request: HttpRequest) -> HttpResponse:
    back = safe_link(request.POST.get("next", "")) or "my_organisations"
    if not request.user.email:
        messages.error(request, _("Your account has no e-mail address: add one first."))
    elif address_confirmed(request.user):
        messages.info(request, _("Your e-mail address is already confirmed."))
    else:
        try:
            confirmation_request(user=request.user, client_ip=get_client_ip_address(request))
        except TooManyLinks as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("We sent a link to %(address)s: open it to confirm the address.")
                % {"address": request.user.email},
            )
    return redirect(back)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a Confirm button and changes nothing (mail scanners follow links); the POST
    confirms, without a login: the signed link is the key."""
    found, problem = read_confirmation_token(token)
    outcome = ""
    if found and request.method == "POST":
        outcome = address_confirm(user_id=found[0], email=found[1])
    return render(
        request,
        "directory/join/email_confirm.html",
        {"problem": problem, "address": found[1] if found else "", "outcome": outcome},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join_claim(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_actor_for_viewer(request.user, slug)
    offer = claim_offer(user=request.user, actor=actor)
    if offer == "":
        if actor.managers.filter(pk=request.user.pk).exists():
            messages.info(request, _("You already manage this profile."))
        elif actor.status != "published":
            raise Http404("Only published profiles can be claimed.")
        else:
            messages.info(request, _("As a curator you can edit every profile already."))
        return redirect(actor)
    waiting = pending_claim(user=request.user, actor=actor)
    form = ClaimForm(request.POST or None)
    confirmed = address_confirmed(request.user)
    if request.method == "POST" and waiting is None and confirmed and form.is_valid():
        try:
            join, created = join_claim_submit(
                user=request.user,
                actor=actor,
                role=form.cleaned_data["role"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as refused:
            for text in refused.messages:
                form.add_error(None, text)
        else:
            if created:
                messages.success(
                    request,
                    _(
                        "Your request to manage %(name)s was sent to the curators. You will be "
                        "told of their decision."
                    )
                    % {"name": actor.name},
                )
            else:
                messages.info(request, _("Your request to manage this profile already waits."))
            return redirect("join_request", pk=join.pk)
    return render(
        request,
        "directory/join/claim.html",
        {
            "actor": actor,
            "form": form,
            "waiting": waiting,
            "confirmed": confirmed,
            "max_pending": MAX_PENDING,
        },
    )


@login_required
@require_safe
def join_request(request: HttpRequest, pk: int) -> HttpResponse:
    join = join_request_for_person(user=request.user, pk=pk)
    if join is None:
        raise Http404("No such request among yours.")
    return render(
        request,
        "directory/join/request.html",
        {
            "join": join,
            "lines": proposal_lines(join.proposed) if join.kind == JoinKind.REGISTER else [],
            "manages": bool(join.actor and join.actor.managers.filter(pk=request.user.pk).exists()),
        },
    )


@login_required
@require_POST
def join_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        join_withdraw(join_id=pk, user=request.user)
    except JoinRequest.DoesNotExist:
        raise Http404("No such request among yours.") from None
    except ValidationError as refused:
        for text in refused.messages:
            messages.info(request, text)
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("join_request", pk=pk)
