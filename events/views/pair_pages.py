"""Event pages: pairs."""

from __future__ import annotations

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from events import access
from events.forms import (
    ExclusionForm,
)
from events.models import Exclusion
from events.pairs import pair_matrix
from events.views._common import HEATMAP_LIMIT, show_errors
from events.wishes import exclusion_add

PAIR_SORTS = {"value", "score", "eu", "kr"}


@login_required
@require_safe
def pairs(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    matrix = pair_matrix(event=event)
    values, allowed = matrix.values, matrix.allowed
    sort = request.GET.get("sort", "value")
    if sort not in PAIR_SORTS:
        sort = "value"
    # Order the flattened matrix with numpy and build rows for the shown page only: a
    # 500 x 500 event has 250,000 pairs.
    n_kr = len(matrix.kr)
    flat_values, flat_scores = values.ravel(), matrix.scores.ravel()
    eu_of, kr_of = np.divmod(np.arange(flat_values.size), max(n_kr, 1))
    keys = {
        "value": (-flat_scores, -flat_values),
        "score": (-flat_values, -flat_scores),
        # Participants come sorted by name, so their positions are their name order.
        "eu": (-flat_values, eu_of),
        "kr": (-flat_values, kr_of),
    }
    order = np.lexsort(keys[sort]) if flat_values.size else np.zeros(0, dtype=np.int64)
    page = Paginator(order, 50).get_page(request.GET.get("page"))
    page.object_list = [
        {
            "eu": matrix.eu[i],
            "kr": matrix.kr[j],
            "percent": round(float(matrix.scores[i, j]) * 100),
            "value": float(values[i, j]),
            "eu_wish": matrix.eu_wish[i, j],
            "kr_wish": matrix.kr_wish[i, j],
            "allowed": bool(allowed[i, j]),
        }
        for i, j in (divmod(int(k), n_kr) for k in page.object_list)
    ]
    heatmap = None
    if 0 < len(matrix.eu) <= HEATMAP_LIMIT and 0 < len(matrix.kr) <= HEATMAP_LIMIT:
        heatmap = [
            (
                eu,
                [
                    (
                        kr,
                        round(float(matrix.scores[i, j]) * 100),
                        min(9, int(matrix.scores[i, j] * 10)),
                    )
                    for j, kr in enumerate(matrix.kr)
                ],
            )
            for i, eu in enumerate(matrix.eu)
        ]
    return render(
        request,
        "events/pairs.html",
        {
            "event": event,
            "matrix": matrix,
            "page": page,
            "sort": sort,
            "heatmap": heatmap,
            "heatmap_limit": HEATMAP_LIMIT,
            "exclusion_form": ExclusionForm(event=event),
            "exclusions": Exclusion.objects.filter(event=event).select_related(
                "eu__actor", "kr__actor"
            ),
        },
    )


@login_required
@require_POST
def exclusion_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    form = ExclusionForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, "Choose a European and a Korean participant.")
    else:
        eu, kr = form.cleaned_data["eu"], form.cleaned_data["kr"]
        try:
            exclusion_add(event=event, first=eu, second=kr, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, "Exclusion added: the two will never be scheduled.")
            meeting = event.meetings.filter(eu=eu, kr=kr).select_related("slot").first()
            if meeting is not None:
                messages.warning(
                    request,
                    f"{eu.actor.name} and {kr.actor.name} already have a meeting (table "
                    f"{meeting.table}): cancel it on the Schedule page if they should not meet.",
                )
    return redirect("event_pairs", slug=slug)


@login_required
@require_POST
def exclusion_remove_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    get_object_or_404(Exclusion, event=event, pk=pk).delete()
    messages.success(request, "Exclusion removed.")
    return redirect("event_pairs", slug=slug)
