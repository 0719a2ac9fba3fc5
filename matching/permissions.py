from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from directory.models import Actor
from directory.permissions import User, is_curator


def can_rank_for(user: User, actor: Actor) -> bool:
    """Rankings are for the actor's own managers and for curators."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_curator(user) or actor.managers.filter(pk=user.pk).exists()


def get_actor_for_ranking(user: User, slug: str) -> Actor:
    actor = get_object_or_404(Actor, slug=slug)
    if not can_rank_for(user, actor):
        raise Http404("No ranking for this actor among the ones you manage.")
    return actor
