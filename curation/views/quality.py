"""Profile completeness and stale profiles."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from curation.forms import QualityFilter
from curation.quality import (
    VERIFIED_WITHIN_MONTHS,
    completeness_ranking,
    stale_profiles,
    with_quality_facts,
)
from directory.models import Actor
from directory.permissions import curator_required

PAGE_SIZE = 50


@curator_required
@require_safe
def quality(request: HttpRequest) -> HttpResponse:
    form = QualityFilter(request.GET or None)
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})  # the valid filters; a bad value is ignored
    stale = filters.get("show") == "stale"
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "query_string": params.urlencode(), "months": VERIFIED_WITHIN_MONTHS}
    if stale:
        actors = stale_profiles(months=VERIFIED_WITHIN_MONTHS).select_related("region")
        if filters.get("side"):
            actors = actors.filter(side=filters["side"])
        context["page"] = Paginator(actors, PAGE_SIZE).get_page(request.GET.get("page"))
        context["tab"] = "stale"
    else:
        actors = Actor.objects.all()
        if filters.get("side"):
            actors = actors.filter(side=filters["side"])
        if filters.get("status"):
            actors = actors.filter(status=filters["status"])
        rows = completeness_ranking(with_quality_facts(actors))
        context["page"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context["tab"] = "quality"
    return render(request, "curation/quality.html", context)
