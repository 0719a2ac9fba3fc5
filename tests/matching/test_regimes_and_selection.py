"""The evaluation's regimes, its BM25 baseline and its cross-validation (engine level)."""

import re

import numpy as np
import pytest

from directory.documented import DocumentedPairError, documented_pairs
from matching.engine import RankingModel, Weights, build_index
from matching.evaluation import (
    LabelledPair,
    LabelledQuery,
    bm25_scorer,
    evaluate,
    queries_from,
)
from matching.profiles import ProfileParts, profile_from
from matching.regimes import (
    AS_IS,
    NAMES_MASKED,
    NAMES_MASKED_NO_TAXONOMY,
    mask_partner_names,
    regime_parts,
)
from matching.selection import Candidate, Menu, RankTable, leave_one_query_out, rank_table

LABELS = {"sector_labels": {"water": "Water"}, "interest_labels": {"rd": "Joint R&D"}}


def parts(slug, name, side, description, **extra):
    return ProfileParts(
        key=abs(hash(slug)) % 10**6, slug=slug, name=name, side=side, kind="cluster",
        description=description, **extra,
    )  # fmt: skip


def test_masking_removes_the_partners_name_acronym_and_website_but_not_what_they_do():
    eau = parts(
        "pole-eau", "Pôle Eau", "eu",
        "Water cluster of Montpellier; works with the Daegu Water Cluster (DWC) on wastewater "
        "reuse, see dwc-daegu.kr; Daegu's plans for membranes.",
        keywords="water reuse; DWC",
    )  # fmt: skip
    dwc = parts(
        "dwc", "Daegu Water Cluster", "kr",
        "Technopole for water companies; advised by Pôle Eau and POLE EAU experts on reuse.",
        acronym="DWC", website_host="www.dwc-daegu.kr", sectors=frozenset({"water"}),
    )  # fmt: skip
    other = parts("other", "Busan Port Cluster", "kr", "Shipping and logistics in Busan.")
    masked = {
        p.slug: p
        for p in mask_partner_names([eau, dwc, other], [("pole-eau", "dwc")], topic_words=["Water"])
    }
    text = masked["pole-eau"].description.casefold()
    assert "daegu" not in text and "dwc" not in text
    # What Pôle Eau does stays: water, wastewater reuse, membranes.
    for word in ("water cluster of montpellier", "wastewater", "reuse", "membranes"):
        assert word in text
    assert "dwc" not in masked["pole-eau"].keywords.casefold()
    assert "water reuse" in masked["pole-eau"].keywords
    partner_text = masked["dwc"].description.casefold()
    assert not {"pôle", "pole", "eau"} & set(re.findall(r"\w+", partner_text))
    assert "technopole for water companies" in partner_text
    # Its own name, and an actor in no labelled pair, are untouched.
    assert masked["dwc"].name == "Daegu Water Cluster"
    assert masked["other"] == other


def test_the_third_regime_also_drops_sectors_and_interests():
    a = parts("a", "Alpha", "eu", "Alpha works with Beta.", sectors=frozenset({"water"}))
    b = parts("b", "Beta", "kr", "Beta.", offers=frozenset({"rd"}))
    pairs = [("a", "b")]
    assert regime_parts(AS_IS, [a, b], pairs) == [a, b]
    masked = regime_parts(NAMES_MASKED, [a, b], pairs)
    assert masked[0].sectors == {"water"} and "Beta" not in masked[0].description
    bare = regime_parts(NAMES_MASKED_NO_TAXONOMY, [a, b], pairs)
    assert [p.sectors | p.offers | p.seeks for p in bare] == [set(), set()]
    assert "Beta" not in bare[0].description


def test_documented_pairs_need_a_known_grade_and_a_source(tmp_path):
    path = tmp_path / "pairs.yaml"
    path.write_text("- {eu: a, kr: b, grade: rumour, source: x}\n", encoding="utf-8")
    with pytest.raises(DocumentedPairError, match="pairs.yaml, entry 1: grade 'rumour'"):
        documented_pairs(path)
    path.write_text("- {eu: a, kr: b, grade: proposed, source: ' '}\n", encoding="utf-8")
    with pytest.raises(DocumentedPairError, match="entry 1: the source is empty"):
        documented_pairs(path)
    path.write_text("- {eu: a, grade: proposed, source: s}\n", encoding="utf-8")
    with pytest.raises(DocumentedPairError, match="needs eu, kr, grade and source"):
        documented_pairs(path)


