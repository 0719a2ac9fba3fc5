"""Recording and removing an actor's known partnerships (curators only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from curation.partnership_forms import PartnerSearchForm, PartnershipForm, PartnershipRemoveForm
from directory.models import Actor, Partnership
from directory.partnerships import (
    partnership_as_initial,
    partnership_record,
    partnership_remove,
    partnerships_of,
)
from directory.permissions import curator_required

# Removed partnerships a curator can record again from the session, newest last.
REMOVED_KEY = "partnerships_removed"
REMOVED_KEPT = 20


def _removed_initial(request: HttpRequest, actor: Actor) -> dict:
    """The form's values from a partnership this curator removed (?again=<id>), or nothing."""
    removed = request.session.get(REMOVED_KEY, {}).get(request.GET.get("again", ""))
    if not removed or actor.pk not in (removed["first"], removed["second"]):
        return {}
    partner = removed["second"] if removed["first"] == actor.pk else removed["first"]
    return {**removed, "partner": partner, "since": removed["since"] or None}


@curator_required
@require_http_methods(["GET", "HEAD", "POST"])
def partnership_add(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor, slug=slug)
    search = PartnerSearchForm(request.GET or None)
    initial = _removed_initial(request, actor)
    form = PartnershipForm(
        request.POST or None,
        actor=actor,
        search=search.text() if search.is_bound else "",
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partnership, created = partnership_record(
                actor=actor, partner=data["partner"], kind=data["kind"], source=data["source"],
                since=data["since"], note=data["note"], by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            partner = partnership.other(actor.pk)
            kind = partnership.get_kind_display()
            names = {"actor": actor.name, "partner": partner.name, "kind": kind}
            if created:
                messages.success(
                    request, _("Recorded: %(actor)s and %(partner)s, %(kind)s.") % names
                )
            else:
                messages.info(
                    request,
                    _(
                        "%(actor)s and %(partner)s are already recorded as partners (%(kind)s, "
                        "source: %(source)s); nothing changed."
                    )
                    % {**names, "source": partnership.source},
                )
            return redirect(actor)
    return render(
        request,
        "curation/partnership_form.html",
        {
            "actor": actor,
            "form": form,
            "search": search,
            "again": bool(initial),
            "known": partnerships_of(actor=actor),
        },
    )


@curator_required
@require_POST
def partnership_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """First POST: what would be removed, to confirm. Second POST (confirm=1): removed, and the
    curator is offered to record it again with the same values."""
    form = PartnershipRemoveForm(request.POST)
    partnership = (
        Partnership.objects.select_related("first", "second", "recorded_by").filter(pk=pk).first()
    )
    if partnership is None:
        # Removed already (a second click, the back button): back to the page it was removed
        # from, with a word, rather than a 404 after a removal that worked.
        back_slug = form.cleaned_data["back"] if form.is_valid() else ""
        if not back_slug:
            raise Http404("No such partnership.")
        actor = get_object_or_404(Actor, slug=back_slug)
        messages.info(request, _("This partnership had already been removed."))
        return redirect(actor)
    confirmed = form.is_valid() and form.cleaned_data["confirm"]
    back = partnership.first
    if form.is_valid() and form.cleaned_data["back"] == partnership.second.slug:
        back = partnership.second
    if not confirmed:
        return render(
            request,
            "curation/partnership_remove.html",
            {"partnership": partnership, "back": back, "partner": partnership.other(back.pk)},
        )
    removed = partnership_as_initial(partnership)
    partner = partnership.other(back.pk)
    if partnership_remove(partnership_id=partnership.pk):
        kept = request.session.get(REMOVED_KEY, {})
        kept[str(partnership.pk)] = removed
        request.session[REMOVED_KEY] = dict(list(kept.items())[-REMOVED_KEPT:])
        again = reverse("curation_partnership_add", args=[back.slug]) + f"?again={partnership.pk}"
        values = {
            "first": back.name,
            "second": partner.name,
            "kind": partnership.get_kind_display(),
            "url": again,
        }
        message = _(
            "Removed the partnership of %(first)s and %(second)s (%(kind)s). "
            '<a href="%(url)s">Record it again</a> if that was a mistake.'
        )
        # Every value is escaped; the link is the translation's own markup.
        messages.success(
            request,
            mark_safe(message % {key: escape(value) for key, value in values.items()}),  # noqa: S308
        )
    else:
        messages.info(request, _("This partnership had already been removed."))
    return redirect(back)
