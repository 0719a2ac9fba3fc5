"""Curators' pages: likely duplicates and their merge, profile completeness, stale profiles.

Staff only; everyone else gets 404 (anonymous visitors are sent to log in first). The rules
live in directory/duplicates.py, directory/merge.py and directory/quality.py.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from directory.duplicates import directory_duplicates
from directory.merge import actor_merge, merge_plan
from directory.models import Actor, Side, Status
from directory.permissions import curator_required
from directory.quality import (
    VERIFIED_WITHIN_MONTHS,
    completeness,
    completeness_ranking,
    stale_profiles,
    with_quality_facts,
)

DUPLICATES_SHOWN = 200
PAGE_SIZE = 50


@curator_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    pairs = directory_duplicates(limit=DUPLICATES_SHOWN)
    ids = {actor.pk for pair in pairs for actor in (pair.first, pair.second)}
    quality = {
        actor.pk: completeness(actor)
        for actor in with_quality_facts(Actor.objects.filter(pk__in=ids))
    }
    rows = []
    for pair in pairs:
        first, second = quality[pair.first.pk], quality[pair.second.pk]
        # Default: keep the more complete profile (the older record on a tie).
        keep = pair.second if second.score > first.score else pair.first
        rows.append({"pair": pair, "first": first, "second": second, "keep": keep.pk})
    return render(
        request, "directory/curation/duplicates.html", {"rows": rows, "tab": "duplicates"}
    )


class MergeForm(forms.Form):
    first = forms.ModelChoiceField(queryset=Actor.objects.all(), widget=forms.HiddenInput)
    second = forms.ModelChoiceField(queryset=Actor.objects.all(), widget=forms.HiddenInput)
    keep = forms.IntegerField()
    confirm = forms.BooleanField(required=False)

    def clean(self) -> dict:
        data = super().clean()
        first, second, keep = data.get("first"), data.get("second"), data.get("keep")
        if first and second:
            if first.pk == second.pk:
                raise ValidationError("An actor cannot be merged with itself.")
            if keep not in (first.pk, second.pk):
                raise ValidationError("Choose which of the two profiles to keep.")
            data["keep_actor"], data["remove_actor"] = (
                (first, second) if keep == first.pk else (second, first)
            )
        return data


@curator_required
@require_POST
def merge(request: HttpRequest) -> HttpResponse:
    """First POST: the confirmation page. Second POST (confirm=1): the merge."""
    form = MergeForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or ["One of the two profiles no longer exists."]:
            messages.error(request, error)
        return redirect("curation_duplicates")
    keep, remove = form.cleaned_data["keep_actor"], form.cleaned_data["remove_actor"]
    errors: list[str] = []
    if form.cleaned_data["confirm"]:
        try:
            record = actor_merge(keep=keep, remove=remove, user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                f"{record.removed_name} ({record.removed_slug}) was merged into {keep.name}.",
            )
            return redirect("actor_detail", slug=record.kept.slug)
    plan = merge_plan(keep=keep, remove=remove)
    context = {
        "plan": plan,
        "errors": [e for e in errors if e not in plan.problems],
        "first": form.cleaned_data["first"],
        "second": form.cleaned_data["second"],
        "tab": "duplicates",
    }
    return render(request, "directory/curation/merge_confirm.html", context)


class QualityFilter(forms.Form):
    side = forms.ChoiceField(choices=[("", "Both sides"), *Side.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    show = forms.ChoiceField(
        choices=[("", "completeness"), ("stale", "stale")], required=False, widget=forms.HiddenInput
    )


@curator_required
@require_GET
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
    return render(request, "directory/curation/quality.html", context)
