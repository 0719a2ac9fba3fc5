"""The directory map (`/map/?<the list's filters>`) and the JSON its script draws."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from directory.maps import map_counts, map_filter, map_points


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_safe
def actor_map(request: HttpRequest) -> HttpResponse:
    actor_filter = map_filter(params=request.GET)
    return render(
        request,
        "directory/actor_map.html",
        {
            "filter": actor_filter,
            "counts": map_counts(queryset=actor_filter.qs),
            "query_string": _query_string(request),
            "active_filters": actor_filter.active_filters(),
        },
    )


# Compressed: at 10,000 actors the JSON is some 1.5 MB and compresses about ten to one. It holds
# nothing secret for a compression side channel to reveal (no token, nothing of the visitor's).
# Kinds and places are in the language of the visitor's language cookie.
@gzip_page
@vary_on_cookie
@require_safe
def actor_map_data(request: HttpRequest) -> JsonResponse:
    actor_filter = map_filter(params=request.GET)
    points = map_points(queryset=actor_filter.qs, language=translation.get_language())
    if actor_filter.is_bound and not actor_filter.form.is_valid():
        points["errors"] = {
            name: [str(error) for error in errors]
            for name, errors in actor_filter.form.errors.items()
        }
    return JsonResponse(points, json_dumps_params={"ensure_ascii": False})
