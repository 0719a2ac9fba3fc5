"""Likely duplicates: spellings, scripts, acronyms, websites, descriptions, and what is not one."""

import random

import pytest

from curation.duplicates import (
    duplicate_candidates,
    name_key,
    name_variants,
    website_domain,
)
from tests.factories import ActorFactory

LONG_TEXT = (
    "Regional alliance of robot makers, machine vision start-ups and automation integrators "
    "around the harbour, running shared test cells for collaborative robots, welding cells and "
    "autonomous mobile platforms, a training academy for technicians, and export missions to "
    "shipyards and battery plants; it brokers pilot projects between integrators and factories "
    "and maintains a catalogue of grippers, sensors and safety controllers tested on site."
)


WORDS = [
    "aerospace", "agrifood", "algae", "antibodies", "batteries", "biochips", "bioplastics",
    "brewing", "ceramics", "cement", "cheese", "cosmetics", "cotton", "dairy", "dentistry",
    "desalination", "drones", "elevators", "enzymes", "ferries", "fertiliser", "footwear",
    "forestry", "furniture", "glass", "graphene", "helicopters", "hydrogen", "implants", "inks",
    "insulin", "jewellery", "lasers", "leather", "lenses", "lithium", "locomotives", "magnets",
    "membranes", "microscopes", "mining", "nanotubes", "olives", "optics", "orthopaedics",
    "packaging", "paper", "perfume", "pharmacy", "photonics", "pipelines", "plywood", "polymers",
    "printing", "prosthetics", "pumps", "quantum", "radar", "railways", "recycling", "robotics",
    "rubber", "satellites", "seafood", "semiconductors", "shipbuilding", "silk", "software",
    "solar", "steel", "sugar", "telescopes", "textiles", "timber", "tobacco", "toys", "tractors",
    "turbines", "tyres", "vaccines", "valves", "vineyards", "watches", "welding", "wind", "wool",
    "yachts", "yeast", "zinc"
]  # fmt: skip


def text_for(slug: str) -> str:
    """A description of its own: 40 words drawn for this slug (unrelated actors, low cosine)."""
    return "Works on " + ", ".join(random.Random(slug).sample(WORDS, 40)) + "."


def actor(**kwargs):
    kwargs.setdefault("description", text_for(kwargs["slug"]))
    return ActorFactory(**kwargs)


def pair_of(pairs, a, b):
    for pair in pairs:
        if {pair.first.pk, pair.second.pk} == {a.pk, b.pk}:
            return pair
    return None


def kr(**kwargs):
    return actor(side="kr", country="KR", kind="technopark", **kwargs)


def test_name_keys_fold_accents_scripts_punctuation_and_generic_words():
    assert name_key("Lyon Biopôle") == "lyon biopole"
    assert name_key("The Packaging Cluster e.V.") == "packaging"
    assert "daegu technopark" in name_variants("대구테크노파크 (Daegu Technopark)")
    assert name_key("Клъстер Мехатроника") == "mekhatronika"
    assert website_domain("https://www.LyonBiopole.com/en/") == "lyonbiopole.com"
    assert website_domain("lyonbiopole.com") == "lyonbiopole.com"
    assert website_domain("") == ""


def test_same_organisation_spelt_two_ways(db):
    a = actor(name="Lyonbiopole", slug="lyonbiopole")
    b = actor(name="Lyon Biopôle", slug="lyon-biopole")
    actor(name="Turin Health Cluster", slug="turin-health", country="IT")
    pairs = duplicate_candidates()
    assert len(pairs) == 1
    pair = pair_of(pairs, a, b)
    assert pair is not None
    assert "names 100% alike: 'Lyonbiopole' / 'Lyon Biopôle'" in pair.reasons
    assert 0 < pair.score <= 1


def test_korean_name_in_hangul_with_its_english_name(db):
    a = kr(name="Daegu Technopark", slug="daegu-tp")
    b = kr(name="대구테크노파크 (Daegu Technopark)", slug="daegu-tp-ko")
    kr(name="Gyeongbuk Technopark", slug="gyeongbuk-tp")
    pairs = duplicate_candidates()
    assert pair_of(pairs, a, b) is not None
    assert [p.key for p in pairs] == [pair_of(pairs, a, b).key]


def test_cyrillic_and_latin_spellings_meet_through_unidecode(db):
    a = actor(name="Клъстер Мехатроника и Автоматизация", slug="mechatronics-bg", country="BG")
    b = actor(name="Klaster Mehatronika i Avtomatizacija", slug="mechatronics", country="BG")
    pair = pair_of(duplicate_candidates(), a, b)
    assert pair is not None
    assert any(r.startswith("names ") for r in pair.reasons), pair.reasons


def test_places_that_differ_by_one_word_are_not_duplicates(db):
    actor(name="Asan National Industrial Complex", slug="asan", side="kr", country="KR")
    actor(name="Ulsan National Industrial Complex", slug="ulsan", side="kr", country="KR")
    actor(name="Daegu Technopark", slug="daegu-tp", side="kr", country="KR")
    actor(name="Daegu University", slug="daegu-univ", side="kr", country="KR")
    assert duplicate_candidates() == []


