"""Event pages: pairs."""

from __future__ import annotations

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from events import access
from events.forms import (
    ExclusionForm,
)
from events.models import Event, Exclusion, Meeting, WishLevel
from events.pairs import PairMatrix, pair_matrix
from events.views._common import HEATMAP_LIMIT, show_errors
from events.wishes import exclusion_add

PAIR_SORTS = {"value", "score", "eu", "kr"}


def _wish_words(level: str) -> str:
    return WishLevel(level).label if level else ""


def _scheduled_words(matrix: PairMatrix, i: int, j: int, *, proposable: bool) -> str:
    """Whether the scheduler may propose the pair, and if not, why; an accepted meeting request
    (which the wish columns do not show) puts it first. In words: the scheduler's own figures
    mean nothing to an organiser, the score and the wishes say it."""
    if matrix.excluded[i, j]:
        return _("never: excluded")
    if WishLevel.NOT in (matrix.eu_wish[i, j], matrix.kr_wish[i, j]):
        return _("never: not interested")
    if matrix.declined is not None and matrix.declined[i, j]:
        return _("never: request declined")
    if not proposable:
        return _("not proposed: below the lowest fit")
    if matrix.requested is not None and matrix.requested[i, j]:
        return _("first: meeting request accepted")
    return ""


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
    proposable = matrix.proposable
    page.object_list = [
        {
            "eu": matrix.eu[i],
            "kr": matrix.kr[j],
            "percent": round(float(matrix.scores[i, j]) * 100),
            "eu_wish": _wish_words(matrix.eu_wish[i, j]),
            "kr_wish": _wish_words(matrix.kr_wish[i, j]),
            "allowed": bool(allowed[i, j]),
            "scheduled": _scheduled_words(matrix, i, j, proposable=bool(proposable[i, j])),
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
            "exclusions": _exclusions_with_meetings(event),
        },
    )


def _exclusions_with_meetings(event: Event) -> list[Exclusion]:
    """The event's exclusions, each with `.meeting`: the pair's meeting if one is still in the
    schedule (excluded after it was made), so that the page offers to cancel it."""
    exclusions = list(
        Exclusion.objects.filter(event=event).select_related("eu__actor", "kr__actor")
    )
    still_meeting = Meeting.objects.filter(
        Exists(Exclusion.objects.filter(event=event, eu=OuterRef("eu"), kr=OuterRef("kr"))),
        event=event,
    ).select_related("slot__event")
    by_pair = {(m.eu_id, m.kr_id): m for m in still_meeting}
    for exclusion in exclusions:
        exclusion.meeting = by_pair.get((exclusion.eu_id, exclusion.kr_id))
    return exclusions


@login_required
@require_POST
def exclusion_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    form = ExclusionForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose a European and a Korean participant."))
    else:
        eu, kr = form.cleaned_data["eu"], form.cleaned_data["kr"]
        try:
            exclusion_add(event=event, first=eu, second=kr, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_errors(request, error)
        else:
            meeting = event.meetings.filter(eu=eu, kr=kr).select_related("slot__event").first()
            if meeting is None:
                messages.success(request, _("Exclusion added: the two will never be scheduled."))
            else:
                names = {
                    "european": eu.actor.name,
                    "korean": kr.actor.name,
                    "round": meeting.slot,
                    "table": meeting.table,
                }
                if event.published:
                    text = _(
                        "Exclusion added, but %(european)s and %(korean)s still have a meeting "
                        "(%(round)s, table %(table)s), in both agendas: it stays until it is "
                        "cancelled. Cancel it under Exclusions below if they should not meet."
                    )
                else:
                    text = _(
                        "Exclusion added, but %(european)s and %(korean)s still have a meeting "
                        "(%(round)s, table %(table)s), in the draft schedule: it stays until it "
                        "is cancelled. Cancel it under Exclusions below if they should not meet."
                    )
                messages.warning(request, text % names)
    return redirect("event_pairs", slug=slug)


@login_required
@require_POST
def exclusion_remove_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    get_object_or_404(Exclusion, event=event, pk=pk).delete()
    messages.success(request, _("Exclusion removed."))
    return redirect("event_pairs", slug=slug)
