"""Curators' decisions on join requests (sent through `directory.joining`).

Approving a claim makes the person a manager of the actor. Approving a registration first
writes the proposed organisation as a draft actor (the curator completes and publishes it in
the admin, where the publishing rule applies as always), then makes the person its manager.
Refusing needs a reason, which the person reads. Each decision locks the request: a second
curator, or a second click, finds it decided and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from common.history import history_attribute
from common.text import validate_storable
from curation.join_notices import join_decided
from directory.joining import already_decided
from directory.models import (
    Actor,
    Interest,
    JoinKind,
    JoinRequest,
    JoinStatus,
    Region,
    Sector,
    Status,
)
from notifications.language import in_language_of

REASON_MAX = 2000
SLUG_MAX = Actor._meta.get_field("slug").max_length


def _locked(join_id: int) -> JoinRequest:
    try:
        return JoinRequest.objects.select_for_update().select_related("user").get(pk=join_id)
    except JoinRequest.DoesNotExist:
        raise ValidationError(
            _("This request no longer exists: the profile it was about was deleted."),
            code="gone",
        ) from None


def _free_slug(name: str) -> str:
    base = slugify(unidecode(name))[: SLUG_MAX - 4].strip("-") or "organisation"
    slug, n = base, 1
    while Actor.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def actor_from_proposal(*, join: JoinRequest, reviewer) -> Actor:
    """The draft actor a registration proposes, as the person wrote it. A region deleted
    meanwhile is left empty and a sector gone is left out: the curator completes the draft."""
    proposed = join.proposed or {}
    actor = Actor(
        name=proposed.get("name", ""),
        name_ko=proposed.get("name_ko", ""),
        slug=_free_slug(proposed.get("name", "")),
        side=proposed.get("side", ""),
        country=proposed.get("country", ""),
        region=Region.objects.filter(code=proposed.get("region") or "").first(),
        city=proposed.get("city", ""),
        kind=proposed.get("kind", ""),
        website=proposed.get("website", ""),
        description=proposed.get("description", ""),
        description_ko=proposed.get("description_ko", ""),
        status=Status.DRAFT,
        # In English like every source: a curator replaces it with the documents they check.
        # No username: the sources are public once the profile is published, and a username
        # is often the person's e-mail address before the @.
        source=f"Registration request {join.pk} by its manager",
    )
    history_attribute(actor, user=reviewer, reason=f"registered by {join.user.get_username()}")
    actor.full_clean()
    actor.save()
    actor.sectors.set(Sector.objects.filter(code__in=proposed.get("sectors") or []))
    actor.offers.set(Interest.objects.filter(code__in=proposed.get("offers") or []))
    actor.seeks.set(Interest.objects.filter(code__in=proposed.get("seeks") or []))
    return actor


def join_approve(*, join_id: int, reviewer, note: str = "") -> JoinRequest:
    """Approve the request: the person manages the actor (a new draft one for a
    registration). Raises ValidationError when it was decided, withdrawn or deleted meanwhile,
    or when the proposal no longer makes a valid profile (nothing changes)."""
    validate_storable(note or "")
    with transaction.atomic():
        join = _locked(join_id)
        if join.status != JoinStatus.PENDING:
            raise ValidationError(already_decided(join=join), code="decided")
        if join.kind == JoinKind.REGISTER:
            join.actor = actor_from_proposal(join=join, reviewer=reviewer)
        actor = join.actor
        if not actor.managers.filter(pk=join.user_id).exists():
            # The links are versioned with the actor only for sectors and interests; managers
            # are not, so no history record is written for this.
            actor.managers.add(join.user)
        join.status = JoinStatus.APPROVED
        join.reason = note.strip()[:REASON_MAX]
        join.reviewer, join.reviewed_at = reviewer, timezone.now()
        join.save(update_fields=["actor", "status", "reason", "reviewer", "reviewed_at"])
        join_decided(join=join)
    return join


def join_refuse(*, join_id: int, reviewer, reason: str) -> JoinRequest:
    """Refuse the request with a reason the person reads. Raises ValidationError without a
    reason, or when it was decided, withdrawn or deleted meanwhile."""
    if not (reason or "").strip():
        raise ValidationError(
            _("Tell the person why the request is refused: they will read the reason."),
            code="reason",
        )
    validate_storable(reason)
    with transaction.atomic():
        join = _locked(join_id)
        if join.status != JoinStatus.PENDING:
            raise ValidationError(already_decided(join=join), code="decided")
        join.status = JoinStatus.REFUSED
        join.reason = reason.strip()[:REASON_MAX]
        join.reviewer, join.reviewed_at = reviewer, timezone.now()
        join.save(update_fields=["status", "reason", "reviewer", "reviewed_at"])
        join_decided(join=join)
    return join


def join_requests_move(*, keep: Actor, remove: Actor) -> int:
    """Merge: the removed actor's requests follow it to the kept one, so that a waiting claim
    is still decided and a decided one stays in the person's list. A person who also waits on
    the kept actor keeps that claim; the other is withdrawn, with a reason they read. Returns
    how many were moved."""
    moved = 0
    for join in JoinRequest.objects.filter(actor=remove).select_related("user"):
        twin = (
            join.kind == JoinKind.CLAIM
            and join.status == JoinStatus.PENDING
            and JoinRequest.objects.filter(
                user_id=join.user_id, actor=keep, kind=JoinKind.CLAIM, status=JoinStatus.PENDING
            ).exists()
        )
        if twin:
            join.status = JoinStatus.WITHDRAWN
            # Written for the person, who reads it on their list, in their language.
            with in_language_of(join.user):
                join.reason = _(
                    "%(removed)s was merged into %(kept)s, which you had also asked to manage: "
                    "that request stands."
                ) % {"removed": remove.name, "kept": keep.name}
        join.actor = keep
        join.save(update_fields=["actor", "status", "reason"])
        moved += 1
    return moved
