"""API clients and a published schedule over tests/conftest.py's `fair`."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.schedule import schedule_generate, schedule_publish


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    """Tests and schemathesis send hundreds of requests: no rate limit unless a test sets one."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    cache.clear()
    yield
    cache.clear()


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


@pytest.fixture
def api():
    """An anonymous client."""
    return APIClient()


@pytest.fixture
def as_user():
    """`as_user(user)`: a client sending that user's token."""

    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return client

    return make


@pytest.fixture
def scheduled(fair):
    """`fair` with a generated, published schedule."""
    schedule_generate(event=fair.event)
    schedule_publish(event=fair.event)
    fair.event.refresh_from_db()
    return fair
