"""Likely duplicates and their merge."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from curation.duplicates import open_duplicates, pair_mark_distinct, pair_unmark_distinct
from curation.forms import MergeForm
from curation.merge import actor_merge, merge_plan
from curation.quality import completeness, with_quality_facts
from directory.models import Actor, DistinctPair
from directory.permissions import curator_required
from matching.jobs import schedule_index_rebuild

DUPLICATES_SHOWN = 200


@curator_required
@require_safe
def duplicates(request: HttpRequest) -> HttpResponse:
    pairs = open_duplicates(limit=DUPLICATES_SHOWN)
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
    distinct = DistinctPair.objects.select_related("first", "second", "decided_by")[:50]
    return render(
        request,
        "curation/duplicates.html",
        {"rows": rows, "tab": "duplicates", "distinct": distinct},
    )


def _pair_from_post(request: HttpRequest) -> tuple[Actor, Actor] | None:
    ids = [request.POST.get("first", ""), request.POST.get("second", "")]
    if not all(i.isascii() and i.isdigit() and len(i) < 10 for i in ids):
        return None
    found = Actor.objects.in_bulk([int(i) for i in ids])
    if int(ids[0]) not in found or int(ids[1]) not in found:
        return None
    return found[int(ids[0])], found[int(ids[1])]


@curator_required
@require_POST
def distinct(request: HttpRequest) -> HttpResponse:
    """Not the same organisation: the pair leaves the list (and can be put back)."""
    pair = _pair_from_post(request)
    if pair is None:
        messages.error(request, _("One of the two profiles no longer exists."))
        return redirect("curation_duplicates")
    first, second = pair
    names = {"first": first.name, "second": second.name}
    if request.POST.get("undo"):
        if pair_unmark_distinct(first=first, second=second):
            messages.success(request, _("%(first)s / %(second)s may be proposed again.") % names)
        else:
            messages.info(request, _("%(first)s / %(second)s was not marked as different.") % names)
        return redirect("curation_duplicates")
    try:
        pair_mark_distinct(first=first, second=second, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "%(first)s and %(second)s are marked as different organisations; "
                "the pair is no longer proposed."
            )
            % names,
        )
    return redirect("curation_duplicates")


@curator_required
@require_POST
def merge(request: HttpRequest) -> HttpResponse:
    """First POST: the confirmation page. Second POST (confirm=1): the merge."""
    form = MergeForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("One of the two profiles no longer exists.")]:
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
                _("%(removed)s (%(slug)s) was merged into %(kept)s.")
                % {"removed": record.removed_name, "slug": record.removed_slug, "kept": keep.name},
            )
            schedule_index_rebuild(
                by=request.user, reason=_("merging %(slug)s") % {"slug": record.removed_slug}
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
    return render(request, "curation/merge_confirm.html", context)
