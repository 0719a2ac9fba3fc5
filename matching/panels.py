"""What matching shows on a directory profile: the way to the ranking and the best matches."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from directory.models import Actor
from directory.panels import actor_panel_register
from matching.permissions import can_rank_for
from matching.ranking import actor_ranking

TOP_MATCHES_ON_PROFILE = 5


def find_partners_button(*, request: HttpRequest, actor: Actor) -> str:
    if not can_rank_for(request.user, actor):
        return ""
    return render_to_string("matching/panels/find_partners.html", {"actor": actor}, request)


def top_matches(*, request: HttpRequest, actor: Actor) -> str:
    # Rankings read contact-free public data, but only signed-in users see them on a profile.
    if not request.user.is_authenticated:
        return ""
    items = actor_ranking(
        actor=actor,
        top=TOP_MATCHES_ON_PROFILE,
        explain=TOP_MATCHES_ON_PROFILE,
        # What the organisation set aside is its own business: only its managers (and
        # curators) see their ranking without it.
        hide_set_aside=can_rank_for(request.user, actor),
    )
    return render_to_string(
        "matching/panels/top_matches.html", {"actor": actor, "top_matches": items}, request
    )


def register() -> None:
    actor_panel_register(slot="actions", panel=find_partners_button)
    actor_panel_register(slot="main", panel=top_matches)
