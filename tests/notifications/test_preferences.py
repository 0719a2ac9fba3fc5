"""The e-mail settings page: address, e-mail per kind, the inbox always."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.models import Notification, Preference
from notifications.service import notify
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/inbox/preferences/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_lists_each_kind_with_its_current_choice(test_kinds, alice):
    Preference.objects.create(user=alice, kind="tests.other", email=False)
    html = _client(alice).get(URL).content.decode()
    assert "Test notices" in html and "Other test notices" in html
    assert 'name="kind_tests.notice" id="id_kind_tests.notice" checked' in html
    assert 'name="kind_tests.other" id="id_kind_tests.other">' in html
    assert 'value="alice@example.org"' in html
    assert "no e-mail address" not in html


def test_turning_a_kind_off_keeps_the_inbox_and_stops_the_email(test_kinds, alice):
    response = _client(alice).post(
        URL, {"email": "alice@example.org", "kind_tests.other": "on"}, follow=True
    )
    assert "Your notification settings are saved." in response.content.decode()
    notify(recipient=alice, kind="tests.notice", subject="Not by mail", body="x")
    notify(recipient=alice, kind="tests.other", subject="By mail", body="x")
    assert [m.subject for m in mail.outbox] == ["By mail"]
    assert Notification.objects.filter(recipient=alice).count() == 2
    # The page shows the choice as kept.
    html = _client(alice).get(URL).content.decode()
    assert 'name="kind_tests.notice" id="id_kind_tests.notice">' in html


def test_changing_the_address_asks_for_the_password(test_kinds, alice):
    client = _client(alice)
    response = client.post(URL, {"email": "new@example.org", "kind_tests.notice": "on"})
    assert "Enter your password to change your e-mail address." in response.content.decode()
    response = client.post(URL, {"email": "new@example.org", "password": "wrong-one-entirely"})
    assert "This is not your password." in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
    assert not Preference.objects.filter(user=alice).exists()  # nothing saved on an error
    client.post(URL, {"email": "New@EXAMPLE.org", "password": TEST_PASSWORD})
    alice.refresh_from_db()
    assert alice.email == "New@example.org"


def test_an_invalid_address_is_refused_and_nothing_is_saved(test_kinds, alice):
    response = _client(alice).post(URL, {"email": "not an address", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
    assert not Preference.objects.filter(user=alice).exists()


def test_without_an_address_the_page_says_inbox_only(test_kinds, db):
    nomail = UserFactory(username="nomail", email="")
    html = _client(nomail).get(URL).content.decode()
    assert "You have no e-mail address here, so messages reach your inbox only." in html
    assert "Once I have an address, send me an e-mail for" in html


def test_removing_the_address_means_inbox_only(test_kinds, alice):
    _client(alice).post(URL, {"email": "", "password": TEST_PASSWORD, "kind_tests.notice": "on"})
    alice.refresh_from_db()
    assert alice.email == ""
    notify(recipient=alice, kind="tests.notice", subject="Inbox only", body="x")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_the_page_needs_a_login_and_a_csrf_token(test_kinds, alice):
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(URL, {"email": "alice@example.org"}).status_code == 403
    assert not Preference.objects.exists()


def test_wrong_passwords_count_towards_the_lockout(test_kinds, alice, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = _client(alice)
    for _ in range(2):
        client.post(URL, {"email": "thief@example.org", "password": "guess-guess-guess"})
    # Even the right password is refused now, as a log-in would be.
    response = client.post(URL, {"email": "thief@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 429
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
    assert reverse("notifications:preferences") == URL


def test_a_person_is_offered_the_kinds_of_their_audiences(test_kinds, alice, bob):
    from notifications import kinds

    # tests.other is for "test curators"; the app that knows roles says who they are.
    kinds.register_audience("test curators", includes=lambda user: user.username == "bob")
    try:
        assert "Other test notices" not in _client(alice).get(URL).content.decode()
        assert "Other test notices" in _client(bob).get(URL).content.decode()
        # Once received, a kind is offered whatever the audience, so it can be turned off.
        notify(recipient=alice, kind="tests.other", subject="Once", body="x")
        assert "Other test notices" in _client(alice).get(URL).content.decode()
    finally:
        kinds._AUDIENCES.pop("test curators", None)
