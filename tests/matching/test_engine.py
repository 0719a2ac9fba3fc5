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
    assert set(terms[:4]) <= {"membranes", "wastewater treatment", "desalination", "water"}
    assert "membranes" in terms and "desalination" in terms
    # Both write "wastewater treatment": the phrase is named once, not its two words apart.
    assert "wastewater treatment" in terms
    assert "wastewater" not in terms and "treatment" not in terms
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


def peer_directory(links=()):
    """Three biotech clusters in Europe; in Korea two biotech actors that read alike."""
    return build_index(
        [
            profile(1, "lyon-bio", "eu", "Vaccines, antibodies and diagnostics cluster."),
            profile(2, "turin-bio", "eu", "Cluster of vaccines, antibodies and diagnostics firms."),
            profile(3, "munich-bio", "eu", "Antibodies, vaccines and diagnostics companies."),
            profile(4, "water-eu", "eu", "Wastewater treatment and membranes."),
            profile(10, "osong-bio", "kr", "Biotech complex: vaccines and antibodies plants."),
            profile(11, "chuncheon-bio", "kr", "Biotech institute: vaccines and antibodies firms."),
        ],
        links=links,
    )


def test_partners_of_similar_organisations_lift_a_candidate_and_are_named():
    alone = peer_directory()
    before = {m.slug: m for m in alone.rank(1, top=None)}
    # Lyon's two closest peers both work with Chuncheon.
    index = peer_directory(links=[(2, 11), (3, 11)])
    after = {m.slug: m for m in index.rank(1, top=None)}
    assert after["chuncheon-bio"].peer > 0.9 and after["osong-bio"].peer == 0
    assert after["chuncheon-bio"].score > before["chuncheon-bio"].score
    assert [m.slug for m in index.rank(1, top=2)][0] == "chuncheon-bio"
    reason = explanation(after["chuncheon-bio"])
    assert "Organisations like yours work with them: Turin Bio and Munich Bio." in reason
    # The share of the score is the model's, and the parts still add up to the score.
    match = after["chuncheon-bio"]
    assert sum(match.contributions.values()) == pytest.approx(match.score, abs=1e-6)
    assert match.contributions["peers"] == pytest.approx(0.3 * match.peer, abs=1e-6)


def test_without_known_partners_the_score_is_the_plain_one():
    index = peer_directory()
    for m in index.rank(1, top=None):
        assert m.peer == 0 and m.contributions["peers"] == 0
        wt, ws, wi = DEFAULT_WEIGHTS.normalised
        assert m.score == pytest.approx(wt * m.text + ws * m.sector + wi * m.interest, abs=1e-6)


def test_an_actors_own_partnership_never_feeds_its_own_peer_score():
    # Lyon's own partner gets no peer points from Lyon itself: only others' partnerships count.
    index = peer_directory(links=[(1, 10)])
    by_slug = {m.slug: m for m in index.rank(1, top=None)}
    assert by_slug["osong-bio"].peer == 0
    # Turin, whose closest peer is Lyon, does see Osong as a partner of a similar organisation.
    turin = {m.slug: m for m in index.rank(2, top=None)}
    assert turin["osong-bio"].peer > 0


def test_a_tie_with_a_draft_or_a_same_side_actor_changes_no_score():
    plain = {m.slug: m.score for m in peer_directory().rank(1, top=None)}
    drafts = [
        profile(1, "lyon-bio", "eu", "Vaccines, antibodies and diagnostics cluster."),
        profile(2, "turin-bio", "eu", "Cluster of vaccines, antibodies and diagnostics firms."),
        profile(10, "osong-bio", "kr", "Biotech complex: vaccines and antibodies plants."),
        profile(12, "draft-bio", "kr", "Vaccines and antibodies.", published=False),
    ]
    index = build_index(drafts, links=[(2, 12), (2, 1)])
    assert index.links.nnz == 0
    # In the full directory too: Turin's tie with a draft and with a European actor are ignored.
    full = peer_directory(links=[(2, 4)])
    assert {m.slug: m.score for m in full.rank(1, top=None)} == pytest.approx(plain)


def test_two_labels_with_and_read_as_a_person_writes_them():
    from matching.engine import Match

    match = Match(
        key=1, slug="x", name="X", score=0.5, text=0.5, sector=0, interest=1,
        contributions={}, they_offer_you_seek=("Market access and export", "Supply chain"),
        peer_partners=("European Commission, DG Grow", "FFG"),
    )  # fmt: skip
    sentence = explanation(match)
    assert "They offer market access and export, as well as supply chain, which you seek." in (
        sentence
    )
    assert "work with them: European Commission, DG Grow, as well as FFG." in sentence


def test_a_close_text_without_a_shown_word_says_so():
    from matching.engine import Match

    close = Match(
        key=1, slug="x", name="X", score=0.1, text=0.1, sector=0, interest=0, contributions={}
    )
    far = Match(
        key=2, slug="y", name="Y", score=0.01, text=0.01, sector=0, interest=0, contributions={}
    )
    assert explanation(close).startswith("Their profile reads close to yours")
    assert explanation(far) == "Little in common beyond being on the other side: a weak match."
