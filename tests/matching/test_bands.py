"""Bands say where a score stands against documented partnerships, from the data itself."""

from django.urls import reverse

from matching.bands import BANDS, band, thresholds_from
from matching.engine import DEFAULT_WEIGHTS
from matching.evaluation import engine_scorer
from matching.index import current_index
from matching.management.commands.evaluate_matching import load_pairs


def test_the_thresholds_are_where_documented_partners_score(demo_directory):
    index = current_index()
    slugs = {p.slug: i for i, p in enumerate(index.profiles)}
    score = engine_scorer(DEFAULT_WEIGHTS)
    # Both directions: the European actor's score for its Korean partner, and the reverse.
    partner_percents = [
        100 * score(index, slugs[a])[slugs[b]]
        for pair in load_pairs()
        for a, b in ((pair.eu, pair.kr), (pair.kr, pair.eu))
    ]
    assert thresholds_from(partner_percents) == tuple(lowest for lowest, _n, _m in BANDS)


def test_band_words():
    assert [band(p) for p in (80, 39, 38, 27, 26, 18, 17, 3)] == [
        "strong", "strong", "good", "good", "possible", "possible", "long shot", "long shot",
    ]  # fmt: skip


def test_the_page_shows_each_band_and_says_what_they_mean(client, world):
    client.force_login(world.manager)
    html = client.get(reverse("partners", args=[world.actor.slug])).content.decode()
    assert "What the scores mean" in html
    assert "39 or more: as high as the better half of documented partnerships" in html
    assert 'class="band band-' in html.split('class="matches"')[1]
    # The figures speak the page's scale, not raw cosines.
    assert " of 100</td><td>adds " in html and "0.3" not in html.split("The figures")[1][:400]
