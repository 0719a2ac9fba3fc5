"""The weekly digest: the candidates that entered an organisation's top matches.

Each organisation with managers has a `DigestState`: the candidates in its top ten at the last
run, by matching's own ranking (the Find partners page's default settings, candidates it set
aside left out). A run compares today's top ten with it and tells every manager about the
newcomers, with the ranking's reason for each; nothing is sent when nothing is new. The first
run for an organisation records its top ten only. A run that is repeated finds the state it
left and sends nothing again.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.text import counted
from directory.models import Actor
from matching.models import DigestState
from matching.ranking import RankingRow, actor_ranking

DIGEST_KIND = "matching.digest"
DIGEST_TOP = 10


def digest_actors() -> list[int]:
    """The published organisations with at least one active manager."""
    return list(
        Actor.objects.published()
        .filter(managers__is_active=True)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def digest_for_actor(*, actor_id: int, now: dt.datetime | None = None) -> list[RankingRow]:
    """Run the digest for one organisation; returns the newcomers told about (none on the
    first run, which records the baseline)."""
    from notifications.service import notify, site_url

    now = now or timezone.now()
    actor = Actor.objects.filter(pk=actor_id).first()
    if actor is None:
        return []
    # Ranked outside the transaction: it reads the shared index, and may take a while.
    rows = actor_ranking(actor=actor, top=DIGEST_TOP, explain=DIGEST_TOP)
    top = [row.actor.pk for row in rows]
    with transaction.atomic():
        state = DigestState.objects.select_for_update().filter(actor=actor).first()
        if state is None:
            DigestState.objects.create(actor=actor, top=top, checked_at=now)
            return []
        previous, seen = state.checked_at, set(state.top)
        state.top, state.checked_at = top, now
        state.save(update_fields=["top", "checked_at"])
        newcomers = [row for row in rows if row.actor.pk not in seen]
        if not newcomers:
            return []
        link = reverse("partners", args=[actor.slug])
        subject = (
            f"{counted(len(newcomers), 'new candidate')} in the top {DIGEST_TOP} for {actor.name}"
        )
        for manager in actor.managers.filter(is_active=True).order_by("pk"):
            body = render_to_string(
                "matching/notifications/digest.txt",
                {
                    "recipient": manager,
                    "actor": actor,
                    "rows": newcomers,
                    "top": DIGEST_TOP,
                    "since": previous,
                    "link": site_url(link),
                },
            ).strip()
            notify(
                recipient=manager,
                kind=DIGEST_KIND,
                subject=subject,
                body=body,
                link=link,
                # One digest per run and organisation, even if the job runs twice.
                dedupe_key=f"digest:{actor.pk}:{previous.isoformat()}",
            )
    return newcomers


def weekly_digest(*, job=None, params=None, progress=None) -> dict:
    """The periodic job: the digest for every organisation with managers."""
    ids = digest_actors()
    sent = 0
    for done, actor_id in enumerate(ids, start=1):
        if digest_for_actor(actor_id=actor_id):
            sent += 1
        if progress is not None:
            progress(done, len(ids), "Organisations checked")
    return {
        "summary": f"{counted(len(ids), 'organisation')} checked, "
        f"{counted(sent, 'digest')} with news."
    }


def register() -> None:
    """The digest's kind of message, its job and its weekly run (from `AppConfig.ready`)."""
    from jobs.periodic import register_periodic
    from jobs.registry import register as register_job
    from notifications import kinds

    kinds.register(
        DIGEST_KIND,
        label="Weekly digest: new actors in your organisation's top matches",
        audience="managers",
    )
    register_job("matching.digest", weekly_digest)
    register_periodic(
        name="matching.weekly_digest",
        kind="matching.digest",
        title="Weekly digest of new top matches",
        every=dt.timedelta(days=7),
    )
