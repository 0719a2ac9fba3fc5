"""The kinds of job the project knows, registered by the apps that own the work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings

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


# The language the person who queued a job was reading the site in, kept with its params (the
# job's record has no column of its own for it): the job writes its words in that language.
LANGUAGE_PARAM = "_language"

# Which language a person chose, told by the app that stores it (notifications), since this
# app sits below it: for a job queued without a language (before there was one to keep).
_language_of: Callable[[Any], str] | None = None


def set_language_of(resolver: Callable[[Any], str]) -> None:
    """Say how to find a person's language, so that a job's words (its progress, result and
    error) are written in the language of the person who started it."""
    global _language_of  # noqa: PLW0603 - one resolver for the process, set once at start-up
    _language_of = resolver


def author_language(job: Job) -> str:
    """The language a job writes in: its author's when they queued it, or the site's default
    for work nobody started (periodic work, e-mails)."""
    if job.created_by_id is None:
        return settings.LANGUAGE_CODE
    kept = job.params.get(LANGUAGE_PARAM) if isinstance(job.params, dict) else None
    if kept in {code for code, _name in settings.LANGUAGES}:
        return kept
    if _language_of is None:
        return settings.LANGUAGE_CODE
    return _language_of(job.created_by)


def kind_named(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No job kind named {name!r} is registered") from None
