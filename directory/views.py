from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from common.paging import KeysFirstPaginator, OnePassPaginator
from directory.filters import ActorFilter
from directory.forms import ActorProfileForm, ContactFormSet
from directory.joining import claim_offer, join_requests_of, pending_claim
from directory.models import Actor, ContactPerson, JoinStatus, MergeRecord, PendingChange
from directory.panels import actor_panels_render
from directory.partnerships import can_see_partnership_notes, partnerships_shown
from directory.permissions import (
    can_edit_actor,
    can_see_contacts,
    get_actor_for_editor,
    get_actor_for_viewer,
    is_curator,
)
from directory.proposals import (
    MANAGER_SOURCE,
    change_submit,
    edits_need_review,
    proposal_form_initial,
    proposal_from_forms,
    waiting_change,
)
from directory.saved_searches import suggested_name
from directory.selectors import actor_detail, actor_list_queryset, directory_counts
from directory.signup import address_confirmed
from directory.structure import actor_place
from directory.trust_forms import LogoForm

PAGE_SIZE = 20


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    managed = []
    if request.user.is_authenticated:
        managed = list(request.user.managed_actors.order_by("name"))
    return render(
        request, "directory/home.html", {"counts": directory_counts(), "managed": managed}
    )


@require_safe
def actor_list(request: HttpRequest) -> HttpResponse:
    base = actor_list_queryset(base=Actor.objects.visible_to(request.user))
    actor_filter = ActorFilter(request.GET, queryset=base)
    # A search by relevance ranks every match anyway: the count comes in the same query.
    paging = OnePassPaginator if actor_filter.ranked_by_relevance() else KeysFirstPaginator
    page = paging(actor_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "directory/actor_list.html",
        {
            "filter": actor_filter,
            "page": page,
            "query_string": params.urlencode(),
            "active_filters": actor_filter.active_filters(),
            # "Save this search": for signed-in users, over a search the page could run.
            "can_save_search": request.user.is_authenticated and actor_filter.form.is_valid(),
            "save_search_name": suggested_name(active_filters=actor_filter.active_filters()),
        },
    )


@require_safe
def actor_page(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        actor = get_actor_for_viewer(request.user, slug)
    except Http404:
        # A profile merged into another keeps working links: send visitors to the kept one.
        merged = MergeRecord.objects.filter(removed_slug=slug, kept__isnull=False).first()
        if merged:
            return redirect(merged.kept, permanent=True)
        raise
    context = actor_detail(
        actor=actor,
        with_contacts=can_see_contacts(request.user),
        with_drafts=is_curator(request.user),
    )
    context["can_edit"] = can_edit_actor(request.user, actor)
    context["show_contacts"] = can_see_contacts(request.user)
    context["panels"] = actor_panels_render(request=request, actor=actor)
    context["partnerships"] = partnerships_shown(actor=actor, user=request.user)
    context["show_partnership_notes"] = can_see_partnership_notes(request.user)
    context["claim_offer"] = claim_offer(user=request.user, actor=actor)
    context["place"] = actor_place(actor=actor, user=request.user)
    if context["claim_offer"] == "pending":
        context["pending_claim"] = pending_claim(user=request.user, actor=actor)
    return render(request, "directory/actor_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def actor_edit(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_actor_for_editor(request.user, slug)
    review = edits_need_review(actor=actor) and not is_curator(request.user)
    # With review on, a manager who already proposed a change edits that proposal: starting
    # from the live profile would silently drop what they proposed before.
    waiting = waiting_change(actor=actor, author=request.user) if review else None
    initial, people = proposal_form_initial(proposed=waiting.proposed) if waiting else ({}, [])
    form = ActorProfileForm(request.POST or None, instance=actor, initial=initial)
    proposal_rows = {}
    if waiting:
        # The proposal's contacts are new rows, not the live ones. Initial values only on the
        # page: a posted row equal to its initial value would count as "unchanged" and vanish.
        proposal_rows = {"queryset": ContactPerson.objects.none()}
        if request.method != "POST":
            proposal_rows["initial"] = people
    contacts = ContactFormSet(
        request.POST or None, instance=actor, prefix="contacts", **proposal_rows
    )
    if waiting and request.method != "POST":
        contacts.extra = len(people) + 1
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        if review:
            change = change_submit(
                actor=actor,
                author=request.user,
                proposed=proposal_from_forms(form=form, contacts=contacts),
            )
            if change is None and waiting:
                messages.info(
                    request,
                    _("This is the profile as it is live, so your waiting proposal was withdrawn."),
                )
            elif change is None:
                messages.info(request, _("Nothing changed."))
            else:
                messages.success(
                    request,
                    _(
                        "Your changes were sent to the curators; the profile shows them once a "
                        "curator approves."
                    ),
                )
            return redirect(actor)
        with transaction.atomic():
            form.save()
            for contact in contacts.save(commit=False):
                contact.source = contact.source or MANAGER_SOURCE
                contact.save()
            for contact in contacts.deleted_objects:
                contact.delete()
        messages.success(request, _("Profile of %(name)s saved.") % {"name": actor.name})
        return redirect(actor)
    return render(
        request,
        "directory/actor_edit.html",
        {
            "actor": actor,
            "form": form,
            "contacts": contacts,
            "review": review,
            "waiting": waiting,
            "changes": PendingChange.objects.filter(actor=actor).select_related("reviewer")[:3],
            "logo_form": LogoForm(),
        },
    )


@login_required
@require_safe
def after_login(request: HttpRequest) -> HttpResponse:
    """Where a login without ?next= lands: managers go straight to their partners."""
    if request.user.managed_actors.exists():
        return redirect("partners_start")
    return redirect("home")


@login_required
@require_safe
def my_organisations(request: HttpRequest) -> HttpResponse:
    actors = request.user.managed_actors.order_by("name")
    requests = list(join_requests_of(user=request.user))
    # A manager of one organisation goes straight to it, unless a request of theirs waits or
    # was refused: then this page says so.
    open_news = any(join.status in (JoinStatus.PENDING, JoinStatus.REFUSED) for join in requests)
    if actors.count() == 1 and not open_news:
        return redirect(actors.first())
    return render(
        request,
        "directory/my_organisations.html",
        {
            "actors": actors,
            "join_requests": requests,
            "address_confirmed": address_confirmed(request.user),
        },
    )
