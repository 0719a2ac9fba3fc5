"""Known partners marked in the ranking (and hidden on request), and "more like this"."""

import csv
import io
import re

import pytest
from django.urls import reverse

from directory.partnerships import partnership_record
from matching.marks import mark_set
from matching.ranking import actor_ranking
from tests.factories import ActorFactory, SectorFactory


def rows_of(html: str) -> list[str]:
    return re.findall(r'class="match card" data-slug="([^"]+)"', html)


def card(html: str, slug: str) -> str:
    start = html.index(f'data-slug="{slug}"')
    return html[start : html.index("</li>", start)]


@pytest.fixture
def partners(world):
    partnership_record(
        actor=world.actor, partner=world.daegu, kind="project", source="Interreg report 2024"
    )
    return world


def test_a_known_partner_has_a_badge_with_the_kind_of_tie(client, partners):
    client.force_login(partners.manager)
    html = client.get(reverse("partners", args=[partners.actor.slug])).content.decode()
    assert rows_of(html) == ["chuncheon-bio", "daegu-water", "gumi-mobile"]
    daegu = card(html, "daegu-water")
    assert 'class="badge known-partner" title="Known partner: joint project"' in daegu
    assert "known partner" not in card(html, "chuncheon-bio")
    # Off by default.
    assert 'name="hide_known" id="id_hide_known" value="1">' in html


def test_hide_known_partners_leaves_them_out_and_stays_in_the_address(client, partners):
    client.force_login(partners.manager)
    url = reverse("partners", args=[partners.actor.slug])
    html = client.get(url + "?hide_known=1&kind=").content.decode()
    assert rows_of(html) == ["chuncheon-bio", "gumi-mobile"]
    assert 'value="1" checked> Hide known partners' in html
    # The exports and "more like this" links carry the setting.
    assert "export.csv?hide_known=1" in html
    assert "/like/chuncheon-bio/?hide_known=1" in html
    api = client.get(f"/api/v1/actors/{partners.actor.slug}/matches/?hide_known=true").json()
    assert [r["slug"] for r in api["results"]] == ["chuncheon-bio", "gumi-mobile"]


def test_the_exports_have_a_known_partner_column(client, partners):
    client.force_login(partners.manager)
    export = reverse("partners_export", args=[partners.actor.slug, "csv"])
    rows = list(csv.DictReader(io.StringIO(client.get(export).content.decode("utf-8-sig"))))
    assert {r["slug"]: r["known partner"] for r in rows} == {
        "chuncheon-bio": "",
        "daegu-water": "joint project",
        "gumi-mobile": "",
    }
    hidden = client.get(export + "?hide_known=1").content.decode("utf-8-sig")
    assert [r["slug"] for r in csv.DictReader(io.StringIO(hidden))] == [
        "chuncheon-bio",
        "gumi-mobile",
    ]


# -- more like this --------------------------------------------------------------------------


@pytest.fixture
def vaccines(world):
    """Beside world's Chuncheon (vaccines, antibodies, diagnostics): one Korean actor on the
    same vaccines and antibodies, one on something else in the same sector."""
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    world.osong = ActorFactory(
        slug="osong-vaccines",
        name="Osong Vaccine Valley",
        side="kr",
        country="KR",
        kind="industrial-complex",
        description="Vaccines and antibodies plants; diagnostics kits for Gangwon start-ups.",
        sectors=[bio],
    )
    world.cosmetics = ActorFactory(
        slug="jeju-cosmetics",
        name="Jeju Cosmetics Cluster",
        side="kr",
        country="KR",
        kind="cluster-agency",
        description="Cosmetics makers using island plants and sea water.",
        sectors=[bio],
    )
    return world


def like_page(client, world, like: str, query: str = "") -> str:
    url = reverse("partners_like", args=[world.actor.slug, like])
    response = client.get(url + query)
    assert response.status_code == 200
    return response.content.decode()


def test_more_like_this_lists_the_closest_candidate_first_with_its_own_score(client, vaccines):
    client.force_login(vaccines.manager)
    html = like_page(client, vaccines, "chuncheon-bio")
    slugs = rows_of(html)
    assert slugs[0] == "osong-vaccines"
    assert "chuncheon-bio" not in slugs  # never the one asked about
    assert set(slugs) == {"osong-vaccines", "jeju-cosmetics", "daegu-water", "gumi-mobile"}
    osong = card(html, "osong-vaccines")
    assert re.search(
        r"Close to Chuncheon Bioindustry Foundation: both work on [^.]*antibodies", osong
    )
    # Its score and band for Lyon, as the ranking gives them: one figure out of 100, a band.
    ranked = {r.actor.slug: r for r in actor_ranking(actor=vaccines.actor)}
    expected = ranked["osong-vaccines"]
    assert f'<strong class="score-value">{expected.percent}</strong>' in osong
    assert f">{expected.band}</span>" in osong
    assert not re.search(r"\b0\.\d{3,}", html)  # never a raw float


def test_more_like_this_leaves_out_what_was_set_aside_and_hidden_partners(client, vaccines):
    mark_set(actor=vaccines.actor, candidate=vaccines.osong, kind="not-relevant", by=None)
    partnership_record(
        actor=vaccines.actor, partner=vaccines.cosmetics, kind="agreement", source="MoU 2023"
    )
    client.force_login(vaccines.manager)
    html = like_page(client, vaccines, "chuncheon-bio")
    assert "osong-vaccines" not in rows_of(html)
    assert "known partner" in card(html, "jeju-cosmetics")
    hidden = like_page(client, vaccines, "chuncheon-bio", "?hide_known=1")
    assert rows_of(hidden) and "jeju-cosmetics" not in rows_of(hidden)
    assert "osong-vaccines" not in rows_of(hidden)


def test_more_like_this_answers_only_for_a_candidate_of_ones_own_organisation(client, vaccines):
    ActorFactory(slug="secret-draft", side="kr", country="KR", status="draft")
    client.force_login(vaccines.manager)
    like = lambda slug, actor=vaccines.actor: client.get(  # noqa: E731
        reverse("partners_like", args=[actor.slug, slug])
    )
    assert like("turin-health").status_code == 404  # same side: never a candidate
    assert like("secret-draft").status_code == 404
    assert like("no-such-actor").status_code == 404
    assert like("chuncheon-bio", vaccines.other_actor).status_code == 404
    client.force_login(vaccines.curator)
    assert like("chuncheon-bio").status_code == 200


def test_each_ranking_row_links_to_more_like_it(client, vaccines):
    client.force_login(vaccines.manager)
    html = client.get(reverse("partners", args=[vaccines.actor.slug])).content.decode()
    chuncheon = card(html, "chuncheon-bio")
    link = reverse("partners_like", args=[vaccines.actor.slug, "chuncheon-bio"])
    assert f'href="{link}">More like this</a>' in chuncheon


def test_more_like_a_candidate_set_aside_says_so(client, vaccines):
    mark_set(actor=vaccines.actor, candidate=vaccines.chuncheon, kind="in-contact", by=None)
    client.force_login(vaccines.manager)
    html = like_page(client, vaccines, "chuncheon-bio")
    assert "You set Chuncheon Bioindustry Foundation aside as already in contact." in html
    assert rows_of(html)[0] == "osong-vaccines"
