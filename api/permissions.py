"""Who may read what through the API: the site's own rules, answered the API's way.

Anonymous requests to an endpoint that needs a login get 401. A logged-in user who may not
see a ranking or an event gets the same 404 as for a slug that does not exist, so the API,
like the site, tells outsiders nothing about which actors or events exist or who runs them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated

from events.access import can_organise
from matching.permissions import can_rank_for

RANKING_NOT_FOUND = _("No actor with this slug among the ones you may rank partners for.")
EVENT_NOT_FOUND = _("No event with this slug among the ones you organise.")


class CanRankFor(IsAuthenticated):
    """The actor's managers and curators (`matching.permissions.can_rank_for`)."""

    def has_object_permission(self, request, view, obj) -> bool:
        if not can_rank_for(request.user, obj):
            raise NotFound(RANKING_NOT_FOUND)
        return True


class OrganisesEvent(IsAuthenticated):
    """The event's organisers (`events.access.can_organise`)."""

    def has_object_permission(self, request, view, obj) -> bool:
        if not can_organise(request.user, obj):
            raise NotFound(EVENT_NOT_FOUND)
        return True
