"""Signing up: a name and an address, a link sent there, then a username and a password. No
account before the link is opened, no word on whether an address has one, links throttled."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from directory.models import EmailConfirmation
from directory.signup import (
    LINKS_PER_ADDRESS_PER_DAY,
    LINKS_PER_NETWORK_PER_HOUR,
    address_confirmed,
)
from notifications.language import language_of
from notifications.models import OutgoingEmail
from tests.factories import UserFactory

User = get_user_model()
STRONG_PASSWORD = "violet-harbour-copper-9182"  # noqa: S105


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The network throttle lives in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


def sign_up(client, *, name="Kim Min-ji", email="minji@kbio.example.kr", next_path="", **extra):
    return client.post(
        reverse("signup"), {"name": name, "email": email, "next": next_path}, **extra
    )


def link_in(email: OutgoingEmail) -> str:
    """The path of the link in a stored e-mail, as a person would click it."""
    url = re.search(r"https?://\S+", email.text).group(0)
    return urlsplit(url).path


def last_mail_to(address: str) -> OutgoingEmail:
    return OutgoingEmail.objects.filter(to=address).latest("pk")


def test_a_visitor_signs_up_confirms_by_the_link_and_is_signed_in(client, db):
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == reverse("signup_sent")
    page = client.get(response["Location"]).content.decode()
    assert "minji@kbio.example.kr" in page and "If <strong>" in page
    # Nothing exists until the link is opened.
    assert not User.objects.filter(email="minji@kbio.example.kr").exists()

    mail = last_mail_to("minji@kbio.example.kr")
    assert mail.subject == "Finish creating your Cluster Match account"
    assert "Hello Kim Min-ji" in mail.text and "3 days" in mail.text
    finish = client.get(link_in(mail))
    assert finish.status_code == 200
    html = finish.content.decode()
    assert "minji@kbio.example.kr" in html
    assert 'value="minji"' in html  # the username suggested from the address

    done = client.post(
        link_in(mail),
        {"username": "minji", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )
    assert done.status_code == 302 and done["Location"] == reverse("my_organisations")
    user = User.objects.get(username="minji")
    assert (user.email, user.first_name) == ("minji@kbio.example.kr", "Kim Min-ji")
    assert address_confirmed(user)
    page = client.get(reverse("my_organisations")).content.decode()
    assert "your account is ready" in page
    assert "Register my organisation" in page


def test_the_link_keeps_where_the_visitor_was_going(client, db, cast):
    claim = reverse("join_claim", args=[cast.korean.slug])
    sign_up(client, next_path=claim)
    mail = last_mail_to("minji@kbio.example.kr")
    done = client.post(
        link_in(mail),
        {"username": "minji", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )
    assert done["Location"] == claim
    assert "Ask to manage Gumi Mobile Mini Cluster" in client.get(claim).content.decode()


def test_a_next_address_on_another_site_is_dropped(client, db):
    sign_up(client, next_path="https://evil.example.com/phish")
    mail = last_mail_to("minji@kbio.example.kr")
    done = client.post(
        link_in(mail),
        {"username": "minji", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )
    assert done["Location"] == reverse("my_organisations")


def test_an_address_with_an_account_gets_a_reminder_and_the_page_says_the_same(client, db):
    UserFactory(username="minji", email="MinJi@kbio.example.kr")
    response = sign_up(client, email="minji@kbio.example.kr")
    assert response["Location"] == reverse("signup_sent")
    mail = last_mail_to("minji@kbio.example.kr")
    assert mail.subject == "You already have a Cluster Match account"
    assert "Your username is minji" in mail.text
    assert "/accounts/password/reset/" in mail.text
    assert "/accounts/signup/" not in mail.text  # no link to make a second account
    assert User.objects.filter(email__iexact="minji@kbio.example.kr").count() == 1


def test_the_pages_read_the_same_for_a_new_and_a_known_address(client, db):
    UserFactory(username="known", email="known@example.kr")
    pages = []
    for address in ("known@example.kr", "new@example.kr"):
        response = sign_up(client, email=address, follow=True)
        html = response.content.decode().replace(address, "ADDRESS")
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html))
    assert pages[0] == pages[1]


def test_weak_or_guessable_passwords_are_refused_and_nothing_is_created(client, db):
    sign_up(client, email="lee@kbio.example.kr", name="Lee Jae")
    mail = last_mail_to("lee@kbio.example.kr")
    for password, words in (
        ("short1", "This password is too short"),
        ("clustermatch-lee", "mostly the site"),
        ("abcabcabcabcabc", "repeats itself"),
    ):
        response = client.post(
            link_in(mail), {"username": "lee", "password1": password, "password2": password}
        )
        assert response.status_code == 200
        assert words in response.content.decode()
    assert not User.objects.filter(username="lee").exists()


def test_a_used_link_cannot_make_a_second_account(client, db):
    sign_up(client)
    path = link_in(last_mail_to("minji@kbio.example.kr"))
    data = {"username": "minji", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD}
    client.post(path, data)
    client.logout()
    again = client.post(path, {**data, "username": "minji2"})
    assert "This address already has an account" in again.content.decode()
    assert User.objects.filter(email="minji@kbio.example.kr").count() == 1


def test_a_changed_or_expired_link_is_refused(client, db, settings):
    sign_up(client)
    path = link_in(last_mail_to("minji@kbio.example.kr"))
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert "incomplete or was changed" in client.get(tampered).content.decode()

    with freeze_time(timezone.now() + timedelta(days=3, hours=1)):
        assert "The link has expired" in client.get(path).content.decode()
    with freeze_time(timezone.now() + timedelta(days=2, hours=23)):
        assert "Choose a username" in client.get(path).content.decode()


def test_links_to_one_address_are_limited_per_day(client, db):
    for _ in range(LINKS_PER_ADDRESS_PER_DAY):
        assert sign_up(client).status_code == 302
    refused = sign_up(client)
    assert refused.status_code == 429
    assert "already sent several links to this address today" in refused.content.decode()
    assert OutgoingEmail.objects.filter(to="minji@kbio.example.kr").count() == (
        LINKS_PER_ADDRESS_PER_DAY
    )


def test_links_from_one_network_are_limited_per_hour(client, db):
    for n in range(LINKS_PER_NETWORK_PER_HOUR):
        assert sign_up(client, email=f"person{n}@example.kr").status_code == 302
    refused = sign_up(client, email="one.more@example.kr")
    assert refused.status_code == 429
    assert "Too many links" in refused.content.decode()
    assert not OutgoingEmail.objects.filter(to="one.more@example.kr").exists()
    # Another network is not held back.
    other = sign_up(client, email="other@example.kr", REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


def test_the_link_is_written_in_the_visitors_language_and_the_account_keeps_it(client, db):
    client.cookies["django_language"] = "ko"
    page = client.get(reverse("signup")).content.decode()
    assert "계정 만들기" in page
    sign_up(client)
    mail = last_mail_to("minji@kbio.example.kr")
    assert "Cluster Match" in mail.subject and "계정" in mail.subject
    client.post(
        link_in(mail),
        {"username": "minji", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )
    assert language_of(User.objects.get(username="minji")) == "ko"


def test_an_existing_account_confirms_its_address_by_a_link(client, db):
    user = UserFactory(username="old.member", email="old.member@lyon.example.fr")
    assert not address_confirmed(user)
    client.force_login(user)
    sent = client.post(reverse("email_confirm_send"), {"next": reverse("my_organisations")})
    assert sent["Location"] == reverse("my_organisations")
    path = link_in(last_mail_to("old.member@lyon.example.fr"))
    client.logout()
    # Opening the link (a mail scanner does) changes nothing; the button confirms.
    assert "Confirm that" in client.get(path).content.decode()
    assert not address_confirmed(user)
    assert "is confirmed" in client.post(path).content.decode()
    assert address_confirmed(user)


def test_a_confirmation_link_for_an_address_changed_since_confirms_nothing(client, db):
    user = UserFactory(username="mover", email="first@example.kr")
    client.force_login(user)
    client.post(reverse("email_confirm_send"))
    path = link_in(last_mail_to("first@example.kr"))
    user.email = "second@example.kr"
    user.save()
    assert "no longer the address" in client.post(path).content.decode()
    assert not EmailConfirmation.objects.filter(user=user).exists()
    assert not address_confirmed(user)


def test_a_signed_in_person_is_sent_on_from_the_sign_up_page(client, db):
    client.force_login(UserFactory(username="member"))
    assert client.get(reverse("signup"))["Location"] == reverse("my_organisations")
