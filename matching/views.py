from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.spreadsheet_write import table_response
from directory.models import Actor
from directory.permissions import is_curator
from matching.forms import (
    TOP_CHOICES,
    MarkForm,
    RankingForm,
    ShortlistNoteForm,
    ShortlistStatusForm,
)
from matching.marks import mark_of, mark_remove, mark_set, marks_of
from matching.models import CandidateMark, ShortlistNote
from matching.permissions import get_actor_for_ranking
from matching.ranking import actor_ranking, ranking_header
from matching.shortlists import (
    STATUS_CHOICES,
    entry_of,
    notes_of_others,
    person_name,
    shortlist_add,
    shortlist_for,
    shortlist_note_add,
    shortlist_note_delete,
    shortlist_remove,
    shortlist_status_set,
    shortlisted_ids,
)
from matching.similar import more_like_this

EXPORT_FORMATS = {"csv", "xlsx"}


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    # Only a path on this site: redirect() would take any other text for a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect(target)
    return redirect(default)


@login_required
@require_safe
def partners_start(request: HttpRequest) -> HttpResponse:
    managed = list(request.user.managed_actors.order_by("name"))
    if len(managed) == 1 and not is_curator(request.user):
        return redirect("partners", slug=managed[0].slug)
    return render(request, "matching/partners_start.html", {"managed": managed})


def _row_context(request: HttpRequest, actor: Actor) -> dict:
    """What each ranking row's actions need: the shortlist, set-aside and "more like this"
    addresses, the way back here, and the settings to carry along."""
    return {
        "shortlisted": shortlisted_ids(actor=actor),
        "shortlist_url": reverse("shortlist", args=[actor.slug]),
        "shortlist_add_url": reverse("shortlist_add", args=[actor.slug]),
        "mark_url": reverse("set_aside_add", args=[actor.slug]),
        "here": request.get_full_path(),
        "query_string": request.GET.urlencode(),
    }


def _settings(form: RankingForm) -> dict:
    """The ranking's settings from a valid form: weights, filters, known partners hidden."""
    return {
        "weights": form.weights(),
        "filters": form.filters(),
        "hide_known_partners": form.hide_known_partners(),
    }


