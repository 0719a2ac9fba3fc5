"""The per-process ranking index, built from the directory and rebuilt only when it changes.

`current_index()` compares the directory's revision counter (bumped by database triggers on
every change, see `DirectoryRevision`) with the revision the cached index was built from.
Nothing is refitted per query: a stale index is rebuilt once per change, in a background
thread while the previous index keeps answering; only a process's very first ranking builds
while the request waits.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django_countries import countries

from directory.models import (
    Actor,
    Interest,
    Partnership,
    Region,
    Sector,
    Status,
    directory_revision,
)
from matching.engine import MatchIndex, Profile, build_index
from matching.profiles import ProfileParts, profile_from
from matching.profiles import own_words as parts_own_words

log = logging.getLogger(__name__)


def website_host(url: str) -> str:
    return (urlsplit(url).hostname or "") if url else ""


def actor_parts(actor: Actor, *, sectors=frozenset(), offers=frozenset(), seeks=frozenset()):
    """One actor as the engine reads it (`ProfileParts`)."""
    return ProfileParts(
        key=actor.id,
        slug=actor.slug,
        name=actor.name,
        side=actor.side,
        kind=actor.kind,
        region=actor.region.code if actor.region else "",
        acronym=actor.acronym,
        city=actor.city,
        website_host=website_host(actor.website),
        description=actor.description,
        keywords=actor.keywords,
        sectors=frozenset(sectors),
        offers=frozenset(offers),
        seeks=frozenset(seeks),
        published=actor.status == Status.PUBLISHED,
    )


def own_words(actor: Actor) -> str:
    """The words that name the actor: name, acronym, city, website host."""
    return parts_own_words(actor_parts(actor))


def directory_parts(*, progress: Callable[[int, int], None] | None = None) -> list[ProfileParts]:
    """Every actor (any status) as the engine reads it; drafts can be ranked, never
    recommended."""
    sectors = dict(Sector.objects.values_list("id", "code"))
    interests = dict(Interest.objects.values_list("id", "code"))
    links: dict[str, dict[int, set[str]]] = {"sectors": {}, "offers": {}, "seeks": {}}
    for name, table, lookup, codes in (
        ("sectors", Actor.sectors.through, "sector_id", sectors),
        ("offers", Actor.offers.through, "interest_id", interests),
        ("seeks", Actor.seeks.through, "interest_id", interests),
    ):
        for actor_id, other_id in table.objects.values_list("actor_id", lookup).iterator():
            links[name].setdefault(actor_id, set()).add(codes[other_id])
    total = Actor.objects.count()
    parts = []
    rows = Actor.objects.select_related("region").only(
        "id", "slug", "name", "acronym", "side", "kind", "status", "description", "keywords",
        "city", "website", "region__code",
    )  # fmt: skip
    for done, actor in enumerate(rows.order_by("id").iterator(chunk_size=2000), start=1):
        parts.append(
            actor_parts(
                actor,
                sectors=links["sectors"].get(actor.id, ()),
                offers=links["offers"].get(actor.id, ()),
                seeks=links["seeks"].get(actor.id, ()),
            )
        )
        if progress and (done % 1000 == 0 or done == total):
            progress(done, total)
    return parts


def directory_profiles(*, progress: Callable[[int, int], None] | None = None) -> list[Profile]:
    """Every actor (any status) as an engine profile."""
    labels = taxonomy_labels()
    return [profile_from(p, **labels) for p in directory_parts(progress=progress)]


def taxonomy_labels() -> dict[str, dict[str, str]]:
    return {
        "sector_labels": dict(Sector.objects.values_list("code", "label")),
        "interest_labels": dict(Interest.objects.values_list("code", "label")),
    }


def index_build(
    *,
    progress: Callable[[int, int], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> MatchIndex:
    """Read the directory and build its index; `progress` counts actors read, `stage` names
    the build steps (for `manage.py build_index`)."""
    version = directory_revision()
    labels = taxonomy_labels()
    profiles = directory_profiles(progress=progress)
    return build_index(
        profiles,
        version=version,
        progress=stage,
        # Known partnerships: the peer component reads them (their table bumps the revision).
        links=Partnership.objects.values_list("first_id", "second_id"),
        # Taxonomy labels (named as such in the reasons) and places: cities and countries say
        # where an actor is, not what it does.
        quiet_words=[
            *labels["sector_labels"].values(),
            *labels["interest_labels"].values(),
            *Actor.objects.exclude(city="").values_list("city", flat=True).distinct(),
            *Region.objects.values_list("name", flat=True),
            # Other organisations named in a text ("Biocat" between BioXClusters and Chuncheon):
            # every acronym, and every name made of one word.
            *Actor.objects.exclude(acronym="").values_list("acronym", flat=True).distinct(),
            *(p.name for p in profiles if len(p.name.split()) == 1),
            *(name for _code, name in countries),
        ],
        **labels,
    )


class IndexHolder:
    """Holds this process's index; at most one rebuild runs at a time."""

    def __init__(self) -> None:
        self._index: MatchIndex | None = None
        self._lock = threading.Lock()
        self._rebuilding: threading.Thread | None = None
        self.builds = 0

    def clear(self) -> None:
        with self._lock:
            self._index = None

    def get(self, *, background: bool | None = None) -> MatchIndex:
        if background is None:
            background = getattr(settings, "MATCHING_REBUILD_IN_BACKGROUND", True)
        version = directory_revision()
        index = self._index
        if index is not None and index.version == version:
            return index
        if index is None or not background:
            self.wait()  # a rebuild already under way may be the fresh index we need
            with self._lock:
                if self._index is None or self._index.version != version:
                    self._index = index_build()
                    self.builds += 1
                return self._index
        self._refresh_in_background()
        return index

    def _refresh_in_background(self) -> None:
        with self._lock:
            if self._rebuilding is not None and self._rebuilding.is_alive():
                return
            self._rebuilding = threading.Thread(
                target=self._rebuild, name="match-index-rebuild", daemon=True
            )
            self._rebuilding.start()

    def _rebuild(self) -> None:
        try:
            fresh = index_build()
            with self._lock:
                self._index = fresh
                self.builds += 1
        except Exception:  # pragma: no cover - logged, the old index keeps serving
            log.exception("rebuilding the ranking index failed")
        finally:
            connection.close()  # this thread's own connection

    def wait(self, timeout: float | None = 30) -> None:
        thread = self._rebuilding
        if thread is not None:
            thread.join(timeout)


holder = IndexHolder()


def current_index() -> MatchIndex:
    return holder.get()


def fresh_index_for(*, actor_ids: Iterable[int]) -> MatchIndex:
    """An index that knows every one of `actor_ids`, rebuilt first if one is missing."""
    index = current_index()
    if any(a not in index.position for a in actor_ids):
        # An actor newer than the index the background rebuild is still making: answering
        # from the old index would score it 0 or fail, so wait for the fresh one instead.
        index = holder.get(background=False)
    return index
