"""Claiming a profile: the offer on an actor's page, the request, a second one, withdrawing,
and what a person sees of their requests (never anyone else's)."""

import pytest
from django.urls import reverse

from directory.joining import MAX_PENDING, address_evidence
from directory.models import JoinKind, JoinRequest, JoinStatus
from directory.signup import address_confirmation_record
from tests.factories import ActorFactory, UserFactory


@pytest.fixture
def person(db):
    """A signed-up person with a confirmed address at a Korean organisation's domain."""
    user = UserFactory(username="minji", email="minji@gumi-mobile.example.kr", first_name="Kim")
    address_confirmation_record(user=user, email=user.email)
    return user


@pytest.fixture
def gumi(cast):
    cast.korean.website = "https://www.gumi-mobile.example.kr/en/"
    cast.korean.save()
    return cast.korean


def claim(client, actor, *, role="International cooperation manager", message=""):
    return client.post(reverse("join_claim", args=[actor.slug]), {"role": role, "message": message})


def test_a_visitor_is_invited_to_sign_up_then_lands_on_the_claim_form(client, gumi):
    html = client.get(gumi.get_absolute_url()).content.decode()
    assert "Manage this profile?" in html
    assert "/accounts/signup/?next=/actors/gumi-mobile/claim/" in html
    response = client.get(reverse("join_claim", args=[gumi.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/actors/gumi-mobile/claim/")
    login_page = client.get(response["Location"]).content.decode()
    assert "/accounts/signup/?next=/actors/gumi-mobile/claim/" in login_page


def test_a_person_claims_a_korean_profile_and_sees_what_happens_next(client, gumi, person):
    client.force_login(person)
    page = client.get(gumi.get_absolute_url()).content.decode()
    assert "Ask to become its manager" in page
    form = client.get(reverse("join_claim", args=[gumi.slug])).content.decode()
    assert "What happens next" in form and "minji@gumi-mobile.example.kr" in form

    response = claim(client, gumi, message="I run the Mini Cluster's office in Gumi.")
    join = JoinRequest.objects.get()
    assert (join.kind, join.actor, join.user, join.status) == ("claim", gumi, person, "pending")
    assert join.role == "International cooperation manager"
    assert response["Location"] == reverse("join_request", args=[join.pk])
    request_page = client.get(response["Location"]).content.decode()
    assert "waiting for a curator" in request_page and "Withdraw this request" in request_page
    # The actor page now says the request waits, instead of offering a second one.
    page = client.get(gumi.get_absolute_url()).content.decode()
    assert "waits for a curator" in page and "Ask to become its manager" not in page
    assert not gumi.managers.filter(pk=person.pk).exists()


def test_a_second_claim_shows_the_waiting_one_instead_of_filing_another(client, gumi, person):
    client.force_login(person)
    claim(client, gumi)
    second = claim(client, gumi, role="Director")
    assert JoinRequest.objects.count() == 1
    assert second.status_code == 200
    assert "your request waits for a curator" in second.content.decode()
    assert JoinRequest.objects.get().role == "International cooperation manager"


def test_an_unconfirmed_address_must_be_confirmed_before_a_claim(client, gumi):
    unconfirmed = UserFactory(username="changed", email="ceo@gumi-mobile.example.kr")
    client.force_login(unconfirmed)
    page = client.get(reverse("join_claim", args=[gumi.slug])).content.decode()
    assert "Send me a confirmation link" in page
    claim(client, gumi)
    assert not JoinRequest.objects.exists()


def test_managers_and_curators_are_offered_no_claim(client, cast):
    for user in (cast.manager, cast.curator):
        client.force_login(user)
        page = client.get(cast.actor.get_absolute_url()).content.decode()
        assert "Manage this profile?" not in page
        response = client.get(reverse("join_claim", args=[cast.actor.slug]))
        assert response.status_code == 302 and response["Location"] == cast.actor.get_absolute_url()


def test_a_draft_profile_cannot_be_claimed(client, person):
    draft = ActorFactory(slug="draft-one", status="draft")
    client.force_login(person)
    assert client.get(reverse("join_claim", args=[draft.slug])).status_code == 404
    assert claim(client, draft).status_code == 404
    assert not JoinRequest.objects.exists()


def test_a_person_withdraws_their_waiting_claim(client, gumi, person):
    client.force_login(person)
    claim(client, gumi)
    join = JoinRequest.objects.get()
    response = client.post(reverse("join_request_withdraw", args=[join.pk]), follow=True)
    assert "Your request was withdrawn." in response.content.decode()
    join.refresh_from_db()
    assert join.status == JoinStatus.WITHDRAWN
    # Withdrawing twice changes nothing and says so; a new claim may be sent.
    again = client.post(reverse("join_request_withdraw", args=[join.pk]), follow=True)
    assert "This request was withdrawn: nothing changed." in again.content.decode()
    claim(client, gumi)
    assert JoinRequest.objects.filter(status=JoinStatus.PENDING).count() == 1


def test_another_persons_request_can_be_neither_read_nor_withdrawn(client, gumi, person):
    client.force_login(person)
    claim(client, gumi)
    join = JoinRequest.objects.get()
    stranger = UserFactory(username="stranger")
    client.force_login(stranger)
    assert client.get(reverse("join_request", args=[join.pk])).status_code == 404
    assert client.post(reverse("join_request_withdraw", args=[join.pk])).status_code == 404
    assert "gumi" not in client.get(reverse("my_organisations")).content.decode().lower()
    join.refresh_from_db()
    assert join.status == JoinStatus.PENDING


def test_my_organisations_lists_the_persons_requests_and_their_status(client, gumi, person):
    JoinRequest.objects.create(
        kind=JoinKind.REGISTER, user=person, role="Director", status=JoinStatus.REFUSED,
        proposed={"name": "Gumi Display Makers"}, reason="Please claim Gumi Mobile instead.",
    )  # fmt: skip
    client.force_login(person)
    claim(client, gumi)
    html = client.get(reverse("my_organisations")).content.decode()
    assert "Your requests" in html
    assert "Gumi Mobile Mini Cluster" in html and "waiting for a curator" in html
    assert "Gumi Display Makers" in html and "Please claim Gumi Mobile instead." in html
    # The menu leads there although the person manages nothing yet.
    assert f'href="{reverse("my_organisations")}"' in html


def test_no_more_than_the_limit_of_requests_wait_at_once(client, person):
    actors = [ActorFactory(slug=f"c-{n}", name=f"Cluster {n}") for n in range(MAX_PENDING + 1)]
    client.force_login(person)
    for actor in actors[:MAX_PENDING]:
        claim(client, actor)
    refused = claim(client, actors[-1])
    assert refused.status_code == 200
    assert "requests waiting for a curator" in refused.content.decode()
    assert JoinRequest.objects.count() == MAX_PENDING


def test_the_address_evidence_is_said_in_words():
    strong = address_evidence(
        email="kim@mail.kicox.or.kr", confirmed=True, website="http://www.kicox.or.kr"
    )
    assert strong.strength == "strong" and "strong sign" in strong.words
    unconfirmed = address_evidence(
        email="kim@kicox.or.kr", confirmed=False, website="http://www.kicox.or.kr"
    )
    assert unconfirmed.strength == "weak" and "not confirmed" in unconfirmed.words
    public = address_evidence(email="kim@naver.com", confirmed=True, website="http://kicox.or.kr")
    assert public.strength == "none" and "public mail service" in public.words
    other = address_evidence(email="kim@kiat.or.kr", confirmed=True, website="http://kicox.or.kr")
    assert other.strength == "none" and "not at the website's domain" in other.words
    # The website on a subdomain, the address at the organisation's domain: one organisation.
    english = address_evidence(
        email="kim@kotra.or.kr", confirmed=True, website="http://english.kotra.or.kr"
    )
    assert english.strength == "strong"
    # A blog on a mail service's domain proves nothing.
    blog = address_evidence(email="kim@naver.com", confirmed=True, website="blog.naver.com/x")
    assert blog.strength == "none"
    # A look-alike domain that only ends with the same letters is no match.
    fake = address_evidence(email="kim@notkicox.or.kr", confirmed=True, website="kicox.or.kr")
    assert fake.strength == "none"
