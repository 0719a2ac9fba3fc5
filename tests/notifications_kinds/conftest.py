"""What managers, curators and organisers are told: shared helpers.

Messages go once the change commits (`transaction.on_commit`); a test's transaction never
commits, so each action under test runs inside `told()`, which runs the callbacks it queued.
"""

import pytest

from notifications.models import Notification, OutgoingEmail
from notifications.service import set_email_preference
from tests.events.conftest import liked_fair, published_four  # noqa: F401 - fixtures


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """`with told(): action()` runs what the action queued for after its commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def messages(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("pk"))


def only(user, kind: str) -> Notification:
    found = messages(user, kind)
    assert len(found) == 1, [n.subject for n in found]
    return found[0]


def emailed(notification: Notification) -> bool:
    return OutgoingEmail.objects.filter(notification=notification).exists()


def inbox_only(user, kind: str) -> None:
    set_email_preference(user=user, kind=kind, email=False)
