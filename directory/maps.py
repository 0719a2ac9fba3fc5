"""The directory on a map: the same filters as the list, over published profiles only.

The map page and its JSON both start from `map_filter`, so a filter means on the map exactly what
it means in the list (the list's `ActorFilter`, one rule). Only published profiles are drawn, for
every visitor: the map is the public face of the directory, and a curator's drafts stay in the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import QueryDict
from django.urls import reverse

from directory.filters import ActorFilter
from directory.models import Actor, Kind, Region
from directory.places import place_label

# Markers drawn at most. Leaflet.markercluster draws 10,000 markers in well under a second and the
# JSON is ~1.5 MB before compression (docs/performance.md, bench/bench_map.py); beyond that the
# page says how many are left out and asks for a narrower filter.
MAP_POINTS_MAX = 10_000

_SLUG_MARK = "actor-slug-mark"


@dataclass(frozen=True)
class MapCounts:
    matching: int  # published actors the filters select
    located: int  # of which have coordinates
    shown: int  # of which the map draws (at most the limit)

    @property
    def unlocated(self) -> int:
        return self.matching - self.located

    @property
    def truncated(self) -> bool:
        return self.shown < self.located


def map_filter(*, params: QueryDict) -> ActorFilter:
    """The directory's filters, over the published profiles."""
    return ActorFilter(params, queryset=Actor.objects.published())


_LOCATED = Q(latitude__isnull=False, longitude__isnull=False)


def map_counts(*, queryset: QuerySet, limit: int = MAP_POINTS_MAX) -> MapCounts:
    counts = queryset.order_by().aggregate(
        matching=Count("pk"), located=Count("pk", filter=_LOCATED)
    )
    located = counts["located"]
    return MapCounts(matching=counts["matching"], located=located, shown=min(located, limit))


def map_points(*, queryset: QuerySet, language: str, limit: int = MAP_POINTS_MAX) -> dict:
    """The located actors of `queryset` as the map draws them, with the counts: name, Korean
    name, kind and place in `language`, the profile's address and the coordinates. Nothing
    else of a profile, and never its contact persons."""
    counts = map_counts(queryset=queryset, limit=limit)
    # Floats straight from the database: 20,000 Decimals cost a tenth of a second at 10k actors.
    rows = (
        queryset.filter(_LOCATED)
        .annotate(lat=Cast("latitude", FloatField()), lon=Cast("longitude", FloatField()))
        .values_list(
            "name", "name_ko", "slug", "kind", "city", "country", "region_id", "lat", "lon"
        )
    )[:limit]
    kinds = {code: str(label) for code, label in Kind.choices}
    regions = {region.pk: region for region in Region.objects.all()} if counts.shown else {}
    profile_url = reverse("actor_detail", args=[_SLUG_MARK])
    places: dict[tuple, str] = {}
    actors = []
    for name, name_ko, slug, kind, city, country, region_id, latitude, longitude in rows:
        key = (city, country, region_id)
        if key not in places:
            where = SimpleNamespace(city=city, country=country, region=regions.get(region_id))
            places[key] = place_label(where, language=language)
        actors.append(
            {
                "name": name,
                "name_ko": name_ko,
                "kind": kinds.get(kind, kind),
                "place": places[key],
                "url": profile_url.replace(_SLUG_MARK, slug),
                "lat": latitude,
                "lon": longitude,
            }
        )
    return {
        "matching": counts.matching,
        "located": counts.located,
        "unlocated": counts.unlocated,
        "shown": counts.shown,
        "truncated": counts.truncated,
        "actors": actors,
    }


__all__ = ["MAP_POINTS_MAX", "MapCounts", "map_counts", "map_filter", "map_points"]
