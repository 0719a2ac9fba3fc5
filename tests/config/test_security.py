"""Security headers on every response, login throttling, and the production checks."""

import datetime as dt
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def assert_security_headers(response) -> None:
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/", "/actors/", "/accounts/login/", "/admin/login/"])
def test_pages_carry_the_security_headers(client, db, path):
    assert_security_headers(client.get(path))


def test_error_pages_carry_them_too(client, db, settings):
    settings.DEBUG = False
    response = client.get("/actors/no-such-actor/")
    assert response.status_code == 404
    assert_security_headers(response)
    # The test client skips CSRF checks; a real 403 comes from an enforcing client.
    from django.test import Client

    csrf = Client(enforce_csrf_checks=True).post(reverse("login"), {})
    assert csrf.status_code == 403
    assert_security_headers(csrf)


def test_pages_have_no_inline_style_or_script(client, cast):
    from tests.factories import ActorFactory

    ActorFactory(slug="seoul-bio", name="Seoul Bio", side="kr", country="KR", kind="foundation")
    client.force_login(cast.manager)
    for url in ("/", "/actors/", reverse("partners", args=[cast.actor.slug])):
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        # Scripts come from files of the site (the language switch's), never inline.
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), url


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_that_username_from_that_address(client, cast):
    for _ in range(4):
        assert log_in(client, "owner", "wrong-password-123").status_code == 200
    assert log_in(client, "owner", "wrong-password-123").status_code == 429  # the fifth
    locked = log_in(client, "owner", TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert "for 15 minutes after several wrong passwords" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account, or the same account from another address, is not locked.
    assert log_in(client, "outsider", TEST_PASSWORD).status_code == 302
    client.logout()
    other_address = client.post(
        reverse("login"),
        {"username": "owner", "password": TEST_PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    assert other_address.status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, cast, settings, monkeypatch):
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=1)
    for _ in range(5):
        log_in(client, "owner", "wrong-password-123")
    assert log_in(client, "owner", TEST_PASSWORD).status_code == 429
    # 1.2 s later, without waiting: axes stamps each request with this clock, and measures the
    # cool-off from that stamp back to the recorded failures.
    from axes.handlers import proxy

    clock = proxy.now
    monkeypatch.setattr(proxy, "now", lambda: clock() + dt.timedelta(seconds=1.2))
    assert log_in(client, "owner", TEST_PASSWORD).status_code == 302


def test_a_success_resets_the_failure_count(client, cast):
    for _ in range(4):
        log_in(client, "owner", "wrong-password-123")
    assert log_in(client, "owner", TEST_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "owner", "wrong-password-123")
    assert log_in(client, "owner", TEST_PASSWORD).status_code == 302


def test_passwords_need_twelve_characters(client, cast):
    client.force_login(cast.manager)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Sh0rt-pass",
            "new_password2": "Sh0rt-pass",
        },
    )
    assert "at least 12 characters" in response.content.decode()


def test_production_settings_pass_the_deploy_check():
    # The browser tests' switch must not leak into a production check.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "clustermatch.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refused_access_is_logged_without_personal_data(client, cast, caplog):
    client.force_login(cast.other_manager)
    with caplog.at_level("WARNING"):
        client.get(reverse("actor_edit", args=[cast.actor.slug]))
        client.get("/curation/person/?email=marie.secret@example.org")
    # Once each: Django's own "Not Found: ..." line is not added to the log.
    assert {r.name for r in caplog.records} == {"clustermatch.access"}
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "refused GET /actors/lyon-life/edit/ -> 404 (signed in)",
        "refused GET /curation/person/ -> 404 (signed in)",
    ]
    text = " ".join(lines)
    assert "outsider" not in text and "marie" not in text and "127.0.0.1" not in text


def test_a_forged_session_cookie_is_ignored_not_a_server_error(client, cast):
    forged = {"HTTP_COOKIE": "sessionid=abcdefgh\x00ijkl"}
    assert client.get("/", **forged).status_code == 200
    assert client.get(reverse("event_list"), **forged).status_code == 302  # signed out


def test_a_lockout_is_logged_once_with_the_name_and_address_masked(client, cast, caplog):
    with caplog.at_level("WARNING", logger="clustermatch.access"):
        for _ in range(5):
            log_in(client, "owner", "wrong-password-123")
    lines = [r.getMessage() for r in caplog.records if "locked out" in r.getMessage()]
    assert lines == ["locked out log-ins for o***r from 127.0.0.x after repeated wrong passwords"]
