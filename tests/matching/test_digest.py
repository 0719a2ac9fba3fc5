"""The weekly digest: managers hear of the actors that entered their organisation's top ten
matches since the last digest, with the reason for each, and only when there is something new."""

import pytest

from jobs.periodic import registered, run_due
from matching.digest import digest_for_actor, weekly_digest
from matching.models import CandidateMark, DigestState
from matching.ranking import actor_ranking
from notifications.models import Notification, OutgoingEmail
from tests.factories import ActorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _digests(user=None):
    found = Notification.objects.filter(kind="matching.digest")
    return list(found.filter(recipient=user) if user else found)


def _vaccine_newcomer(world, slug="wonju-vax", name="Wonju Vaccine Cluster"):
    bio = world.actor.sectors.get()
    return ActorFactory(
        slug=slug,
        name=name,
        side="kr",
        country="KR",
        kind="cluster-agency",
        description="Vaccines, antibodies and diagnostics makers of Wonju.",
        sectors=[bio],
    )


@pytest.fixture
def team(world):
    world.colleague = UserFactory(username="colleague")
    world.actor.managers.add(world.colleague)
    world.gone = UserFactory(username="gone", is_active=False)
    world.actor.managers.add(world.gone)
    return world


def test_the_first_run_records_the_baseline_and_tells_nobody(team):
    weekly_digest()
    assert _digests() == []
    state = DigestState.objects.get(actor=team.actor)
    assert team.chuncheon.pk in state.top


def test_newcomers_are_told_to_every_active_manager_with_their_reason(team):
    weekly_digest()
    newcomer = _vaccine_newcomer(team)
    weekly_digest()
    reason = next(
        row.sentence
        for row in actor_ranking(actor=team.actor, top=10, explain=10)
        if row.actor.pk == newcomer.pk
    )
    lyon = [n for n in _digests() if "Lyon Life Sciences" in n.subject]
    assert sorted(n.recipient.username for n in lyon) == ["colleague", "owner"]
    digest = lyon[0]
    assert digest.subject == "1 new candidate in the top 10 for Lyon Life Sciences"
    assert "Wonju Vaccine Cluster" in digest.body and reason in digest.body
    # Only the newcomer: the candidates already there last week are not repeated.
    assert "Chuncheon Bioindustry Foundation" not in digest.body
    assert digest.link == f"/partners/{team.actor.slug}/"
    # Nobody else: not the inactive manager, not the curator, not the managers of an
    # organisation whose top ten did not change.
    assert not _digests(team.gone) and not _digests(team.curator)
    assert OutgoingEmail.objects.filter(to="owner@example.org", subject=digest.subject).exists()


def test_a_second_run_sends_nothing_more_and_nothing_new_sends_nothing(team):
    weekly_digest()
    weekly_digest()
    assert _digests() == []  # nothing new
    _vaccine_newcomer(team)
    weekly_digest()
    sent = len(_digests())
    assert sent >= 2
    weekly_digest()  # the same week, again
    assert len(_digests()) == sent
    # Directly for one organisation as well: idempotent.
    assert digest_for_actor(actor_id=team.actor.pk) == []


def test_candidates_set_aside_are_never_announced(team):
    from django.utils import timezone

    weekly_digest()
    newcomer = _vaccine_newcomer(team)
    CandidateMark.objects.create(
        actor=team.actor, candidate=newcomer, kind="not-relevant", marked_at=timezone.now()
    )
    weekly_digest()
    assert not [n for n in _digests() if "Lyon Life Sciences" in n.subject]


def test_a_candidate_that_enters_by_displacing_one_in_a_full_top_ten(team):
    # Eleven Korean candidates: the top ten is full, and a strong newcomer pushes one out.
    for i in range(8):
        ActorFactory(
            slug=f"kr-filler-{i}",
            name=f"Korean Filler {i}",
            side="kr",
            country="KR",
            description=f"Shipbuilding and steel works number {i}.",
        )
    assert len(actor_ranking(actor=team.actor, top=20)) == 11
    weekly_digest()
    _vaccine_newcomer(team)
    assert DigestState.objects.get(actor=team.actor).top.__len__() == 10
    weekly_digest()
    (digest, *_rest) = [n for n in _digests(team.manager) if "Lyon Life Sciences" in n.subject]
    assert "Wonju Vaccine Cluster" in digest.body
    assert "Korean Filler" not in digest.body


def test_the_digest_is_a_weekly_periodic_job(team):
    assert "matching.weekly_digest" in [p.name for p in registered()]
    run_due()  # first run: the baseline
    assert DigestState.objects.filter(actor=team.actor).exists()
    _vaccine_newcomer(team)
    run_due()  # not due again within the week
    assert _digests() == []
