"""Who may see and change an event. Outsiders get 404 so they learn nothing."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from directory.models import Actor
from directory.permissions import User, is_organiser
from events.models import Event, Participant


def can_create_event(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and is_organiser(user))


def can_organise(user: User, event: Event) -> bool:
    """Organisers of this event (and superusers); organisers of other events are outsiders."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or event.organisers.filter(pk=user.pk).exists()


def organised_events(user: User) -> QuerySet[Event]:
    """The events `user` may organise: the same rule as `can_organise`, for many at once."""
    if not user.is_authenticated or not user.is_active:
        return Event.objects.none()
    if user.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(organisers=user)


def managed_actors(user: User) -> QuerySet[Actor]:
    if not user.is_authenticated or not user.is_active:
        return Actor.objects.none()
    return Actor.objects.filter(managers=user)


def can_act_for(user: User, participant: Participant, *, organiser: bool | None = None) -> bool:
    """The participant's own managers and the event's organisers.

    `organiser` is `can_organise(user, participant.event)` when the caller has it already.
    """
    if organiser is None:
        organiser = can_organise(user, participant.event)
    return organiser or managed_actors(user).filter(pk=participant.actor_id).exists()


def visible_events(user: User) -> QuerySet[Event]:
    """Events this user organises, takes part in, or may register for."""
    if not user.is_authenticated or not user.is_active:
        return Event.objects.none()
    if user.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(
        Q(organisers=user)
        | Q(participants__actor__in=managed_actors(user))
        | Q(registration_open=True)
    ).distinct()


def get_event_for_viewer(user: User, slug: str) -> Event:
    return get_object_or_404(visible_events(user), slug=slug)


def get_event_for_organiser(user: User, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not can_organise(user, event):
        raise Http404("No such event among the ones you organise.")
    return event


def get_participant_for(
    user: User, event: Event, pk: int, *, organiser: bool | None = None
) -> Participant:
    """A participant `user` may act for; `organiser` as in `can_act_for`."""
    participant = get_object_or_404(
        Participant.objects.select_related("actor", "event"), event=event, pk=pk
    )
    if not can_act_for(user, participant, organiser=organiser):
        raise Http404("No such participant among the ones you manage.")
    return participant