@login_required
@require_safe
def partners(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_actor_for_ranking(request.user, slug)
    form = RankingForm(request.GET or None)
    ranking = []
    if not form.is_bound or form.is_valid():
        ranking = actor_ranking(actor=actor, top=form.top_n(), **_settings(form))
    return render(
        request,
        "matching/partners.html",
        {
            "actor": actor,
            "form": form,
            # What the weight inputs show: the effective weights, or what was typed if invalid.
            "weights": form.initial_weights()
            if not form.errors
            else {k: form.data.get(k, "") for k in ("w_text", "w_sector", "w_interest")},
            "ranking": ranking,
            "selects": form.selects(),
            "top_choices": TOP_CHOICES,
            "top": form.top_n(),
            "more_query": form.more_rows_query(shown=len(ranking)),
            "hide_known": form.hide_known_ticked(),
            "set_aside_count": marks_of(actor=actor).count(),
            **_row_context(request, actor),
        },
    )


@login_required
@require_safe
def partners_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown export format.")
    actor = get_actor_for_ranking(request.user, slug)
    form = RankingForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Back to the page, which shows each wrong setting beside its field.
        messages.error(request, _("No export made: some settings are not valid; see below."))
        return redirect(f"{reverse('partners', args=[actor.slug])}?{request.GET.urlencode()}")
    ranking = actor_ranking(actor=actor, top=form.top_n(), explain=100, **_settings(form))
    rows = (
        row.as_cells(profile_url=request.build_absolute_uri(row.actor.get_absolute_url()))
        for row in ranking
    )
    return table_response(
        fmt=fmt,
        filename=f"partners-{actor.slug}",
        title=_("Partners"),
        header=ranking_header(),
        rows=rows,
    )


@login_required
@require_safe
def partners_like(request: HttpRequest, slug: str, candidate: str) -> HttpResponse:
    actor = get_actor_for_ranking(request.user, slug)
    # Drafts answer as unknown slugs do; an actor of the same side is never a candidate.
    like = get_object_or_404(Actor.objects.visible_to(request.user), slug=candidate)
    if like.side == actor.side:
        raise Http404("Not a candidate for this organisation.")
    form = RankingForm(request.GET or None)
    rows = []
    if not form.is_bound or form.is_valid():
        rows = more_like_this(actor=actor, like=like, **_settings(form))
    return render(
        request,
        "matching/partners_like.html",
        {
            "actor": actor,
            "like": like,
            "like_mark": mark_of(actor=actor, candidate=like),
            "rows": rows,
            "form": form,
            **_row_context(request, actor),
        },
    )


@login_required
@require_safe
def set_aside(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_actor_for_ranking(request.user, slug)
    return render(
        request,
        "matching/set_aside.html",
        {"actor": actor, "marks": marks_of(actor=actor), "here": request.get_full_path()},
    )


@login_required
@require_POST
def set_aside_add(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_actor_for_ranking(request.user, slug)
    candidate = get_object_or_404(
        Actor.objects.visible_to(request.user), slug=request.POST.get("candidate", "")
    )
    back = reverse("partners", args=[actor.slug])
    form = MarkForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            message = (
                _("Not set aside. Your reason: %(errors)s")
                if name == "reason"
                else _("Not set aside. %(errors)s")
            )
            messages.error(request, message % {"errors": " ".join(errors)})
        return _back(request, back)
    try:
        mark, changed = mark_set(
            actor=actor,
            candidate=candidate,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(
            request, _("Not set aside. %(errors)s") % {"errors": " ".join(error.messages)}
        )
        return _back(request, back)
    if changed:
        messages.success(
            request,
            _(
                "%(name)s set aside as %(kind)s: it is out of this ranking until you restore it "
                "from Set aside."
            )
            % {"name": candidate.name, "kind": mark.get_kind_display()},
        )
    else:
        messages.info(request, _("%(name)s was already set aside.") % {"name": candidate.name})
    return _back(request, back)


@login_required
@require_POST
def set_aside_restore(request: HttpRequest, slug: str, candidate: str) -> HttpResponse:
    actor = get_actor_for_ranking(request.user, slug)
    back = reverse("set_aside", args=[actor.slug])
    mark = (
        CandidateMark.objects.select_related("candidate")
        .filter(actor=actor, candidate__slug=candidate)
        .first()
    )
    if mark is None or not mark_remove(actor=actor, candidate=mark.candidate):
        # Restored already (a second click, the back button): said, not a 404. A slug that
        # names no actor this user may see still answers 404, as everywhere.
        other = get_object_or_404(Actor.objects.visible_to(request.user), slug=candidate)
        messages.info(
            request,
            _("%(name)s is not set aside (any more): nothing changed.") % {"name": other.name},
        )
        return _back(request, back)
    if mark.candidate_withdrawn:
        messages.success(
            request,
            _(
                "%(name)s is no longer set aside; the curators have withdrawn it from the "
                "directory, so the ranking does not show it."
            )
            % {"name": mark.candidate.name},
        )
    else:
        messages.success(
            request, _("%(name)s is back in the ranking.") % {"name": mark.candidate.name}
        )
    return _back(request, back)


@login_required
@require_safe
def shortlist(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_actor_for_ranking(request.user, slug)
    return render(
        request,
        "matching/shortlist.html",
        {
            "actor": actor,
            "entries": list(shortlist_for(actor=actor)),
            "statuses": STATUS_CHOICES,
            "others": actor.managers.filter(is_active=True).exclude(pk=request.user.pk).exists(),
        },
    )


@login_required
@require_POST
def shortlist_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_actor_for_ranking(request.user, slug)
    # Drafts answer as unknown slugs do: a manager learns nothing of curators' work.
    candidate = get_object_or_404(
        Actor.objects.visible_to(request.user), slug=request.POST.get("candidate", "")
    )
    form = ShortlistNoteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(
                request, _("Not added. Your note: %(errors)s") % {"errors": " ".join(errors)}
            )
        return _back(request, reverse("partners", args=[actor.slug]))
    note = form.cleaned_data["note"]
    try:
        shortlist_add(actor=actor, candidate=candidate, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is on your shortlist.") % {"name": candidate.name})
    return _back(request, reverse("partners", args=[actor.slug]))


def _entry_or_404(request: HttpRequest, actor: Actor, candidate: str):
    entry = entry_of(actor=actor, candidate_slug=candidate)
    if entry is None:
        raise Http404("Not on this shortlist.")
    return entry


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def shortlist_remove_view(request: HttpRequest, slug: str, candidate: str) -> HttpResponse:
    """POST: remove the entry, at once unless it holds notes by others. GET (or a POST that
    would delete notes not shown yet): what the removal deletes, to confirm."""
    actor = get_actor_for_ranking(request.user, slug)
    other = get_object_or_404(Actor, slug=candidate)
    entry = entry_of(actor=actor, candidate_slug=other.slug)
    if entry is None:
        # Removed already (a double click, or a colleague): the list says so.
        messages.info(request, _("%(name)s is not on the shortlist.") % {"name": other.name})
        return redirect("shortlist", slug=actor.slug)
    if request.method == "POST":
        confirmed = [int(pk) for pk in request.POST.getlist("notes") if pk.isdigit()]
        try:
            shortlist_remove(actor=actor, candidate=other, by=request.user, confirmed=confirmed)
        except ValidationError as error:
            if error.code != "confirm":
                raise
            if request.POST.get("confirm"):
                messages.warning(
                    request, _("Someone added a note since you looked: it is listed below.")
                )
            # The notes to confirm, on a page of its own (a reload asks nothing again).
            return redirect("shortlist_remove", slug=actor.slug, candidate=other.slug)
        messages.success(
            request,
            _("%(name)s removed from the shortlist, with its notes.") % {"name": other.name},
        )
        return _back(request, reverse("shortlist", args=[actor.slug]))
    return render(
        request,
        "matching/shortlist_remove.html",
        {
            "actor": actor,
            "entry": entry,
            "others_notes": notes_of_others(entry=entry, user=request.user),
            "own_notes": entry.notes.filter(author_id=request.user.pk).count(),
        },
    )


@login_required
@require_POST
def shortlist_note_view(request: HttpRequest, slug: str, candidate: str) -> HttpResponse:
    """Add a note to an entry: every manager of the organisation sees it, with its author."""
    actor = get_actor_for_ranking(request.user, slug)
    entry = _entry_or_404(request, actor, candidate)
    form = ShortlistNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Note not added: it is too long (2,000 characters at most)."))
        return redirect("shortlist", slug=actor.slug)
    try:
        shortlist_note_add(entry=entry, author=request.user, text=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(
            request, _("Note not added. %(errors)s") % {"errors": " ".join(error.messages)}
        )
    else:
        messages.success(request, _("Note on %(name)s added.") % {"name": entry.candidate.name})
    return redirect("shortlist", slug=actor.slug)


@login_required
@require_POST
def shortlist_note_delete_view(
    request: HttpRequest, slug: str, candidate: str, note: int
) -> HttpResponse:
    actor = get_actor_for_ranking(request.user, slug)
    entry = _entry_or_404(request, actor, candidate)
    found = get_object_or_404(ShortlistNote, pk=note, entry=entry)
    try:
        shortlist_note_delete(note=found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Your note on %(name)s deleted.") % {"name": entry.candidate.name}
        )
    return redirect("shortlist", slug=actor.slug)


@login_required
@require_POST
def shortlist_status_view(request: HttpRequest, slug: str, candidate: str) -> HttpResponse:
    actor = get_actor_for_ranking(request.user, slug)
    entry = _entry_or_404(request, actor, candidate)
    form = ShortlistStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Status not changed: choose one of the statuses offered."))
        return redirect("shortlist", slug=actor.slug)
    changed = shortlist_status_set(
        entry=entry,
        status=form.cleaned_data["status"],
        by=request.user,
        tell_others=form.cleaned_data["tell_others"],
    )
    entry.refresh_from_db()
    values = {"name": entry.candidate.name, "status": entry.get_status_display()}
    if changed and form.cleaned_data["tell_others"]:
        messages.success(
            request, _("%(name)s: now “%(status)s”. The other managers were told.") % values
        )
    elif changed:
        messages.success(request, _("%(name)s: now “%(status)s”.") % values)
    else:
        messages.info(request, _("%(name)s was already “%(status)s”.") % values)
    return redirect("shortlist", slug=actor.slug)


# An export to read, never imported: the headers are in the reader's language.
SHORTLIST_HEADER = [
    pgettext_lazy("shortlist export column", "name"),
    pgettext_lazy("shortlist export column", "slug"),
    pgettext_lazy("shortlist export column", "kind"),
    pgettext_lazy("shortlist export column", "country"),
    pgettext_lazy("shortlist export column", "region"),
    pgettext_lazy("shortlist export column", "city"),
    pgettext_lazy("shortlist export column", "status"),
    pgettext_lazy("shortlist export column", "notes"),
    pgettext_lazy("shortlist export column", "added"),
    pgettext_lazy("shortlist export column", "added by"),
    pgettext_lazy("shortlist export column", "profile"),
]
# In the "profile" column of a candidate the curators unpublished since it was shortlisted.
WITHDRAWN = pgettext_lazy("shortlist export", "withdrawn from the directory")


def _notes_cell(entry) -> str:
    return "\n".join(
        f"{note.written_at.date().isoformat()} {person_name(note.author)}: {note.text}"
        for note in entry.notes.all()
    )


@login_required
@require_safe
def shortlist_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown export format.")
    actor = get_actor_for_ranking(request.user, slug)
    rows = (
        [
            e.candidate.name,
            e.candidate.slug,
            e.candidate.get_kind_display(),
            str(e.candidate.country.name),
            e.candidate.region.name if e.candidate.region else "",
            e.candidate.city,
            e.get_status_display(),
            _notes_cell(e),
            e.created_at.date().isoformat(),
            person_name(e.added_by),
            str(WITHDRAWN)
            if e.candidate_withdrawn
            else request.build_absolute_uri(e.candidate.get_absolute_url()),
        ]  # fmt: skip
        for e in shortlist_for(actor=actor)
    )
    return table_response(
        fmt=fmt,
        filename=f"shortlist-{actor.slug}",
        title=_("Shortlist"),
        header=[str(name) for name in SHORTLIST_HEADER],
        rows=rows,
    )
