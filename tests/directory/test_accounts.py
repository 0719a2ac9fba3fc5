"""Password changes: wrong old passwords are throttled like log-ins; guessable ones are refused."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import TEST_PASSWORD


def change(client, old, new="Vaccine-rollout-2027!"):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_wrong_old_passwords_lock_the_change_as_wrong_log_ins_do(client, cast):
    client.force_login(cast.manager)
    for _ in range(4):
        response = change(client, "not-my-password-1")
        assert response.status_code == 200
        assert "old password was entered incorrectly" in response.content.decode()
    assert change(client, "not-my-password-1").status_code == 429  # the fifth locks
    # The right password no longer helps: the lock holds for the cool-off.
    assert change(client, TEST_PASSWORD).status_code == 429
    cast.manager.refresh_from_db()
    assert cast.manager.check_password(TEST_PASSWORD)
    # and log-ins for that account from that address are locked too.
    client.logout()
    login = client.post(reverse("login"), {"username": "owner", "password": TEST_PASSWORD})
    assert login.status_code == 429


def test_the_right_old_password_changes_it(client, cast):
    client.force_login(cast.manager)
    response = change(client, TEST_PASSWORD)
    assert response.status_code == 302
    cast.manager.refresh_from_db()
    assert cast.manager.check_password("Vaccine-rollout-2027!")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaaaa", "repeats itself"),
        ("abcabcabcabc", "repeats itself"),
        ("Pôle Eau Pôle Eau", "repeats itself"),
        ("clustermatch", "mostly the site's"),
        ("ClusterMatch2026", "mostly the site's"),
        ("Pole-Eau-owner-1", "organisation's name"),
    ],
)
def test_guessable_passwords_are_refused(cast, password, why):
    cast.actor.name, cast.actor.acronym = "Pôle Eau", "PE"
    cast.actor.save()
    with pytest.raises(ValidationError) as err:
        validate_password(password, user=cast.manager)
    assert why in " ".join(err.value.messages)


def test_a_real_passphrase_passes(cast):
    validate_password("Gumi-displays-meet-Lyon-vaccines", user=cast.manager)
    validate_password("correct horse battery staple", user=get_user_model()(username="new"))


def test_the_form_shows_why_a_password_is_refused(client, cast):
    client.force_login(cast.manager)
    response = change(client, TEST_PASSWORD, new="clustermatch")
    assert response.status_code == 200
    assert "mostly the site&#x27;s, your account&#x27;s" in response.content.decode()
    cast.manager.refresh_from_db()
    assert cast.manager.check_password(TEST_PASSWORD)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_an_overlong_username_is_a_form_error_not_a_server_error(client, db, url):
    response = client.post(url, {"username": "u" * 300, "password": "whatever-password"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters (it has 300)." in response.content.decode()
