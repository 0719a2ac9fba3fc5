"""A kind of message of the tests' own, a real SMTP server on the loopback address, and a port
where nothing listens (an unreachable mail server)."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from notifications import kinds
from tests.factories import UserFactory

KIND = "tests.notice"
OTHER_KIND = "tests.other"


@pytest.fixture
def test_kinds():
    """Two kinds registered for the test only, so that the tests do not depend on which kinds
    the other apps register."""
    # Audiences of their own: the other apps' checks (who is a manager, a curator) stay out.
    kinds.register(KIND, label="Test notices", audience="test people")
    kinds.register(OTHER_KIND, label="Other test notices", audience="test curators")
    yield KIND, OTHER_KIND
    kinds._KINDS.pop(KIND, None)
    kinds._KINDS.pop(OTHER_KIND, None)


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", email="alice@example.org")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", email="bob@example.org")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailServer:
    """aiosmtpd keeping every message it accepted, parsed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[email.message.EmailMessage] = []
        self.envelopes: list = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(parsed)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def _use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 and a free port, with Django's SMTP backend aimed at it."""
    server = MailServer(free_port())
    server.start()
    _use_smtp(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def smtp_down(settings):
    """Django's SMTP backend aimed at a port where nothing listens yet; `.start()` brings the
    server up on that very port."""
    server = MailServer(free_port())
    _use_smtp(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def queued_jobs(settings):
    """Jobs wait in the queue (the database backend) instead of running at once, and the test
    runs them as a worker would, with `jobs.runner.run_job`."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
