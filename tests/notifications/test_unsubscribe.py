"""One-click unsubscribe (RFC 8058): a signed link per person and kind, no login."""

import pytest
from django.core import mail, signing
from django.test import Client

from notifications.models import Notification, Preference
from notifications.service import email_chosen, notify
from notifications.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db


def _link(user, kind="tests.notice") -> str:
    return f"/unsubscribe/{unsubscribe_token(user_id=user.pk, kind=kind)}/"


def test_the_email_carries_the_unsubscribe_headers(test_kinds, alice):
    notify(recipient=alice, kind="tests.notice", subject="Hello", body="x")
    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    address = headers["List-Unsubscribe"].strip("<>")
    assert address.startswith("http://") and address.endswith(_link(alice))
    assert address in mail.outbox[0].body


def test_a_get_shows_a_button_and_changes_nothing(test_kinds, alice):
    response = Client().get(_link(alice))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Stop e-mails about “Test notices”?" in html
    assert '<button class="button" type="submit">Stop these e-mails</button>' in html
    assert not Preference.objects.exists()
    assert Client().head(_link(alice)).status_code == 200


def test_a_mail_clients_one_click_post_needs_no_login_nor_csrf(test_kinds, alice, bob):
    client = Client(enforce_csrf_checks=True)  # a mail client has no CSRF cookie
    response = client.post(
        _link(alice),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "no more e-mails about “Test notices”" in response.content.decode()
    # Only that kind, only that person.
    assert not email_chosen(user=alice, kind="tests.notice")
    assert email_chosen(user=alice, kind="tests.other")
    assert email_chosen(user=bob, kind="tests.notice")
    notify(recipient=alice, kind="tests.notice", subject="Inbox only now", body="x")
    notify(recipient=bob, kind="tests.notice", subject="Bob still gets it", body="x")
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_the_button_on_the_page_works_too_and_twice_is_harmless(test_kinds, alice):
    client = Client()
    client.post(_link(alice))
    assert client.post(_link(alice)).status_code == 200
    assert list(Preference.objects.values_list("user", "kind", "email")) == [
        (alice.pk, "tests.notice", False)
    ]


def _tampered(token: str) -> str:
    # Flip one character of the signature.
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_foreign_token_is_not_found(test_kinds, alice, method):
    good = unsubscribe_token(user_id=alice.pk, kind="tests.notice")
    foreign = [
        _tampered(good),
        # Signed by us, but for another purpose (another salt).
        signing.Signer(salt="another.purpose").sign_object(
            {"u": alice.pk, "k": "tests.notice"}, compress=True
        ),
        # Signed with another site's key.
        signing.Signer(key="another-site", salt="notifications.unsubscribe").sign_object(
            {"u": alice.pk, "k": "tests.notice"}, compress=True
        ),
        "not-a-token",
        # A well-signed token for a person who does not exist.
        unsubscribe_token(user_id=alice.pk + 1000, kind="tests.notice"),
    ]
    client = Client()
    for token in foreign:
        response = getattr(client, method)(f"/unsubscribe/{token}/")
        assert response.status_code == 404, token
    assert not Preference.objects.exists()


def test_a_token_cannot_be_rewritten_for_another_person(test_kinds, alice, bob):
    payload, _, signature = unsubscribe_token(user_id=alice.pk, kind="tests.notice").partition(":")
    forged = signing.Signer(salt="x").sign_object({"u": bob.pk, "k": "tests.notice"})
    mixed = forged.partition(":")[0] + ":" + signature
    assert payload != forged.partition(":")[0]
    assert Client().post(f"/unsubscribe/{mixed}/").status_code == 404
    assert email_chosen(user=bob, kind="tests.notice")
