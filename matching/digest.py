"""The weekly digest: the candidates that entered an organisation's top matches.

Each organisation with managers has a `DigestState`: the candidates in its top ten at the last
run, by matching's own ranking (the Find partners page's default settings, candidates it set
aside left out). A run compares today's top ten with it and tells every manager about the
newcomers, with the ranking's reason for each; nothing is sent when nothing is new. The first
run for an organisation records its top ten only. A run that is repeated finds the state it
left and sends nothing again. Each manager's digest is ranked and written in their language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from directory.models import Actor
from matching.explain import explanation
from matching.models import DigestState
from matching.ranking import RankingRow, actor_ranking, reader_labels

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
    from notifications.language import in_language_of
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
        managers = actor.managers.filter(is_active=True).select_related("language_choice")
        for manager in managers.order_by("pk"):
            with in_language_of(manager):
                subject, body = _digest_message(
                    recipient=manager,
                    actor=actor,
                    rows=_in_active_language(newcomers),
                    since=previous,
                    link=site_url(link),
                )
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


def _in_active_language(rows: list[RankingRow]) -> list[RankingRow]:
    """The same newcomers with their reasons written again in the active language: the rows
    were ranked once, in whatever language the job runs in, and each match keeps what its
    reason is made of."""
    labels = reader_labels()
    return [
        replace(row, sentence=explanation(row.match, labels=labels), labels=labels) for row in rows
    ]


def _digest_message(
    *, recipient, actor: Actor, rows: list[RankingRow], since: dt.datetime, link: str
) -> tuple[str, str]:
    """The subject and body of one manager's digest, in the active language."""
    subject = ngettext(
        "%(count)d new candidate in the top %(top)d for %(name)s",
        "%(count)d new candidates in the top %(top)d for %(name)s",
        len(rows),
    ) % {"count": len(rows), "top": DIGEST_TOP, "name": actor.name}
    body = render_to_string(
        "matching/notifications/digest.txt",
        {
            "recipient": recipient,
            "actor": actor,
            "rows": rows,
            "top": DIGEST_TOP,
            "since": since,
            "link": link,
        },
    ).strip()
    return subject, body


def weekly_digest(*, job=None, params=None, progress=None) -> dict:
    """The periodic job: the digest for every organisation with managers."""
    ids = digest_actors()
    sent = 0
    for done, actor_id in enumerate(ids, start=1):
        if digest_for_actor(actor_id=actor_id):
            sent += 1
        if progress is not None:
            progress(done, len(ids), _("Organisations checked"))
    return {
        "summary": _("Organisations checked: %(checked)d. Digests with news: %(sent)d.")
        % {"checked": len(ids), "sent": sent}
    }


def register() -> None:
    """The digest's kind of message, its job and its weekly run (from `AppConfig.ready`)."""
    from jobs.periodic import register_periodic
    from jobs.registry import register as register_job
    from notifications import kinds

    kinds.register(
        DIGEST_KIND,
        label=gettext_lazy("Weekly digest: new actors in your organisation's top matches"),
        audience="managers",
    )
    register_job("matching.digest", weekly_digest)
    register_periodic(
        name="matching.weekly_digest",
        kind="matching.digest",
        title=gettext_lazy("Weekly digest of new top matches"),
        every=dt.timedelta(days=7),
    )
