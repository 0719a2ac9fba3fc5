"""Trust on a profile: its logo (served, uploaded, removed) and the curators' "verified today"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory.logos import logo_remove, logo_replace, logo_version
from directory.models import Actor
from directory.permissions import can_edit_actor, curator_required, get_actor_for_viewer
from directory.rules import is_published
from directory.trust_forms import LogoForm
from directory.verification import actor_mark_verified

# A page's address carries the logo's version, so a replaced logo is a new address: the old one
# may be cached for long, and the current one is shown at once.
VERSIONED_MAX_AGE = 30 * 24 * 3600


def _actor_for_logo_editor(request: HttpRequest, slug: str) -> Actor:
    # Those who may see the profile learn that they may not change it (403); others, nothing.
    actor = get_actor_for_viewer(request.user, slug)
    if not can_edit_actor(request.user, actor):
        raise PermissionDenied(_("Only this organisation's managers and curators change its logo."))
    return actor


@require_safe
def actor_logo(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_actor_for_viewer(request.user, slug)
    if not actor.logo.name or not default_storage.exists(actor.logo.name):
        raise Http404("No logo.")
    version = logo_version(actor)
    etag = f'"{version}"'
    public = is_published(actor.status)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            default_storage.open(actor.logo.name, "rb"),
            content_type="image/png",
            filename=f"{actor.slug}-logo.png",
        )
        # The slug is letters, digits and hyphens: safe in a header.
        response["Content-Disposition"] = f'inline; filename="{actor.slug}-logo.png"'
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    if public and request.GET.get("v") == version:
        response["Cache-Control"] = f"public, max-age={VERSIONED_MAX_AGE}, immutable"
    else:
        # A draft's logo is for its curators and managers only; an unversioned address may
        # change at any time.
        response["Cache-Control"] = ("public" if public else "private") + ", no-cache"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def actor_logo_edit(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _actor_for_logo_editor(request, slug)
    form = LogoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        logo_replace(actor=actor, data=form.cleaned_data["logo"], user=request.user)
        messages.success(request, _("The logo of %(name)s was saved.") % {"name": actor.name})
        return redirect(actor)
    return render(
        request,
        "directory/actor_logo.html",
        {"actor": actor, "form": form, "logo_version": logo_version(actor)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def actor_logo_delete(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _actor_for_logo_editor(request, slug)
    if actor.logo.name:
        logo_remove(actor=actor, user=request.user)
        messages.success(request, _("The logo of %(name)s was removed.") % {"name": actor.name})
    return redirect(actor)


@curator_required
@require_POST
def actor_verify(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_actor_for_viewer(request.user, slug)
    actor_mark_verified(actor=actor, user=request.user)
    messages.success(request, _("%(name)s is marked as verified today.") % {"name": actor.name})
    return redirect(actor)
