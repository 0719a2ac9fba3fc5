"""Work that comes round on its own (reminders, digests, search alerts, stalled jobs).

Each periodic entry is a job kind run every so often. `run_due` is called by every worker
(`manage.py worker`) about once a minute, or by cron through `manage.py run_periodic`; the
compare-and-set on `PeriodicRun.next_due_at` makes one caller start each due entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from jobs.models import PeriodicRun
from jobs.runner import enqueue, recover_stalled, redeliver_lost


@dataclass(frozen=True)
class Periodic:
    name: str
    kind: str
    title: str
    every: timedelta


_PERIODIC: dict[str, Periodic] = {}


def register_periodic(*, name: str, kind: str, title: str, every: timedelta) -> None:
    _PERIODIC[name] = Periodic(name=name, kind=kind, title=title, every=every)


def registered() -> list[Periodic]:
    return sorted(_PERIODIC.values(), key=lambda p: p.name)


def _claim(entry: Periodic, now: datetime) -> bool:
    row, _ = PeriodicRun.objects.get_or_create(name=entry.name, defaults={"next_due_at": now})
    # Due later than one period from now: only a clock that was once set ahead could have
    # written that, and waiting for it would stop reminders and alerts silently until then.
    if now < row.next_due_at <= now + entry.every:
        return False
    # Only the caller whose update still sees the old due time starts the job.
    return bool(
        PeriodicRun.objects.filter(pk=row.pk, next_due_at=row.next_due_at).update(
            last_started_at=now, next_due_at=now + entry.every
        )
    )


def run_due(*, now: datetime | None = None) -> list[str]:
    """Queue every periodic job that is due, and put stalled jobs back in the queue. Returns
    the names queued."""
    now = now or timezone.now()
    recover_stalled(now=now)
    redeliver_lost(now=now)
    started = []
    for entry in registered():
        if _claim(entry, now):
            enqueue(
                kind=entry.kind,
                title=entry.title,
                params={"due": now.isoformat()},
                dedupe_key=f"periodic:{entry.name}",
            )
            started.append(entry.name)
    return started