def test_same_website_domain(db):
    a = actor(name="Biocat", slug="biocat", website="https://www.biocat.cat/en/")
    b = actor(name="BioRegion of Catalonia", slug="bioregion", website="http://biocat.cat")
    pair = pair_of(duplicate_candidates(), a, b)
    assert pair is not None
    assert "same website domain biocat.cat" in pair.reasons
    assert pair.score >= 0.8


def test_pages_of_a_shared_portal_are_not_one_site(db):
    for code in ("DC", "ICT", "GT", "IMT"):
        kr(name=f"Seoul {code} Mini Cluster", slug=f"seoul-{code.lower()}", acronym="")
        kr(
            name=f"Other {code}",
            slug=f"other-{code.lower()}",
            website=f"http://mini.e-cluster.net/{code}",
        )
    assert duplicate_candidates() == []


def test_same_acronym(db):
    a = kr(name="KIAT", slug="kiat", acronym="")
    b = kr(name="Korea Institute for Advancement of Technology", slug="kiat-long", acronym="KIAT")
    pair = pair_of(duplicate_candidates(), a, b)
    assert pair is not None
    assert "same acronym KIAT" in pair.reasons


def test_similar_descriptions_with_different_names(db):
    a = actor(name="Harbour Robotics Alliance", slug="harbour-robotics", description=LONG_TEXT)
    b = actor(
        name="Port Automation Network",
        slug="port-automation",
        description=LONG_TEXT + " Founded 2011.",
    )
    actor(
        name="Alpine Food Valley",
        slug="alpine-food",
        description="Dairy, cheese and mountain food producers with a shared packaging plant.",
    )
    actor(
        name="Coastal Water Partnership",
        slug="coastal-water",
        description="Desalination, wastewater reuse and smart metering for coastal towns.",
    )
    pairs = duplicate_candidates()
    pair = pair_of(pairs, a, b)
    assert pair is not None
    assert any(r.startswith("descriptions") and "alike" in r for r in pair.reasons)
    assert len(pairs) == 1


def test_peers_on_the_two_sides_are_not_duplicates(db):
    """Same name, same words, different websites: a European and a Korean peer, not one body."""
    actor(
        name="Bio Health Cluster", slug="bio-health-eu", website="https://biohealth.eu",
        description=LONG_TEXT,
    )  # fmt: skip
    kr(
        name="Bio Health Cluster", slug="bio-health-kr", website="https://biohealth.or.kr",
        description=LONG_TEXT,
    )  # fmt: skip
    assert duplicate_candidates() == []


def test_across_the_sides_only_the_same_website_makes_a_pair(db):
    a = actor(name="Korea Desk of Lyonbiopole", slug="desk", website="https://lyonbiopole.com")
    b = kr(name="Lyonbiopole Korea", slug="lyonbiopole-kr", website="https://www.lyonbiopole.com/")
    pair = pair_of(duplicate_candidates(), a, b)
    assert pair is not None
    assert "same website domain lyonbiopole.com" in pair.reasons
    assert any("different sides" in r for r in pair.reasons)


def test_each_pair_once_never_itself_best_first_and_limited(db):
    actor(name="Lyonbiopole", slug="a1", website="https://lyonbiopole.com")
    actor(name="Lyon Biopôle", slug="a2", website="https://www.lyonbiopole.com")
    actor(name="Lyon Biopole Cluster", slug="a3")
    actor(name="Pôle Eau", slug="b1")
    actor(name="Pole Eau", slug="b2", website="https://pole-eau.com")
    actor(name="Unrelated Textile Network", slug="c1")
    pairs = duplicate_candidates()
    keys = [p.key for p in pairs]
    assert len(keys) == len(set(keys))
    assert all(p.first.pk < p.second.pk for p in pairs)
    assert [p.score for p in pairs] == sorted((p.score for p in pairs), reverse=True)
    assert {p.first.slug for p in pairs} | {p.second.slug for p in pairs} == {
        "a1", "a2", "a3", "b1", "b2"
    }  # fmt: skip
    # Same name and same site beats same name alone.
    assert {pairs[0].first.slug, pairs[0].second.slug} == {"a1", "a2"}
    assert len(duplicate_candidates(limit=2)) == 2


def test_different_websites_and_parent_links_lower_the_score(db):
    a = actor(name="Pôle Eau", slug="pole-eau", website="https://pole-eau.com")
    b = actor(name="Pole Eau", slug="pole-eau-2")
    c = actor(name="Pole-Eau", slug="pole-eau-3", website="https://other-water.org")
    pairs = duplicate_candidates()
    plain, different = pair_of(pairs, a, b), pair_of(pairs, a, c)
    assert different.score < plain.score
    assert "but different websites: pole-eau.com / other-water.org" in different.reasons


def test_archived_profiles_are_left_out_unless_asked_for(db):
    a = actor(name="Lyonbiopole", slug="lyonbiopole")
    b = actor(name="Lyon Biopôle", slug="lyon-biopole", status="archived")
    assert duplicate_candidates() == []
    from directory.models import Actor

    assert pair_of(duplicate_candidates(actors=Actor.objects.all()), a, b) is not None


@pytest.mark.parametrize("count", [0, 1])
def test_tiny_directories(db, count):
    for i in range(count):
        actor(slug=f"only-{i}")
    assert duplicate_candidates() == []
