"""Time-zone names as people type them."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            gettext_lazy(
                "'%(value)s' is not a time zone name such as Asia/Seoul or Europe/Brussels."
            ),
            code="invalid_timezone",
            params={"value": value},
        )
