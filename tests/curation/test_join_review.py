"""Curators decide on join requests: approve (the person manages the profile; a registration
becomes a draft profile first) or refuse with a reason, once, and the people concerned are told
in their own language."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from curation.join_notices import JOIN_DECIDED
from curation.join_review import join_approve, join_refuse
from curation.merge import actor_merge
from directory.join_notices import JOIN_WAITING
from directory.joining import join_claim_submit, join_register_submit
from directory.models import Actor, JoinKind, JoinRequest, JoinStatus
from directory.permissions import CURATORS_GROUP
from directory.signup import address_confirmation_record
from notifications.language import remember_language
from notifications.models import Notification
from tests.factories import ActorFactory, SectorFactory, UserFactory

DESCRIPTION = (
    "Busan Hydrogen Cluster joins the fuel cell makers, the port authority and two universities "
    "of Busan around hydrogen ships, refuelling stations and storage at sea."
)


@pytest.fixture
def joining(cast):
    """A Korean person (reading Korean) with a confirmed address at the claimed profile's
    domain, and their waiting claim of the Gumi Mini Cluster."""
    cast.korean.website = "https://gumi-mobile.example.kr"
    cast.korean.save()
    cast.person = UserFactory(
        username="minji", email="minji@gumi-mobile.example.kr", first_name="Kim Min-ji"
    )
    address_confirmation_record(user=cast.person, email=cast.person.email)
    remember_language(user=cast.person, language="ko")
    cast.join, _ = join_claim_submit(
        user=cast.person, actor=cast.korean, role="Cluster coordinator", message="I run it."
    )
    return cast


def decide(client, join, decision, reason=""):
    return client.post(
        reverse("curation_join_decide", args=[join.pk]),
        {"decision": decision, "reason": reason},
        follow=True,
    )


def test_curators_see_waiting_requests_with_the_evidence_in_words(client, joining):
    client.force_login(joining.curator)
    listing = client.get(reverse("curation_joins")).content.decode()
    assert "Gumi Mobile Mini Cluster" in listing and "matches the website" in listing
    detail = client.get(reverse("curation_join", args=[joining.join.pk])).content.decode()
    assert "Kim Min-ji (minji) asks to manage Gumi Mobile Mini Cluster" in detail
    assert "The confirmed address is at gumi-mobile.example.kr" in detail
    assert "a strong sign that the person works there" in detail
    assert "Cluster coordinator" in detail and "I run it." in detail
    assert "한국어" in detail  # the language the person will be told in


def test_approving_a_claim_makes_the_person_a_manager_of_that_profile_only(client, joining):
    client.force_login(joining.curator)
    page = decide(client, joining.join, "approve").content.decode()
    assert "Approved: minji is now a manager of Gumi Mobile Mini Cluster." in page
    assert joining.korean.managers.filter(pk=joining.person.pk).exists()
    joining.join.refresh_from_db()
    assert (joining.join.status, joining.join.reviewer) == (JoinStatus.APPROVED, joining.curator)

    client.force_login(joining.person)
    profile = client.get(joining.korean.get_absolute_url()).content.decode()
    assert reverse("actor_edit", args=[joining.korean.slug]) in profile
    assert client.get(reverse("actor_edit", args=[joining.korean.slug])).status_code == 200
    assert client.get(reverse("actor_edit", args=[joining.actor.slug])).status_code == 404


def test_refusing_needs_a_reason_which_the_person_reads(client, joining):
    client.force_login(joining.curator)
    page = decide(client, joining.join, "refuse", reason="   ").content.decode()
    assert "Tell the person why the request is refused" in page
    joining.join.refresh_from_db()
    assert joining.join.status == JoinStatus.PENDING

    decide(client, joining.join, "refuse", reason="Please write from your office address.")
    joining.join.refresh_from_db()
    assert joining.join.status == JoinStatus.REFUSED
    assert not joining.korean.managers.filter(pk=joining.person.pk).exists()
    client.force_login(joining.person)
    mine = client.get(reverse("my_organisations")).content.decode()
    assert "Please write from your office address." in mine
    detail = client.get(reverse("join_request", args=[joining.join.pk])).content.decode()
    assert "Please write from your office address." in detail


def test_someone_who_is_not_a_curator_cannot_decide(client, joining):
    for user in (joining.person, joining.manager, joining.organiser):
        client.force_login(user)
        response = client.post(
            reverse("curation_join_decide", args=[joining.join.pk]), {"decision": "approve"}
        )
        # As every curator page: not there for anyone else (404, not 403).
        assert response.status_code == 404
        assert client.get(reverse("curation_join", args=[joining.join.pk])).status_code == 404
    joining.join.refresh_from_db()
    assert joining.join.status == JoinStatus.PENDING
    assert not joining.korean.managers.filter(pk=joining.person.pk).exists()


def test_deciding_twice_gives_one_outcome_and_says_so(client, joining):
    second_curator = UserFactory(username="curator2")
    second_curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    client.force_login(joining.curator)
    decide(client, joining.join, "approve")
    client.force_login(second_curator)
    page = decide(client, joining.join, "refuse", reason="Not them.").content.decode()
    assert "This request was already approved by curator: nothing changed." in page
    again = decide(client, joining.join, "approve").content.decode()
    assert "already approved by curator" in again
    joining.join.refresh_from_db()
    assert (joining.join.status, joining.join.reviewer, joining.join.reason) == (
        JoinStatus.APPROVED,
        joining.curator,
        "",
    )
    assert joining.korean.managers.filter(pk=joining.person.pk).count() == 1


def test_a_withdrawn_request_cannot_be_approved(client, joining):
    client.force_login(joining.person)
    client.post(reverse("join_request_withdraw", args=[joining.join.pk]))
    client.force_login(joining.curator)
    page = decide(client, joining.join, "approve").content.decode()
    assert "This request was withdrawn: nothing changed." in page
    assert not joining.korean.managers.filter(pk=joining.person.pk).exists()


def test_curators_are_told_in_their_language_and_the_person_in_theirs(
    joining, django_capture_on_commit_callbacks
):
    korean_curator = UserFactory(username="curator.kr")
    korean_curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    remember_language(user=korean_curator, language="ko")
    other = ActorFactory(slug="gumi-display", name="Gumi Display Cluster", side="kr", country="KR")
    with django_capture_on_commit_callbacks(execute=True):
        join, _ = join_claim_submit(user=joining.person, actor=other, role="Coordinator")
    english = Notification.objects.get(recipient=joining.curator, kind=JOIN_WAITING)
    assert english.subject == "Kim Min-ji (minji) asks to manage Gumi Display Cluster"
    assert english.link == reverse("curation_join", args=[join.pk])
    korean = Notification.objects.get(recipient=korean_curator, kind=JOIN_WAITING)
    assert "Gumi Display Cluster" in korean.subject and "관리" in korean.subject
    assert not Notification.objects.filter(recipient=joining.person, kind=JOIN_WAITING).exists()

    with django_capture_on_commit_callbacks(execute=True):
        join_refuse(
            join_id=join.pk, reviewer=joining.curator, reason="회사 이메일로 다시 신청해 주세요."
        )
    told = Notification.objects.get(recipient=joining.person, kind=JOIN_DECIDED)
    assert "Gumi Display Cluster" in told.subject and "거절" in told.subject
    assert "회사 이메일로 다시 신청해 주세요." in told.body
    assert told.link == reverse("join_request", args=[join.pk])


def test_the_approved_person_is_told_with_a_link_to_the_profile(
    joining, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        join_approve(join_id=joining.join.pk, reviewer=joining.curator, note="Welcome!")
    told = Notification.objects.get(recipient=joining.person, kind=JOIN_DECIDED)
    assert told.link == joining.korean.get_absolute_url()
    assert "Welcome!" in told.body


def test_approving_a_registration_creates_a_draft_managed_by_the_person(client, joining):
    sector = SectorFactory(code="hydrogen", label="Hydrogen")
    join, _ = join_register_submit(
        user=joining.person,
        proposed={
            "name": "Busan Hydrogen Cluster", "name_ko": "부산 수소 클러스터", "side": "kr",
            "country": "KR", "region": "", "city": "Busan", "kind": "cluster-network",
            "website": "https://busan-h2.example.kr", "description": DESCRIPTION,
            "description_ko": "", "sectors": ["hydrogen"],
        },
        role="Director",
    )  # fmt: skip
    client.force_login(joining.curator)
    detail = client.get(reverse("curation_join", args=[join.pk])).content.decode()
    assert "부산 수소 클러스터" in detail and DESCRIPTION in detail
    page = decide(client, join, "approve").content.decode()
    assert "Busan Hydrogen Cluster is a draft profile now, managed by minji" in page

    actor = Actor.objects.get(name="Busan Hydrogen Cluster")
    assert (actor.status, actor.side, actor.country.code, actor.city) == (
        "draft",
        "kr",
        "KR",
        "Busan",
    )
    assert (actor.name_ko, actor.description, actor.website) == (
        "부산 수소 클러스터",
        DESCRIPTION,
        "https://busan-h2.example.kr",
    )
    assert list(actor.sectors.all()) == [sector]
    assert list(actor.managers.all()) == [joining.person]
    join.refresh_from_db()
    assert join.actor == actor

    # Not in the public directory, but its manager sees and edits it.
    client.logout()
    assert client.get(actor.get_absolute_url()).status_code == 404
    client.force_login(joining.person)
    assert client.get(actor.get_absolute_url()).status_code == 200
    assert client.get(reverse("actor_edit", args=[actor.slug])).status_code == 200
    assert "Busan Hydrogen Cluster" not in client.get(reverse("actor_list")).content.decode()


def test_a_merge_takes_waiting_claims_to_the_kept_profile(joining):
    kept = ActorFactory(slug="gumi-mobile-2", name="Gumi Mobile Cluster", side="kr", country="KR")
    twin_person = UserFactory(username="twin", email="twin@example.kr")
    address_confirmation_record(user=twin_person, email=twin_person.email)
    join_claim_submit(user=twin_person, actor=kept, role="A")
    twin_claim, _ = join_claim_submit(user=twin_person, actor=joining.korean, role="B")

    actor_merge(keep=kept, remove=joining.korean, user=joining.curator)
    joining.join.refresh_from_db()
    assert (joining.join.actor, joining.join.status) == (kept, JoinStatus.PENDING)
    twin_claim.refresh_from_db()
    assert (twin_claim.actor, twin_claim.status) == (kept, JoinStatus.WITHDRAWN)
    assert "merged into Gumi Mobile Cluster" in twin_claim.reason
    join_approve(join_id=joining.join.pk, reviewer=joining.curator)
    assert kept.managers.filter(pk=joining.person.pk).exists()


def test_a_request_whose_profile_was_deleted_is_explained(client, joining):
    pk = joining.join.pk
    joining.korean.delete()
    client.force_login(joining.curator)
    page = decide(client, joining.join, "approve").content.decode()
    assert "This request no longer exists: the profile it was about was deleted." in page
    assert not JoinRequest.objects.filter(pk=pk).exists()


def test_decided_requests_are_listed_with_their_reason(client, joining):
    client.force_login(joining.curator)
    decide(client, joining.join, "refuse", reason="Unknown person.")
    listing = client.get(reverse("curation_joins")).content.decode()
    assert "No request waits." in listing
    assert "Recently decided" in listing and "Unknown person." in listing
    assert JoinRequest.objects.get().kind == JoinKind.CLAIM
