"""Bands say where a score stands against documented partnerships, from the data itself."""

from django.urls import reverse

from matching.bands import BANDS, band, thresholds_from
from matching.engine import DEFAULT_MODEL, DEFAULT_WEIGHTS, build_index
from matching.evaluation import engine_scorer
from matching.index import directory_parts, taxonomy_labels
from matching.management.commands.evaluate_matching import load_pairs
from matching.profiles import profile_from
from matching.regimes import NAMES_MASKED, regime_parts


def test_the_thresholds_are_where_documented_partners_score(demo_directory):
    # Scored as new candidates are: with the partners' names masked in both profiles.
    pairs = load_pairs()
    links = [(p.eu, p.kr) for p in pairs]
    labels = taxonomy_labels()
    topics = [*labels["sector_labels"].values(), *labels["interest_labels"].values()]
    parts = regime_parts(NAMES_MASKED, directory_parts(), links, topic_words=topics)
    profiles = [profile_from(p, **labels) for p in parts]
    keys = {p.slug: p.key for p in profiles}
    index = build_index(profiles, model=DEFAULT_MODEL, links=[(keys[a], keys[b]) for a, b in links])
    slugs = {p.slug: i for i, p in enumerate(index.profiles)}
    score = engine_scorer(DEFAULT_WEIGHTS)
    # Both directions: the European actor's score for its Korean partner, and the reverse.
    partner_percents = [
        100 * score(index, slugs[a])[slugs[b]]
        for pair in pairs
        for a, b in ((pair.eu, pair.kr), (pair.kr, pair.eu))
    ]
    assert thresholds_from(partner_percents) == tuple(lowest for lowest, _n, _m in BANDS)


def test_band_words():
    assert [band(p) for p in (80, 27, 26, 13, 12, 6, 5, 3)] == [
        "strong", "strong", "good", "good", "possible", "possible", "long shot", "long shot",
    ]  # fmt: skip


def test_the_page_shows_each_band_and_says_what_they_mean(client, world):
    client.force_login(world.manager)
    html = client.get(reverse("partners", args=[world.actor.slug])).content.decode()
    assert "What the scores mean" in html
    assert "27 or more: as high as the better half of documented partnerships" in html
    assert 'class="band band-' in html.split('class="matches"')[1]
    # The figures speak the page's scale, not raw cosines.
    assert " of 100</td><td>adds " in html and "0.3" not in html.split("The figures")[1][:400]
