"""Signed unsubscribe links: whoever holds the link may stop one kind of e-mail to one person,
without logging in (RFC 8058 one-click), and nothing else.

The token carries no date: an unsubscribe link in a year-old e-mail must still work, and the
same person and kind always get the same link.
"""

from __future__ import annotations

from django.core import signing

_SALT = "notifications.unsubscribe"


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SALT)


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return _signer().sign_object({"u": user_id, "k": kind}, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind), or None for a token that was not made here or was altered."""
    try:
        data = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind
