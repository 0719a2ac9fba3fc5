"""What the page benchmarks share: Django set up production-like on a database of the benchmark's
own, and a timer of GET requests through the test client (no network, so the figures are the
server's own time)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from bench.database import use_private_database

# Production-like settings: debug bookkeeping off, plain http for the test client.
PRODUCTION_LIKE = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production",
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_SSL_REDIRECT": "0",
}


def django_on_private_database(suffix: str) -> str:
    """An empty database `suffix` (bench/database.py), Django set up and migrated on it.

    Returns the vendor: "postgresql" or "sqlite"."""
    vendor = use_private_database(suffix)
    for name, value in PRODUCTION_LIKE.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return vendor


def time_get(
    client, url: str, n: int, *, before_each: Callable[[], None] | None = None
) -> list[float]:
    """Seconds per GET of `url`, `n` times; `before_each` runs outside the timing (e.g. a cache
    clear, to time the first request after a change)."""
    samples = []
    for _ in range(n):
        if before_each is not None:
            before_each()
        t = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - t)
        assert response.status_code == 200, (url, response.status_code)
    return samples
