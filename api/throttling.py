"""Request rates for the API (docs/api.md, Throttling).

DRF's throttles copy `DEFAULT_THROTTLE_RATES` when the module is imported; these read the
setting on every request instead, so a changed setting (a deployment's environment, a test's
override) takes effect without a restart. A rate of `None` turns that throttle off.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _CurrentRate:
    scope: str

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_CurrentRate, AnonRateThrottle):
    """Requests without credentials, counted per client address."""


class UserThrottle(_CurrentRate, UserRateThrottle):
    """Authenticated requests, counted per user."""
