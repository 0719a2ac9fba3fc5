"""Two writers at once, as two clicks or two people: the first writes inside a transaction and
holds it open until the second has started and had time to reach the same rows."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections, transaction

# How long the first writer keeps its transaction open once the second has started.
OVERLAP_SECONDS = 0.5


def race(*, first: Callable[[], object], second: Callable[[], object]) -> dict[str, object]:
    """Run `first` and `second` in two threads with their own database connections, `second`
    while `first`'s transaction is still open. Returns {"first": ..., "second": ...}: what each
    returned, or the exception it raised."""
    written, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def run(name: str, work: Callable[[], object]) -> None:
        try:
            outcome[name] = work()
        except Exception as error:  # noqa: BLE001 - the caller asserts on it
            outcome[name] = error
        finally:
            connections.close_all()

    def hold_first() -> object:
        with transaction.atomic():
            result = first()
            written.set()
            release.wait(10)
        return result

    def after_first() -> object:
        written.wait(10)
        return second()

    threads = [
        threading.Thread(target=run, args=("first", hold_first)),
        threading.Thread(target=run, args=("second", after_first)),
    ]
    for thread in threads:
        thread.start()
    written.wait(10)
    threading.Timer(OVERLAP_SECONDS, release.set).start()
    for thread in threads:
        thread.join(20)
    return outcome
