"""Attacks on joining (issue 16 point 3) that got through: asking and withdrawing in a loop
to flood the curators, a too-long message told twice, the applicant's username on a public
profile, withdrawn requests pushing the decisions off the curators' list on PostgreSQL, a
double click filing a registration twice."""

import pytest
from django.db import connection
from django.urls import reverse

from directory.join_notices import JOIN_WAITING
from directory.joining import (
    MAX_PER_DAY,
    join_claim_submit,
    join_register_submit,
    join_withdraw,
)
from directory.models import JoinRequest, JoinStatus, Status
from directory.signup import address_confirmation_record
from notifications.models import Notification
from tests.concurrency import race
from tests.factories import SectorFactory, UserFactory

DESCRIPTION = (
    "Busan Hydrogen Cluster joins the fuel cell makers, the port authority and two universities "
    "of Busan around hydrogen ships, refuelling stations and storage at sea."
)


@pytest.fixture
def person(db):
    """A signed-up person with a confirmed address; their username is their mailbox's name."""
    user = UserFactory(username="kim.minji", email="kim.minji@busan-h2.example.kr")
    address_confirmation_record(user=user, email=user.email)
    return user


def claim(client, actor, *, role="Cluster manager", message=""):
    return client.post(reverse("join_claim", args=[actor.slug]), {"role": role, "message": message})


def test_asking_and_withdrawing_in_a_loop_stops_at_the_daily_limit(
    client, cast, person, django_capture_on_commit_callbacks
):
    client.force_login(person)
    for _ in range(MAX_PER_DAY):
        with django_capture_on_commit_callbacks(execute=True):
            response = claim(client, cast.korean)
        assert response.status_code == 302
        join = JoinRequest.objects.filter(user=person).latest("pk")
        client.post(reverse("join_request_withdraw", args=[join.pk]))
    told = Notification.objects.filter(recipient=cast.curator, kind=JOIN_WAITING).count()
    assert told == MAX_PER_DAY

    with django_capture_on_commit_callbacks(execute=True):
        page = claim(client, cast.korean)
    assert page.status_code == 200
    assert (
        f"You sent {MAX_PER_DAY} requests in the last 24 hours, the most one person may send "
        "in a day. Try again tomorrow."
    ) in page.content.decode()
    assert JoinRequest.objects.filter(user=person).count() == MAX_PER_DAY
    assert Notification.objects.filter(recipient=cast.curator, kind=JOIN_WAITING).count() == told


def test_a_too_long_message_is_refused_once_and_nothing_is_written(client, cast, person):
    client.force_login(person)
    page = claim(client, cast.korean, message="x" * 100_000).content.decode()
    assert page.count("Ensure this value has at most 2000 characters (it has 100000).") == 1
    assert not JoinRequest.objects.filter(user=person).exists()


def test_an_approved_registration_keeps_the_persons_username_off_the_public_profile(
    client, cast, person
):
    sector = SectorFactory(code="hydrogen", label="Hydrogen")
    client.force_login(person)
    client.post(
        reverse("join_register"),
        {
            "name": "Busan Hydrogen Cluster",
            "side": "kr",
            "country": "KR",
            "city": "Busan",
            "kind": "cluster-network",
            "website": "https://busan-h2.example.kr",
            "description": DESCRIPTION,
            "sectors": [sector.pk],
            "role": "Director",
        },  # fmt: skip
    )
    join = JoinRequest.objects.get(user=person)
    client.force_login(cast.curator)
    client.post(reverse("curation_join_decide", args=[join.pk]), {"decision": "approve"})
    join.refresh_from_db()
    actor = join.actor
    assert "kim.minji" not in actor.source
    # The curator publishes it as it is.
    actor.status = Status.PUBLISHED
    actor.save()
    client.logout()
    public = client.get(actor.get_absolute_url())
    assert public.status_code == 200 and "Busan Hydrogen Cluster" in public.content.decode()
    assert "kim.minji" not in public.content.decode()


def test_decisions_are_listed_before_withdrawn_requests_on_every_database(client, cast, person):
    refused, _ = join_claim_submit(user=person, actor=cast.actor, role="Director")
    client.force_login(cast.curator)
    client.post(
        reverse("curation_join_decide", args=[refused.pk]),
        {"decision": "refuse", "reason": "Not at this organisation."},
    )
    # Withdrawn after the decision, and never reviewed.
    withdrawn, _ = join_claim_submit(user=person, actor=cast.other_actor, role="Director")
    join_withdraw(join_id=withdrawn.pk, user=person)
    assert JoinRequest.objects.get(pk=withdrawn.pk).status == JoinStatus.WITHDRAWN

    page = client.get(reverse("curation_joins")).content.decode()
    recent = page[page.index("joins-recent") :]
    assert recent.index(cast.actor.name) < recent.index(cast.other_actor.name)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database; SQLite serialises every write",
)
def test_a_double_click_on_register_files_one_registration():
    person = UserFactory(username="kim.minji", email="kim.minji@busan-h2.example.kr")
    address_confirmation_record(user=person, email=person.email)
    proposed = {"name": "Busan Hydrogen Cluster", "side": "kr", "country": "KR"}
    # Filed but not committed when the second click's check runs.
    outcome = race(
        first=lambda: join_register_submit(user=person, proposed=proposed, role="Director")[1],
        second=lambda: join_register_submit(user=person, proposed=proposed, role="Director")[1],
    )
    assert outcome == {"first": True, "second": False}
    assert JoinRequest.objects.filter(user=person).count() == 1
