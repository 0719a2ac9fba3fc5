"""The profiles an index keeps: the same profiles read back, in far less memory."""

import sys

import pytest

from bench.synthetic import synthetic_profiles
from matching.engine import Profile, build_index
from matching.stored_profiles import StoredProfiles

AWKWARD = [
    Profile(
        key=7,
        slug="nul-and-korean",
        name="Null \x00 Cluster",
        side="eu",
        kind="eu-cluster",
        region="",
        # A NUL, a Korean text, an emoji and a length prefix's worth of digits: none may
        # shift the border between the text and the own words.
        text="water\x00reuse 수처리 클러스터 💧 0000 membranes",
        sectors=frozenset({"env", "water"}),
        offers=frozenset({"rd"}),
        seeks=frozenset(),
        published=False,
        own_words="Null \x00 Cluster nul.example",
    ),
    Profile(
        key=9,
        slug="empty",
        name="Empty",
        side="kr",
        kind="kr-agency",
        region="KR-11",
        text="",
        own_words="",
    ),
]


def test_every_profile_reads_back_exactly_as_it_was_given():
    store = StoredProfiles(AWKWARD)
    assert list(store) == AWKWARD
    assert store[-1] == AWKWARD[-1]
    assert store[0:1] == AWKWARD[0:1]
    assert store.text(0) == AWKWARD[0].text
    assert store.sectors_of(0) == {"env", "water"}
    assert store.seeks_of(1) == frozenset()
    with pytest.raises(IndexError):
        store[2]


def test_the_store_takes_a_fraction_of_the_plain_profiles_memory():
    profiles = synthetic_profiles(2000)
    size = sys.getsizeof
    plain = sum(
        size(p) + size(p.__dict__) + size(p.text) + size(p.slug) + size(p.name)
        + size(p.own_words) + size(p.sectors) + size(p.offers) + size(p.seeks)
        for p in profiles
    )  # fmt: skip
    store = StoredProfiles(profiles)
    assert store.nbytes < 0.6 * plain, (store.nbytes, plain)
    assert list(store) == profiles


def test_an_index_explains_from_its_stored_profiles():
    index = build_index(
        [
            Profile(1, "lyon", "Lyon Bio", "eu", "eu-cluster", "", "vaccines and diagnostics",
                    frozenset({"bio"}), frozenset({"rd"}), frozenset({"market"}),
                    own_words="Lyon Bio lyon"),
            Profile(2, "osong", "Osong Bio", "kr", "kr-cluster", "KR-43",
                    "vaccines and in-vitro diagnostics in Lyon",
                    frozenset({"bio", "med"}), frozenset({"market"}), frozenset({"rd"}),
                    own_words="Osong Bio osong"),
        ]
    )  # fmt: skip
    [match] = index.rank(1)
    assert match.slug == "osong" and match.name == "Osong Bio"
    assert match.shared_sectors == ("bio",)
    assert match.they_offer_you_seek == ("market",)
    assert match.you_offer_they_seek == ("rd",)
    terms = [t.term for t in match.shared_terms]
    assert "vaccines" in terms
    # The query's own words (its city) are never a reason, even though the candidate names it.
    assert "lyon" not in terms


def test_shared_codes_are_the_intersection_whichever_profile_asks_first():
    store = StoredProfiles(AWKWARD + [
        Profile(key=11, slug="other", name="Other", side="kr", kind="kr-agency", region="",
                text="x", sectors=frozenset({"water", "bio"}), offers=frozenset({"market"}),
                seeks=frozenset({"rd"}))
    ])  # fmt: skip
    for _ in range(2):  # the second time from the remembered side
        assert store.shared("sectors", 0, "sectors", 2) == ["water"]
        assert store.shared("offers", 0, "seeks", 2) == ["rd"]
        assert store.shared("seeks", 0, "offers", 2) == []
        assert sorted(store.shared("sectors", 2, "sectors", 0)) == ["water"]
    # The memory of the asking side never travels with the index.
    import pickle

    assert "_memo" not in pickle.loads(pickle.dumps(store)).__dict__


def test_a_store_is_extended_only_when_every_field_of_its_rows_is_the_same():
    from dataclasses import replace

    indexed = synthetic_profiles(25)
    # Newcomers with sets of codes the store has seen (a new code renumbers the sets).
    newcomers = [replace(p, key=100 + i, slug=f"new-{i}") for i, p in enumerate(indexed[:5])]
    profiles = [*indexed, *newcomers]
    old = StoredProfiles(indexed)
    grown = old.extended(profiles)
    assert grown is not None and list(grown) == profiles
    assert grown.nbytes > old.nbytes and list(old) == profiles[:25]  # the old store unchanged
    assert list(old.extended(profiles[:25])) == profiles[:25]
    assert old.extended(profiles[:24]) is None  # shorter
    assert old.extended(profiles[1:]) is None  # shifted
    # A newcomer with a code no stored profile has: a full build (its code numbers change).
    assert old.extended([*profiles[:25], *AWKWARD]) is None
    changes = {
        "text": {"text": profiles[3].text + "."},
        "own words": {"own_words": "x"},
        "name": {"name": "Renamed"},
        "slug": {"slug": "moved"},
        "side": {"side": "kr" if profiles[3].side == "eu" else "eu"},
        "kind": {"kind": profiles[3].kind + "-other"},
        "text by a letter": {"text": profiles[3].text[:-1] + "#"},
        "region": {"region": "elsewhere"},
        "published": {"published": not profiles[3].published},
        "sectors": {"sectors": profiles[3].sectors | {"sector-5"}},
        "offers": {"offers": frozenset()},
        "seeks": {"seeks": profiles[3].seeks ^ {"interest-1"}},
    }
    for what, change in changes.items():
        changed = [*profiles[:3], replace(profiles[3], **change), *profiles[4:]]
        assert old.extended(changed) is None, what
