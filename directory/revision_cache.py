"""Values computed from the directory, kept in Django's cache until the directory changes.

The key carries the directory's revision, the counter the database bumps on every change to
actors, their links, sectors, interests, regions and partnerships (`DirectoryRevision`), so a
change shows on the next request, whatever path made it. The ranking index trusts the same
counter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from directory.models import directory_revision

T = TypeVar("T")

# A day: the revision is what keeps values current; the timeout only frees what is unused.
KEEP_SECONDS = 24 * 3600


def directory_cached(name: str, compute: Callable[[], T]) -> T:
    """`compute()` for the directory as it is now, computed once per revision and `name`
    (which must name the language too when the value holds words)."""
    key = f"directory:{name}:{directory_revision()}"
    value = cache.get(key)
    if value is None:
        # The revision is read first: whatever `compute` reads is at least that revision, so
        # a change committed meanwhile is never kept under the older number.
        value = compute()
        cache.set(key, value, KEEP_SECONDS)
    return value
