"""The kinds of job the project knows, registered by the apps that own the work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from jobs.models import Job


class Progress(Protocol):
    def __call__(self, done: int, total: int = 0, label: str = "") -> None: ...


# handler(job=..., params=..., progress=...) -> result shown when the job is done
Handler = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler
    max_attempts: int


_KINDS: dict[str, JobKind] = {}


def register(name: str, handler: Handler, *, max_attempts: int = 3) -> None:
    """Make `name` runnable. Called from an app's `AppConfig.ready()`; registering the same
    name twice replaces it (tests reload apps)."""
    _KINDS[name] = JobKind(name=name, handler=handler, max_attempts=max_attempts)


def kind_of(job: Job) -> JobKind | None:
    return _KINDS.get(job.kind)


def kind_named(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No job kind named {name!r} is registered") from None
