"""The ranking engine on small hand-made directories (no database)."""

import numpy as np
import pytest

from matching.engine import DEFAULT_WEIGHTS, Filters, Profile, Weights, build_index
from matching.explain import explanation


def profile(
    key,
    slug,
    side,
    text,
    sectors=(),
    offers=(),
    seeks=(),
    kind="eu-cluster",
    region="",
    published=True,
):
    return Profile(
        key=key,
        slug=slug,
        name=slug.replace("-", " ").title(),
        side=side,
        kind=kind,
        region=region,
        text=text,
        sectors=frozenset(sectors),
        offers=frozenset(offers),
        seeks=frozenset(seeks),
        published=published,
    )


@pytest.fixture
def directory():
    return build_index(
        [
            profile(
                1,
                "water-eu",
                "eu",
                "Water cluster: wastewater treatment, membranes, "
                "desalination and water reuse for cities.",
                ["env"],
                ["rd"],
                ["market"],
            ),
            profile(
                2,
                "bio-eu",
                "eu",
                "Biotech cluster for vaccines, antibodies and diagnostics.",
                ["bio"],
                ["market"],
                ["rd"],
            ),
            profile(
                10,
                "daegu-water",
                "kr",
                "Korean water technopole testing membranes, "
                "wastewater treatment and desalination plants.",
                ["env"],
                ["market"],
                ["rd"],
                kind="cluster-agency",
                region="kr-daegu",
            ),
            profile(
                11,
                "chuncheon-bio",
                "kr",
                "Bioindustry foundation supporting vaccines, antibodies and diagnostics start-ups.",
                ["bio"],
                ["rd"],
                ["market"],
                kind="foundation",
                region="kr-gangwon",
            ),
            profile(
                12,
                "gumi-chips",
                "kr",
                "Semiconductor and display parts makers, moulds and electronics.",
                ["chips"],
                ["supply"],
                ["market"],
                kind="mini-cluster",
                region="kr-gyeongbuk",
            ),
            profile(
                13,
                "draft-water",
                "kr",
                "Water membranes and wastewater desalination treatment twin.",
                ["env"],
                ["market"],
                ["rd"],
                published=False,
            ),
        ],
        version="v1",
    )


def test_the_obvious_partner_ranks_first(directory):
    assert [m.slug for m in directory.rank(1)][:2] == ["daegu-water", "chuncheon-bio"]
    assert directory.rank(2)[0].slug == "chuncheon-bio"


def test_candidates_are_the_other_side_published_and_never_itself(directory):
    slugs = {m.slug for m in directory.rank(1, top=None)}
    assert slugs == {"daegu-water", "chuncheon-bio", "gumi-chips"}
    korean = {m.slug for m in directory.rank(10, top=None)}
    assert korean == {"water-eu", "bio-eu"}
    assert "draft-water" in {
        m.slug for m in directory.rank(1, top=None, filters=Filters(include_unpublished=True))
    }


def test_scores_are_in_unit_interval_and_components_add_up(directory):
    for m in directory.rank(1, top=None):
        assert 0.0 <= m.score <= 1.0
        assert m.score == pytest.approx(sum(m.contributions.values()), abs=1e-6)


def test_text_similarity_is_cosine_of_tfidf(directory):
    row, other = directory.row_of(1), directory.row_of(10)
    a = directory.tfidf[row].toarray().ravel()
    b = directory.tfidf[other].toarray().ravel()
    expected = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
    match = next(m for m in directory.rank(1, top=None) if m.slug == "daegu-water")
    assert match.text == pytest.approx(expected, rel=1e-5)
    assert directory.tfidf.dtype == np.float32


def test_sector_and_interest_components(directory):
    by_slug = {m.slug: m for m in directory.rank(1, top=None)}
    assert by_slug["daegu-water"].sector == pytest.approx(1.0)
    assert by_slug["gumi-chips"].sector == 0.0
    # water-eu seeks market (daegu offers it) and offers rd (daegu seeks it): both directions met.
    assert by_slug["daegu-water"].interest == pytest.approx(1.0)
    # chuncheon offers rd (not sought) and seeks market (not offered by water-eu).
    assert by_slug["chuncheon-bio"].interest == 0.0


