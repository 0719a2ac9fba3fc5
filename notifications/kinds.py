"""The kinds of message, registered by the apps that send them; preferences and unsubscribe
links name a kind."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # "Your profile edits approved or rejected"
    audience: str  # "managers", "curators", "organisers", "everyone"
    email_by_default: bool = True


_KINDS: dict[str, Kind] = {}


def register(key: str, *, label: str, audience: str, email_by_default: bool = True) -> None:
    _KINDS[key] = Kind(key=key, label=label, audience=audience, email_by_default=email_by_default)


def get(key: str) -> Kind | None:
    return _KINDS.get(key)


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: (k.audience, k.label))
