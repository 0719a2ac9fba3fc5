"""Pages for saved directory searches: save the search on screen, list, rename, delete, and
turn alerts on or off. Each user sees and changes only their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from directory.models import SavedSearch
from directory.saved_searches import (
    MAX_SAVED_SEARCHES,
    NAME_MAX_CHARS,
    saved_search_create,
    saved_search_delete,
    saved_search_rename,
    saved_search_set_alert,
    search_problems,
    search_summary,
)


def _own(request: HttpRequest, pk: int) -> SavedSearch:
    # Someone else's search answers as a missing one.
    return get_object_or_404(SavedSearch, pk=pk, owner=request.user)


@login_required
@require_safe
def saved_searches(request: HttpRequest) -> HttpResponse:
    searches = [
        {
            "search": search,
            "summary": search_summary(search=search),
            "problems": search_problems(search=search),
        }
        for search in SavedSearch.objects.filter(owner=request.user)
    ]
    return render(
        request,
        "directory/saved_searches.html",
        {
            "searches": searches,
            "limit": MAX_SAVED_SEARCHES,
            "name_max": NAME_MAX_CHARS,
            "has_email": bool(request.user.email),
        },
    )


@login_required
@require_POST
def saved_search_save(request: HttpRequest) -> HttpResponse:
    query = request.POST.get("query", "")
    # Back to the search as it was typed; the page itself ignores what it does not know.
    back = reverse("actor_list") + (f"?{query}" if query and len(query) <= 1000 else "")
    try:
        search = saved_search_create(
            owner=request.user, name=request.POST.get("name", ""), query=query
        )
    except ValidationError as error:
        messages.error(
            request, _("Search not saved. %(reasons)s") % {"reasons": " ".join(error.messages)}
        )
        return redirect(back)
    messages.success(
        request,
        _(
            "Search saved as “%(name)s”. You will be told when new actors match it; "
            "your saved searches are under “Saved searches”."
        )
        % {"name": search.name},
    )
    return redirect(search.get_absolute_url())


@login_required
@require_POST
def saved_search_rename_view(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own(request, pk)
    old = search.name
    try:
        saved_search_rename(search=search, name=request.POST.get("name", ""))
    except ValidationError as error:
        messages.error(
            request,
            _("“%(name)s” not renamed. %(reasons)s")
            % {"name": old, "reasons": " ".join(error.messages)},
        )
    else:
        if search.name != old:
            messages.success(
                request, _("“%(old)s” renamed to “%(new)s”.") % {"old": old, "new": search.name}
            )
    return redirect("saved_searches")


@login_required
@require_POST
def saved_search_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own(request, pk)
    saved_search_delete(search=search)
    messages.success(request, _("Saved search “%(name)s” deleted.") % {"name": search.name})
    return redirect("saved_searches")


@login_required
@require_POST
def saved_search_alert_view(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own(request, pk)
    on = request.POST.get("alert") == "on"
    saved_search_set_alert(search=search, on=on)
    if on:
        messages.success(
            request,
            _("Alert on: you will be told when new actors match “%(name)s”.")
            % {"name": search.name},
        )
    else:
        messages.success(request, _("Alert off for “%(name)s”.") % {"name": search.name})
    return redirect("saved_searches")
