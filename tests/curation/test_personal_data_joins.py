"""A person's account, join requests and confirmed addresses on the personal-data page: found by
e-mail (any case) or full name, exported, and erased (the account itself stays)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from curation.personal_data import person_data, person_erase
from directory.models import EmailConfirmation, JoinKind, JoinRequest, JoinStatus
from notifications.models import UserLanguage
from tests.factories import UserFactory

PAGE = "curation_person"
ERASE = "curation_person_erase"


@pytest.fixture
def joiner(cast):
    """Hana Park, who asked to manage one profile (approved) and to register another (refused),
    and someone else with a name and an address alike, who asked too."""
    hana = UserFactory(
        username="hana", first_name="Hana", last_name="Park", email="Hana.Park@Gumi.example.kr"
    )
    UserLanguage.objects.create(user=hana, language="ko")
    EmailConfirmation.objects.create(user=hana, email="hana.park@gumi.example.kr")
    claim = JoinRequest.objects.create(
        kind=JoinKind.CLAIM, user=hana, actor=cast.korean, role="International officer",
        message="I run the cluster's exchanges.", status=JoinStatus.APPROVED,
        reviewer=cast.curator, reviewed_at=timezone.now(),
    )  # fmt: skip
    cast.korean.managers.add(hana)  # what approving the claim did
    JoinRequest.objects.create(
        kind=JoinKind.REGISTER, user=hana, role="Director", status=JoinStatus.REFUSED,
        proposed={"name": "Gumi Display Makers", "website": "https://gdm.example.kr"},
        reason="Please claim Gumi Mobile instead.", reviewer=cast.curator,
        reviewed_at=timezone.now(),
    )  # fmt: skip
    other = UserFactory(
        username="hana2", first_name="Hana", last_name="Parker", email="hana.park@gumi.example.com"
    )
    EmailConfirmation.objects.create(user=other, email="hana.park@gumi.example.com")
    JoinRequest.objects.create(
        kind=JoinKind.CLAIM, user=other, actor=cast.actor, role="Analyst", message="Hello."
    )
    return type("Joiner", (), {"hana": hana, "other": other, "claim": claim})


def test_the_account_and_its_requests_are_found_by_address_in_another_case(joiner):
    data = person_data(email="HANA.PARK@gumi.EXAMPLE.kr")
    assert [user.username for user in data.accounts] == ["hana"]
    assert {join.kind for join in data.joins} == {"claim", "register"}
    assert [c.email for c in data.confirmations] == ["hana.park@gumi.example.kr"]
    assert data.found


def test_the_account_is_found_by_its_full_name_in_any_case(joiner):
    data = person_data(name="  hana   PARK ")
    assert [user.username for user in data.accounts] == ["hana"]
    assert len(data.joins) == 2
    # A first name alone is not a full name.
    assert not person_data(name="Hana").accounts


def test_the_page_lists_the_account_its_requests_and_addresses(client, cast, joiner):
    client.force_login(cast.curator)
    html = client.get(reverse(PAGE), {"email": "hana.park@GUMI.example.kr"}).content.decode()
    assert "Account hana" in html and "Hana Park" in html
    assert "reads the site in 한국어" in html
    assert "Join request by hana to manage gumi-mobile" in html
    assert "Join request by hana to register Gumi Display Makers" in html
    assert "reason: Please claim Gumi Mobile instead." in html
    assert "Address hana.park@gumi.example.kr confirmed by hana" in html
    assert "not the accounts" in html
    assert "A manager role granted by an approved claim stays" in html
    # Someone else's requests are not shown.
    assert "hana2" not in html and "Analyst" not in html
    # The curator may not delete users: no admin link, the page says who can.
    assert reverse("admin:auth_user_change", args=[joiner.hana.pk]) not in html
    assert "Only a curator allowed to delete users can delete it" in html


def test_a_curator_allowed_to_delete_users_gets_the_accounts_admin_link(client, cast, joiner):
    cast.curator.user_permissions.add(Permission.objects.get(codename="delete_user"))
    client.force_login(cast.curator)
    html = client.get(reverse(PAGE), {"name": "Hana Park"}).content.decode()
    assert reverse("admin:auth_user_change", args=[joiner.hana.pk]) in html


def test_the_page_reads_in_korean(client, cast, joiner):
    client.force_login(cast.curator)
    client.cookies["django_language"] = "ko"
    html = client.get(reverse(PAGE), {"name": "Hana Park"}, HTTP_ACCEPT_LANGUAGE="ko").content
    html = html.decode()
    assert "hana 계정" in html
    assert "Join request by" not in html and "not the accounts" not in html


def test_the_json_export_holds_the_account_requests_and_addresses(client, cast, joiner):
    client.force_login(cast.curator)
    exported = client.get(reverse(PAGE), {"name": "HANA PARK", "format": "json"})
    payload = json.loads(exported.content)
    (account,) = payload["user_accounts"]
    assert account["username"] == "hana" and account["email"] == "Hana.Park@Gumi.example.kr"
    assert account["language"] == "ko" and account["date_joined"]
    joins = {join["kind"]: join for join in payload["join_requests"]}
    assert joins["claim"]["actor"] == "gumi-mobile"
    assert joins["claim"]["message"] == "I run the cluster's exchanges."
    assert joins["claim"]["status"] == "approved" and joins["claim"]["decided_at"]
    assert joins["register"]["proposed_organisation"] == "Gumi Display Makers"
    assert joins["register"]["reason"] == "Please claim Gumi Mobile instead."
    assert joins["register"]["role"] == "Director" and joins["register"]["created_at"]
    assert payload["confirmed_email_addresses"] == [
        {
            "account": "hana",
            "email": "hana.park@gumi.example.kr",
            "confirmed_at": payload["confirmed_email_addresses"][0]["confirmed_at"],
        }
    ]


def test_erasing_removes_the_persons_requests_and_addresses_only(client, cast, joiner):
    client.force_login(cast.curator)
    response = client.post(
        reverse(ERASE), {"email": "hana.park@gumi.example.KR", "confirm": "erase"}, follow=True
    )
    html = response.content.decode()
    assert "2 join requests" in html and "1 confirmed e-mail addresses" in html
    assert not JoinRequest.objects.filter(user=joiner.hana).exists()
    assert not EmailConfirmation.objects.filter(user=joiner.hana).exists()
    # The account stays, and so does the manager role the approved claim gave.
    assert get_user_model().objects.filter(username="hana").exists()
    assert cast.korean.managers.filter(pk=joiner.hana.pk).exists()
    # The person with a name and an address alike keeps theirs.
    assert JoinRequest.objects.filter(user=joiner.other).count() == 1
    assert EmailConfirmation.objects.filter(user=joiner.other).count() == 1


def test_erasing_by_name_counts_what_was_removed(joiner):
    counts = person_erase(name="hana park")
    assert counts["join_requests"] == 2 and counts["email_confirmations"] == 1
    assert JoinRequest.objects.filter(user=joiner.other).exists()
    assert not person_data(name="Hana Park").joins


def test_a_wrong_confirmation_word_erases_nothing(client, cast, joiner):
    client.force_login(cast.curator)
    response = client.post(
        reverse(ERASE), {"email": "hana.park@gumi.example.kr", "confirm": "delete"}, follow=True
    )
    assert "Type &#x27;erase&#x27; to confirm." in response.content.decode()
    assert JoinRequest.objects.filter(user=joiner.hana).count() == 2
    assert EmailConfirmation.objects.filter(user=joiner.hana).count() == 1


def test_only_a_curator_may_see_or_erase(client, cast, joiner):
    # Curation pages answer 404 to anyone else, so that their existence is not advertised.
    client.force_login(joiner.hana)  # the manager of gumi-mobile
    assert client.get(reverse(PAGE), {"name": "Hana Park"}).status_code == 404
    erase = {"email": "hana.park@gumi.example.kr", "confirm": "erase"}
    assert client.post(reverse(ERASE), erase).status_code == 404
    client.force_login(cast.manager)
    assert client.post(reverse(ERASE), erase).status_code == 404
    assert JoinRequest.objects.filter(user=joiner.hana).count() == 2
    assert EmailConfirmation.objects.filter(user=joiner.hana).count() == 1


def test_erasing_needs_a_post_with_its_csrf_token(cast, joiner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.curator)
    erase = {"email": "hana.park@gumi.example.kr", "confirm": "erase"}
    assert browser.get(reverse(ERASE), erase).status_code == 405
    assert browser.post(reverse(ERASE), erase).status_code == 403
    assert JoinRequest.objects.filter(user=joiner.hana).count() == 2
    assert EmailConfirmation.objects.filter(user=joiner.hana).count() == 1
