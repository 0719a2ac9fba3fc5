"""Time-zone names as people type them."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "'%(value)s' is not a time zone name such as Asia/Seoul or Europe/Brussels.",
            code="invalid_timezone",
            params={"value": value},
        )