def test_explanations_name_the_right_terms_sectors_and_interests(directory):
    directory.sector_labels = {"env": "Environmental services"}
    directory.interest_labels = {"market": "Market access", "rd": "Joint R&D"}
    match = directory.rank(1)[0]
    terms = [t.term for t in match.shared_terms]
    assert set(terms[:4]) <= {"membranes", "wastewater", "desalination", "treatment", "water"}
    assert "membranes" in terms and "desalination" in terms
    assert all(t.weight > 0 for t in match.shared_terms)
    assert match.shared_sectors == ("Environmental services",)
    assert match.they_offer_you_seek == ("Market access",)
    assert match.you_offer_they_seek == ("Joint R&D",)
    sentence = explanation(match)
    assert "membranes" in sentence
    assert "environmental services" in sentence
    assert "They offer market access, which you seek." in sentence
    assert "They seek joint R&D, which you offer." in sentence


def test_filters_by_kind_region_and_sector(directory):
    assert [
        m.slug for m in directory.rank(1, filters=Filters(kinds=frozenset({"mini-cluster"})))
    ] == ["gumi-chips"]
    assert [
        m.slug for m in directory.rank(1, filters=Filters(regions=frozenset({"kr-gangwon"})))
    ] == ["chuncheon-bio"]
    assert [m.slug for m in directory.rank(1, filters=Filters(sectors=frozenset({"bio"})))] == [
        "chuncheon-bio"
    ]
    assert directory.rank(1, filters=Filters(sectors=frozenset({"unknown"}))) == []


def test_weights_change_the_order(directory):
    # Only interests count: chuncheon (offers rd that bio-eu seeks, seeks market it offers)
    # and water partners tie on text otherwise; for water-eu, gumi never wins on interests.
    interests_only = directory.rank(2, weights=Weights(text=0, sector=0, interest=1), top=None)
    assert interests_only[0].slug == "chuncheon-bio"
    text_only = directory.rank(1, weights=Weights(text=1, sector=0, interest=0), top=None)
    assert text_only[0].slug == "daegu-water"
    assert text_only[0].score == pytest.approx(text_only[0].text)
    sectors_only = directory.rank(1, weights=Weights(text=0, sector=1, interest=0), top=None)
    assert [m.score for m in sectors_only] == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(("t", "s", "i"), [(0, 0, 0), (-1, 1, 1), (float("nan"), 1, 1)])
def test_invalid_weights_are_refused(t, s, i):
    with pytest.raises(ValueError):
        Weights(text=t, sector=s, interest=i)


def test_top_k_matches_a_full_sort(directory):
    full = directory.rank(1, top=None)
    assert [m.slug for m in directory.rank(1, top=2)] == [m.slug for m in full[:2]]
    assert [m.rank for m in full] == list(range(1, len(full) + 1))


def test_pair_scores_agree_with_single_rankings(directory):
    rows = [directory.row_of(1), directory.row_of(2)]
    cols = [directory.row_of(k) for k in (10, 11, 12)]
    matrix = directory.pair_scores(rows, cols, weights=DEFAULT_WEIGHTS)
    for r, key in zip(range(2), (1, 2), strict=True):
        by_key = {m.key: m.score for m in directory.rank(key, top=None)}
        for c, other in enumerate((10, 11, 12)):
            assert matrix[r, c] == pytest.approx(by_key[other], abs=1e-6)


def test_unknown_actor_and_empty_directory():
    index = build_index([profile(1, "a", "eu", "the and of")], version=1)
    assert index.rank(1) == []
    with pytest.raises(KeyError):
        index.rank(99)
    with pytest.raises(ValueError):
        build_index([], version=1)


def test_interest_uses_only_the_directions_the_query_actor_has():
    index = build_index(
        [
            profile(
                1, "seeker", "eu", "water membranes", ["env"], offers=[], seeks=["market", "rd"]
            ),
            profile(
                2, "offers-market", "kr", "water pumps", ["env"], offers=["market"], seeks=["rd"]
            ),
        ],
        version=1,
    )
    match = index.rank(1)[0]
    # Seeks two, the candidate offers one of them; offering nothing is not held against it.
    assert match.interest == pytest.approx(0.5)
    assert index.pair_scores([0], [1])[0, 0] == pytest.approx(match.score, abs=1e-6)
