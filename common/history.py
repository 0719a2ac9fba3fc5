"""Who and why, for the history records that django-simple-history writes on save."""

from __future__ import annotations

from typing import Any

# django-simple-history's history_change_reason column (max_length=100 in every history table).
CHANGE_REASON_MAX = 100


def history_attribute(instance: Any, *, user: Any, reason: str = "") -> Any:
    """Mark the next save of `instance` as done by `user`, for `reason`, and return it.

    The reason is cut to what the history column holds, so a long slug or message can never
    make a save fail.
    """
    instance._history_user = user
    if reason:
        instance._change_reason = reason[:CHANGE_REASON_MAX]
    return instance
