"""Read-only queries the pages need."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from directory.models import (
    Actor,
    ContactPerson,
    Sector,
    Side,
)
from directory.revision_cache import directory_cached
from directory.rules import is_published


def directory_counts() -> dict:
    """Counts of published actors by side, kind and sector for the home page, labelled in the
    reader's language. The figures are kept in the cache for the directory as it is
    (directory_cached): three scans of every actor on each visit of the home page
    were most of its time."""
    figures = directory_cached("home-counts", _count_figures)
    by_side = figures["by_side"]
    return {
        "total": sum(by_side.values()),
        "eu": by_side.get(Side.EU, 0),
        "kr": by_side.get(Side.KR, 0),
        "by_kind": [
            {"code": code, "label": Actor(kind=code).get_kind_display(), "count": n}
            for code, n in figures["by_kind"]
        ],
        "by_sector": figures["by_sector"],
    }


def _count_figures() -> dict:
    published = Actor.objects.published()
    by_side: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    # One pass over the actors for both.
    for side, kind, n in published.values_list("side", "kind").annotate(n=Count("id")).order_by():
        by_side[side] = by_side.get(side, 0) + n
        by_kind[kind] = by_kind.get(kind, 0) + n
    sectors = (
        Sector.objects.annotate(
            eu=Count("actors", filter=Q(actors__status="published", actors__side=Side.EU)),
            kr=Count("actors", filter=Q(actors__status="published", actors__side=Side.KR)),
        )
        .annotate(total=Count("actors", filter=Q(actors__status="published")))
        .filter(total__gt=0)
        .order_by("-total", "label")
    )
    return {
        "by_side": by_side,
        "by_kind": sorted(by_kind.items(), key=lambda item: (-item[1], item[0])),
        "by_sector": list(sectors[:16]),
    }


def actor_list_queryset(*, base: QuerySet) -> QuerySet:
    return base.select_related("region", "parent").prefetch_related("sectors")


def actor_detail(*, actor: Actor, with_contacts: bool, with_drafts: bool = False) -> dict:
    """What the profile page shows. The parent and the members are shown only when the visitor
    may see them: a draft parent's name is curators' working material like the rest of it."""
    children = actor.children.all() if with_drafts else actor.children.published()
    parent = actor.parent if actor.parent_id else None
    if parent is not None and not (with_drafts or is_published(parent.status)):
        parent = None
    context = {
        "actor": actor,
        "parent": parent,
        "children": children.order_by("kind", "name"),
        "sectors": actor.sectors.all(),
        "offers": actor.offers.all(),
        "seeks": actor.seeks.all(),
        "contacts": actor.contacts.all() if with_contacts else ContactPerson.objects.none(),
    }
    return context


__all__ = ["actor_detail", "actor_list_queryset", "directory_counts"]
