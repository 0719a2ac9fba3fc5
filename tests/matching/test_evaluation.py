"""The ranking must find documented partners from what actors do, not from their names."""

import re

import yaml
from django.core.management import call_command

from directory.documented import PAIRS_FILE
from matching.engine import DEFAULT_MODEL, DEFAULT_WEIGHTS, RankingModel, build_index
from matching.evaluation import (
    bm25_scorer,
    engine_scorer,
    evaluate,
    keyword_overlap_scorer,
    queries_from,
    random_baseline,
)
from matching.index import current_index, directory_parts, taxonomy_labels
from matching.management.commands.evaluate_matching import load_pairs
from matching.profiles import profile_from
from matching.regimes import NAMES_MASKED, regime_parts
from matching.selection import SMALL_MENU, leave_one_query_out, rank_table


def masked_profiles(pairs):
    labels = taxonomy_labels()
    topics = [*labels["sector_labels"].values(), *labels["interest_labels"].values()]
    links = [(p.eu, p.kr) for p in pairs]
    parts = regime_parts(NAMES_MASKED, directory_parts(), links, topic_words=topics)
    return [profile_from(p, **labels) for p in parts], links


def test_the_labelled_set_is_at_least_forty_graded_pairs_with_sources(demo_directory):
    pairs = load_pairs()
    assert len(pairs) >= 40
    assert {p.grade for p in pairs} == {"signed agreement", "documented cooperation", "proposed"}
    assert all(p.source for p in pairs)
    index = current_index()
    sides = {p.slug: (p.side, p.published) for p in index.profiles}
    assert all(sides[p.eu] == ("eu", True) and sides[p.kr] == ("kr", True) for p in pairs)


def test_masking_takes_the_partners_name_out_of_the_profile(demo_directory):
    profiles, _links = masked_profiles(load_pairs())
    text = {p.slug: p.text for p in profiles}
    # Lyonbiopole's profile names the Chuncheon Bioindustry Foundation; masked, it does not,
    # but it still says what Lyonbiopole does.
    assert not re.search(r"chuncheon|bioindustry", text["lyonbiopole"], re.I)
    assert "life-sciences" in text["lyonbiopole"]
    assert not re.search(r"\bdaegu\b", text["pole-eau"], re.I)
    assert "water" in text["pole-eau"]


def test_names_masked_the_cross_validated_model_clearly_beats_bm25_and_keywords(demo_directory):
    pairs = load_pairs()
    profiles, links = masked_profiles(pairs)
    labelled = queries_from(pairs)
    cv = leave_one_query_out(
        rank_table(profiles, labelled, menu=SMALL_MENU, links=links), name="cv"
    ).report
    plain = build_index(profiles, model=RankingModel())
    bm25 = evaluate(plain, labelled, scorer=bm25_scorer(plain), name="BM25")
    keyword = evaluate(plain, labelled, scorer=keyword_overlap_scorer, name="keyword")
    assert cv.mrr >= 0.72, cv.ranks
    assert cv.mrr >= max(bm25.mrr, keyword.mrr) + 0.08
    assert cv.hit5 >= 0.8
    assert random_baseline(cv).mrr < 0.05  # the metric is not trivially high


def test_the_default_model_ranks_documented_partners_high_in_both_directions(demo_directory):
    pairs = load_pairs()
    index = current_index()
    assert index.model == DEFAULT_MODEL
    europe = evaluate(index, queries_from(pairs), scorer=engine_scorer(DEFAULT_WEIGHTS), name="e")
    korea = evaluate(
        index,
        queries_from(pairs, korean_side=True),
        scorer=engine_scorer(DEFAULT_WEIGHTS),
        name="k",
    )
    assert europe.mrr >= 0.8 and europe.hit5 >= 0.9, europe.ranks
    assert korea.mrr >= 0.75 and korea.hit5 >= 0.85, korea.ranks
    chuncheon = next(
        q for q in queries_from(pairs, korean_side=True)
        if q.query == "chuncheon-bioindustry-foundation"
    )  # fmt: skip
    assert {"lyonbiopole", "biocat", "bioxclusters-plus"} <= set(chuncheon.partners)


def test_the_command_reports_every_regime_against_both_baselines(demo_directory, capsys, tmp_path):
    # The report's shape on a third of the pairs (the figures themselves are the next tests').
    pairs = yaml.safe_load(PAIRS_FILE.read_text(encoding="utf-8"))[:20]
    subset = tmp_path / "pairs.yaml"
    subset.write_text(yaml.safe_dump(pairs, allow_unicode=True), encoding="utf-8")
    call_command("evaluate_matching", "--menu", "small", "--pairs", str(subset))
    out = capsys.readouterr().out
    assert out.startswith("20 documented pairs (")
    for regime in ("as is", "names masked", "names masked, no sectors or interests"):
        assert f"{regime}, Europe to Korea (" in out and f"{regime}, Korea to Europe (" in out
    for method in ("Cluster Match, cross-validated", "keyword overlap", "BM25", "random order"):
        assert out.count(method) == 12  # English profiles, then Korean profiles
    assert "chosen without the held-out query:" in out
    assert "targets:" in out and "lead over the stronger baseline" in out
    # The Korean actors read in Korean only, with the ratio of their MRR to the English one.
    assert "27 Korean actors read in Korean only" in out
    korean = {pair["kr"] for pair in pairs}
    assert re.search(rf"\b\d+ of the {len(korean)} Korean actors of the pairs\b", out)
    assert "Korean profiles against English profiles" in out
    for regime in ("as is", "names masked", "names masked, no sectors or interests"):
        for direction in ("Europe to Korea", "Korea to Europe"):
            assert f"{regime}, Korean profiles, {direction} (" in out
            assert f"{regime}, {direction}: Korean profiles keep " in out


def test_the_korean_demo_manager_lands_on_european_partners(client, demo_directory):
    from directory.demo import DEMO_PASSWORD

    client.post("/accounts/login/", {"username": "manager.chuncheon", "password": DEMO_PASSWORD})
    response = client.get("/partners/", follow=True)
    html = response.content.decode()
    assert "Chuncheon Bioindustry Foundation" in html
    assert "lyonbiopole" in html or "biocat" in html  # documented European partners listed
