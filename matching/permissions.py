from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from directory.models import Actor
from directory.permissions import User, is_curator


def can_rank_for(user: User, actor: Actor) -> bool:
    """Rankings are for the actor's own managers and for curators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_curator(user):
        return True
    # Read with the actor by `get_actor_for_ranking` (one query less per ranking page).
    manages = actor.__dict__.get("managed_by_user")
    if manages is None:
        manages = actor.managers.filter(pk=user.pk).exists()
    return bool(manages)


def get_actor_for_ranking(user: User, slug: str) -> Actor:
    actors = Actor.objects.all()
    if user.is_authenticated:
        managers = Actor.managers.through.objects.filter(actor_id=OuterRef("pk"), user_id=user.pk)
        actors = actors.annotate(managed_by_user=Exists(managers))
    actor = get_object_or_404(actors, slug=slug)
    if not can_rank_for(user, actor):
        raise Http404("No ranking for this actor among the ones you manage.")
    return actor
