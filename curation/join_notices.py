"""What curation tells a person about their join request: approved (they now manage the
profile) or refused, with the curator's reason. Sent once the decision is saved
(`transaction.on_commit`), once per request, in the person's language."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import JoinKind, JoinRequest, JoinStatus
from directory.notices import render
from notifications.kinds import register
from notifications.language import in_language_of
from notifications.service import notify

JOIN_DECIDED = "curation.join_decided"


def register_kinds() -> None:
    # "everyone": the person asking manages nothing yet.
    register(
        JOIN_DECIDED,
        label=gettext_lazy("Your requests to manage or register an organisation decided"),
        audience="everyone",
    )


def join_decided(*, join: JoinRequest) -> None:
    join_id = join.pk
    transaction.on_commit(lambda: _join_decided(join_id=join_id), robust=True)


def _join_decided(*, join_id: int) -> None:
    join = (
        JoinRequest.objects.select_related("user", "actor", "reviewer")
        .filter(pk=join_id, status__in=[JoinStatus.APPROVED, JoinStatus.REFUSED])
        .first()
    )
    if join is None or join.user_id == join.reviewer_id:
        return
    approved = join.status == JoinStatus.APPROVED
    claim = join.kind == JoinKind.CLAIM
    name = join.actor.name if join.actor else join.proposed.get("name", "")
    with in_language_of(join.user):
        if approved and claim:
            subject = _("You are now a manager of %(name)s")
        elif approved:
            subject = _("Your registration of %(name)s was approved")
        elif claim:
            subject = _("Your request to manage %(name)s was refused")
        else:
            subject = _("Your registration of %(name)s was refused")
        context = {
            "approved": approved,
            "claim": claim,
            "name": name,
            "reason": join.reason.strip(),
        }
        link = (
            join.actor.get_absolute_url()
            if approved and join.actor
            else reverse("join_request", args=[join.pk])
        )
        notify(
            recipient=join.user,
            kind=JOIN_DECIDED,
            subject=subject % {"name": name},
            body=render("join_decided", context, app="curation"),
            link=link,
            dedupe_key=f"{JOIN_DECIDED}:{join.pk}",
        )