def test_pairs_become_queries_from_either_side():
    pairs = [
        LabelledPair("a", "k1", "proposed", "s"),
        LabelledPair("a", "k2", "signed agreement", "s"),
        LabelledPair("b", "k1", "documented cooperation", "s"),
    ]
    assert queries_from(pairs) == [
        LabelledQuery("a", ("k1", "k2")),
        LabelledQuery("b", ("k1",)),
    ]
    assert queries_from(pairs, korean_side=True) == [
        LabelledQuery("k1", ("a", "b")),
        LabelledQuery("k2", ("a",)),
    ]


def small_directory():
    eu = [
        parts("eau", "Eau", "eu", "wastewater treatment membranes reuse desalination"),
        parts("bio", "Bio", "eu", "vaccines antibodies diagnostics biotech"),
        parts("car", "Car", "eu", "electric vehicles batteries charging"),
    ]
    kr = [
        parts("k-water", "KW", "kr", "membranes for wastewater reuse and desalination plants"),
        parts("k-bio", "KB", "kr", "antibodies and vaccines made by biotech firms"),
        parts("k-car", "KC", "kr", "batteries for electric vehicles"),
        parts("k-ship", "KS", "kr", "shipbuilding yards and marine engines"),
    ]
    return [profile_from(p, **LABELS) for p in eu + kr]


def test_bm25_puts_the_profile_with_the_query_words_first():
    index = build_index(small_directory())
    labelled = [LabelledQuery("eau", ("k-water",)), LabelledQuery("bio", ("k-bio",))]
    report = evaluate(index, labelled, scorer=bm25_scorer(index), name="BM25")
    assert [r.rank for r in report.ranks] == [1.0, 1.0]
    assert report.mrr == 1.0


def test_rank_table_agrees_with_the_engine_for_every_model_on_the_menu():
    profiles = small_directory()
    labelled = [
        LabelledQuery("eau", ("k-water",)),
        LabelledQuery("bio", ("k-bio",)),
        LabelledQuery("car", ("k-car",)),
    ]
    menu = Menu(
        bigrams=(False, True), stem=(False,), max_df=(1.0,),
        latent=((0, 0.0), (2, 0.5)), weights=(Weights(1, 0, 0), Weights(0.5, 0.5, 0)),
    )  # fmt: skip
    table = rank_table(profiles, labelled, menu=menu)
    assert table.ranks.shape == (3, menu.size())
    for column, candidate in enumerate(table.candidates):
        index = build_index(profiles, model=candidate.model)
        for i, (query, partner, _n) in enumerate(table.pairs):
            row = index.position[next(p.key for p in profiles if p.slug == query)]
            order = [m.slug for m in index.rank(profiles[row].key, weights=candidate.weights)]
            assert table.ranks[i, column] == pytest.approx(order.index(partner) + 1, abs=0.5)


def test_leave_one_query_out_never_scores_a_query_with_a_model_chosen_on_it():
    # Two models: model 0 is right for queries a and b, model 1 only for query c.
    candidates = [
        Candidate(RankingModel(), Weights(1, 0, 0)),
        Candidate(RankingModel(), Weights(0, 1, 0)),
    ]
    table = RankTable(
        candidates=candidates,
        pairs=[("a", "x", 10), ("b", "y", 10), ("c", "z", 10)],
        ranks=np.array([[1.0, 5.0], [1.0, 5.0], [5.0, 1.0]]),
    )
    cv = leave_one_query_out(table, name="cv")
    # Chosen without c, model 0 wins, so c is scored with model 0 and gets rank 5, although
    # model 1 would have put its partner first: the figure does not peek at c.
    assert cv.chosen["c"] == candidates[0]
    assert [r.rank for r in cv.report.ranks] == [1.0, 1.0, 5.0]
    assert cv.report.mrr == pytest.approx((1 + 1 + 0.2) / 3)
