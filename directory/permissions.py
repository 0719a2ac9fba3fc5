"""Who may see and change what. Every view asks here rather than deciding for itself."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from directory.models import Actor
from directory.roles import CURATORS_GROUP, ORGANISERS_GROUP, is_curator, is_organiser

__all__ = ["CURATORS_GROUP", "ORGANISERS_GROUP", "is_curator", "is_organiser"]

User = AbstractBaseUser | AnonymousUser


def curator_required(view):
    """Curators only; everyone else gets 404 so the pages' existence is not advertised
    (anonymous visitors are sent to log in first)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_curator(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


def can_see_contacts(user: User) -> bool:
    # Contact persons are personal data: never for anonymous visitors.
    return bool(user.is_authenticated and user.is_active)


def can_edit_actor(user: User, actor: Actor) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_curator(user):
        return True
    # A manager of a Korean actor edits it as a European manager does (the demo has one).
    return actor.managers.filter(pk=user.pk).exists()


def get_actor_for_viewer(user: User, slug: str) -> Actor:
    actor = Actor.objects.visible_to(user).filter(slug=slug).first()
    if actor is None and getattr(user, "is_authenticated", False) and user.is_active:
        # A registration approved as a draft: its managers see the page they edit.
        actor = user.managed_actors.filter(slug=slug).first()
    if actor is None:
        raise Http404("No such profile.")
    return actor


def get_actor_for_editor(user: User, slug: str) -> Actor:
    """The actor, if this user may edit it; 404 otherwise, so outsiders learn nothing."""
    actor = get_object_or_404(Actor, slug=slug)
    if not can_edit_actor(user, actor):
        raise Http404("No such profile among the ones you manage.")
    return actor
