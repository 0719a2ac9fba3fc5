"""Profile completeness and the list of profiles to re-check."""

import datetime

import pytest
from django.utils import timezone

from curation.quality import (
    ITEMS,
    completeness,
    completeness_ranking,
    months_ago,
    stale_profiles,
    with_quality_facts,
)
from directory.models import Actor
from tests.factories import (
    ActorFactory,
    ContactFactory,
    InterestFactory,
    RegionFactory,
    SectorFactory,
)

SIXTY_WORDS = " ".join(["word"] * 60)


def full_actor(**kwargs) -> Actor:
    """A profile with every item filled."""
    sector = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    market = InterestFactory(code="market-access", label="Market access")
    rnd = InterestFactory(code="rd-projects", label="Joint R&D projects")
    defaults = {
        "slug": "complete",
        "description": SIXTY_WORDS,
        "keywords": "vaccines; diagnostics",
        "website": "https://example.org",
        "city": "Lyon",
        "latitude": "45.76",
        "longitude": "4.83",
        "source": "seed 000, section 2",
        "last_verified": timezone.localdate() - datetime.timedelta(days=30),
        "sectors": [sector],
        "offers": [rnd],
        "seeks": [market],
    }
    defaults.update(kwargs)
    actor = ActorFactory(**defaults)
    ContactFactory(actor=actor)
    return actor


def test_weights_add_up_to_100():
    assert sum(weight for weight, _why in ITEMS.values()) == 100


def test_a_complete_profile_scores_100(db):
    result = completeness(full_actor())
    assert result.score == 100
    assert result.missing == ()
    assert result.complete


def test_an_empty_profile_lists_exactly_what_is_missing(db):
    actor = ActorFactory(
        slug="bare", description="Short text.", city="", website="", keywords="", source=""
    )
    result = completeness(actor)
    assert sorted(result.codes) == sorted(
        [
            "description", "keywords", "sectors", "offers", "seeks", "website", "location",
            "contacts", "verified", "source",
        ]
    )  # fmt: skip
    assert "region" not in result.codes  # European actors need no region
    assert result.score == ITEMS["region"][0]
    labels = {m.code: m.label for m in result.missing}
    assert labels["description"] == "description under 20 words (2)"
    assert labels["verified"] == "never verified"
    assert labels["location"] == "no city or coordinates"
    why = {m.code: m.why for m in result.missing}
    assert "the ranking reads it" in why["description"]
    # Most important first.
    assert [m.weight for m in result.missing] == sorted(
        (m.weight for m in result.missing), reverse=True
    )


@pytest.mark.parametrize(
    ("changes", "codes", "label"),
    [
        ({"description": " ".join(["word"] * 19)}, ["description"], "description under 20 words"),
        ({"keywords": " ; "}, ["keywords"], "no keywords"),
        ({"website": ""}, ["website"], "no website"),
        ({"city": ""}, ["location"], "no city"),
        ({"latitude": None}, ["location"], "no coordinates"),
        ({"source": "  "}, ["source"], "no source"),
        ({"last_verified": None}, ["verified"], "never verified"),
        (
            {"last_verified": datetime.date(2000, 1, 1)},
            ["verified"],
            "verified more than 12 months ago",
        ),
    ],
)
def test_each_field_item(db, changes, codes, label):
    actor = full_actor(**changes)
    result = completeness(actor)
    assert result.codes == codes
    assert result.missing[0].label.startswith(label)
    assert result.score == 100 - ITEMS[codes[0]][0]


def test_links_items(db):
    actor = full_actor()
    actor.sectors.clear()
    actor.offers.clear()
    actor.contacts.all().delete()
    assert sorted(completeness(actor).codes) == ["contacts", "offers", "sectors"]
    actor.seeks.clear()
    assert "seeks" in completeness(actor).codes


def test_korean_actor_without_region(db):
    region = RegionFactory(code="kr-daegu", name="Daegu", country="KR")
    actor = full_actor(side="kr", country="KR", city="Daegu")
    assert completeness(actor).codes == ["region"]
    assert completeness(actor).missing[0].label == "Korean actor without region"
    actor.region = region
    assert completeness(actor).codes == []


def test_verified_exactly_twelve_months_ago_is_still_fresh(db):
    today = datetime.date(2026, 3, 31)
    fresh = full_actor(last_verified=datetime.date(2025, 3, 31))
    assert completeness(fresh, today=today).codes == []
    fresh.last_verified = datetime.date(2025, 3, 30)
    assert completeness(fresh, today=today).codes == ["verified"]


def test_months_ago_clamps_to_the_end_of_shorter_months():
    assert months_ago(1, today=datetime.date(2026, 3, 31)) == datetime.date(2026, 2, 28)
    assert months_ago(12, today=datetime.date(2024, 2, 29)) == datetime.date(2023, 2, 28)
    assert months_ago(14, today=datetime.date(2026, 1, 15)) == datetime.date(2024, 11, 15)


def test_no_query_per_actor(db, django_assert_num_queries):
    for i in range(6):
        actor = full_actor(slug=f"full-{i}") if i % 2 else ActorFactory(slug=f"bare-{i}")
        assert actor
    with django_assert_num_queries(1):
        annotated = [completeness(a) for a in with_quality_facts(Actor.objects.all())]
    with django_assert_num_queries(5):
        prefetched = [
            completeness(a)
            for a in Actor.objects.prefetch_related("sectors", "offers", "seeks", "contacts")
        ]
    assert annotated == prefetched
    assert sorted(r.score for r in annotated)[-1] == 100


def test_ranking_puts_the_least_complete_first(db):
    full_actor(slug="complete", name="Complete")
    ActorFactory(slug="bare", name="Bare", description="Short.", city="")
    ActorFactory(slug="middle", name="Middle", description=SIXTY_WORDS, website="https://m.org")
    rows = completeness_ranking(with_quality_facts(Actor.objects.all()))
    assert [a.slug for a, _ in rows] == ["bare", "middle", "complete"]
    assert [q.score for _, q in rows] == sorted(q.score for _, q in rows)


def test_stale_profiles(db):
    today = timezone.localdate()
    never = ActorFactory(slug="never", name="Never", last_verified=None)
    old = ActorFactory(slug="old", name="Old", last_verified=today - datetime.timedelta(days=800))
    older = ActorFactory(slug="older", name="Older", last_verified=datetime.date(2015, 5, 1))
    ActorFactory(slug="recent", last_verified=today - datetime.timedelta(days=20))
    ActorFactory(slug="draft", status="draft", last_verified=None)
    ActorFactory(slug="archived", status="archived", last_verified=None)
    assert list(stale_profiles()) == [never, older, old]
    assert list(stale_profiles(months=36)) == [never, older]
