"""What the directory tells curators about joining: a person asks to manage a profile or to
register a new organisation. Sent once the request is saved (`transaction.on_commit`), once per
request, to each curator in their own language."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.kinds import register
from notifications.language import in_language_of
from notifications.service import notify

JOIN_WAITING = "directory.join_waiting"


def register_kinds() -> None:
    register(
        JOIN_WAITING,
        label=gettext_lazy("Requests to manage or register an organisation"),
        audience="curators",
    )


def join_waiting(*, join) -> None:
    join_id = join.pk
    transaction.on_commit(lambda: _join_waiting(join_id=join_id), robust=True)


def person_name(user) -> str:
    """How a person is named to curators: their full name and username."""
    full = user.get_full_name().strip()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def _join_waiting(*, join_id: int) -> None:
    # Imported here: joining imports this module for the function above.
    from directory.joining import join_evidence
    from directory.models import JoinKind, JoinRequest, JoinStatus
    from directory.notices import curators, render

    join = (
        JoinRequest.objects.select_related("user", "actor")
        .filter(pk=join_id, status=JoinStatus.PENDING)
        .first()
    )
    if join is None:
        return
    claim = join.kind == JoinKind.CLAIM
    organisation = join.actor.name if claim else join.proposed.get("name", "")
    for curator in curators(but=join.user):
        with in_language_of(curator):
            if claim:
                subject = _("%(person)s asks to manage %(name)s")
            else:
                subject = _("%(person)s asks to register %(name)s")
            context = {
                "claim": claim,
                "person": person_name(join.user),
                "name": organisation,
                "role": join.role,
                "evidence": join_evidence(join=join).words,
            }
            notify(
                recipient=curator,
                kind=JOIN_WAITING,
                subject=subject % {"person": person_name(join.user), "name": organisation},
                body=render("join_waiting", context),
                link=reverse("curation_join", args=[join.pk]),
                dedupe_key=f"{JOIN_WAITING}:{join.pk}",
            )
