"""The kinds of message, registered by the apps that send them; preferences and unsubscribe
links name a kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    key: str
    # "Your profile edits approved or rejected": a lazy translation, so that the settings page
    # and each e-mail's footer show it in the reader's language.
    label: str | Promise
    audience: str  # "managers", "curators", "organisers", "everyone"
    email_by_default: bool = True


_KINDS: dict[str, Kind] = {}
# Who belongs to an audience ("curators": is_curator), told by the app that knows roles
# (directory), since this app sits below it. An audience without a check includes everyone.
_AUDIENCES: dict[str, Callable[[object], bool]] = {}


def register(
    key: str, *, label: str | Promise, audience: str, email_by_default: bool = True
) -> None:
    _KINDS[key] = Kind(key=key, label=label, audience=audience, email_by_default=email_by_default)


def get(key: str) -> Kind | None:
    return _KINDS.get(key)


def all_kinds() -> list[Kind]:
    # str(): a lazy label sorts in the language it is read in.
    return sorted(_KINDS.values(), key=lambda k: (k.audience, str(k.label)))


def register_audience(audience: str, *, includes: Callable[[object], bool]) -> None:
    """Say who belongs to `audience`, so that the settings page offers a person only the
    kinds meant for them. Called from the AppConfig.ready() of the app that knows roles."""
    _AUDIENCES[audience] = includes


def in_audience(user, audience: str) -> bool:
    check = _AUDIENCES.get(audience)
    return check is None or bool(check(user))
