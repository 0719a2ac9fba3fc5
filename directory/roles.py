"""Who a user is to the product: curator, organiser. The one place that decides it.

Kept apart from permissions.py so that models (which permissions imports) can ask too.
"""

from __future__ import annotations

CURATORS_GROUP = "Curators"
ORGANISERS_GROUP = "Organisers"


def _in_group(user, name: str) -> bool:
    # Asked several times per page (menu, view, queryset): the user's groups are read once
    # and remembered on the user object, which lives for one request.
    names = user.__dict__.get("_clustermatch_groups")
    if names is None:
        names = user.__dict__["_clustermatch_groups"] = frozenset(
            user.groups.values_list("name", flat=True)
        )
    return name in names


def is_curator(user) -> bool:
    """A curator is an active member of the Curators group, or a superuser. Being staff only
    opens the admin site; it gives no curator power on its own."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser or _in_group(user, CURATORS_GROUP))


def is_organiser(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser or _in_group(user, ORGANISERS_GROUP))
