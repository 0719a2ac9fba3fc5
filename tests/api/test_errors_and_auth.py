"""Authentication, the error shape for every status, throttling, and the api_token command."""

import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.config.test_security import assert_security_headers
from tests.factories import UserFactory


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status and error["code"] == code and error["detail"]
    assert set(error) <= {"status", "code", "detail", "fields", "retry_after"}
    return error


def test_400_names_each_parameter(api, world):
    error = assert_error(api.get("/api/v1/actors/?sector=nope&side=us"), 400, "invalid")
    assert set(error["fields"]) == {"sector", "side"}
    assert error["detail"] == "Invalid value for side, sector."


def test_401_for_a_wrong_or_inactive_token_even_on_public_endpoints(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/actors/")
    assert assert_error(response, 401, "authentication_failed")["detail"] == "Invalid token."
    assert response["WWW-Authenticate"] == "Token"
    inactive = UserFactory(username="gone", is_active=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=inactive).key}")
    assert_error(client.get("/api/v1/actors/"), 401, "authentication_failed")


def test_a_token_authenticates(world):
    client = APIClient()
    key = Token.objects.create(user=world.manager).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/actors/lyon-life/matches/").status_code == 200


def test_403_for_a_session_post_without_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.manager)
    error = assert_error(client.post("/api/v1/actors/", {}), 403, "permission_denied")
    assert "CSRF" in error["detail"]


def test_404_for_any_other_address_under_api(api, db):
    error = assert_error(api.get("/api/v1/nothing-here/"), 404, "not_found")
    assert "/api/v1/docs/" in error["detail"]
    hint = assert_error(api.get("/api/v1/actors"), 404, "not_found")
    assert "Did you mean /api/v1/actors/ ?" in hint["detail"]
    assert_error(api.post("/api/v2/actors/"), 404, "not_found")


def test_405_for_other_methods(api, db):
    response = api.delete("/api/v1/sectors/")
    error = assert_error(response, 405, "method_not_allowed")
    assert error["detail"] == 'Method "DELETE" not allowed.'
    assert "GET" in response["Allow"]


def test_406_when_json_is_not_acceptable(api, db):
    assert_error(api.get("/api/v1/sectors/", HTTP_ACCEPT="text/html"), 406, "not_acceptable")


def test_500_is_logged_and_answered_in_the_same_shape(db, monkeypatch, caplog):
    def broken(*, base):
        raise RuntimeError("boom")

    monkeypatch.setattr("api.views.actor_list_queryset", broken)
    client = APIClient(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="api"):
        response = client.get("/api/v1/actors/")
    error = assert_error(response, 500, "server_error")
    assert "boom" not in error["detail"]
    assert any("boom" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_429_when_throttled_with_the_wait_in_the_body_and_header(settings, world):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "3/min"},
    }
    anonymous = APIClient()
    assert anonymous.get("/api/v1/sectors/").status_code == 200
    assert anonymous.get("/api/v1/interests/").status_code == 200
    response = anonymous.get("/api/v1/actors/")
    error = assert_error(response, 429, "throttled")
    assert 1 <= error["retry_after"] <= 60
    assert int(response["Retry-After"]) == error["retry_after"]
    # Logged-in users have their own, larger allowance.
    user = APIClient()
    user.force_authenticate(world.manager)
    assert [user.get("/api/v1/sectors/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_api_responses_carry_the_security_headers(api, db):
    assert_security_headers(api.get("/api/v1/sectors/"))
    assert_security_headers(api.get("/api/v1/nothing/"))


def test_api_token_creates_then_prints_the_same_token(world):
    out, err = StringIO(), StringIO()
    call_command("api_token", "owner", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert key == Token.objects.get(user=world.manager).key and len(key) == 40
    assert "Created" in err.getvalue()
    again = StringIO()
    call_command("api_token", "owner", stdout=again, stderr=StringIO())
    assert again.getvalue().strip() == key
    rotated = StringIO()
    call_command("api_token", "owner", "--rotate", stdout=rotated, stderr=StringIO())
    assert rotated.getvalue().strip() not in ("", key)
    assert not Token.objects.filter(key=key).exists()


def test_api_token_refuses_unknown_and_inactive_users(db):
    with pytest.raises(CommandError, match="No user named"):
        call_command("api_token", "nobody")
    UserFactory(username="gone", is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        call_command("api_token", "gone")


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/v1/sectors/", 200), ("/api/v1/actors/lyon-life/matches/", 401), ("/api/v1/x/", 404)],
)
def test_a_forged_session_cookie_is_no_session_not_a_500(world, path, status):
    # A NUL byte in the key once made the session lookup fail on PostgreSQL.
    client = APIClient()
    client.cookies["sessionid"] = "abc\x00defghijklmnop"
    assert client.get(path).status_code == status
