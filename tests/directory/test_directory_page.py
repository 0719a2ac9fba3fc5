"""The directory page: filters, free text, sorting, pagination and shareable URLs."""

import re

import pytest
from django.urls import reverse

from tests.factories import ActorFactory, InterestFactory, RegionFactory, SectorFactory


def slugs_on_page(response) -> list[str]:
    return re.findall(r'data-slug="([^"]+)"', response.content.decode())


@pytest.fixture
def directory(db):
    water = SectorFactory(code="environmental-services", label="Environmental services")
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    chips = SectorFactory(code="semiconductors", label="Semiconductors", group="korea")
    market = InterestFactory(code="market-access", label="Market access and export")
    rnd = InterestFactory(code="rd-projects", label="Joint R&D projects")
    daegu = RegionFactory(code="kr-daegu", name="Daegu", country="KR", economic_region="Daegyeong")
    gyeongbuk = RegionFactory(code="kr-gyeongbuk", name="Gyeongsangbuk-do", country="KR")
    occitanie = RegionFactory(code="fr-occitanie", name="Occitanie", country="FR")
    catalonia = RegionFactory(code="es-catalonia", name="Catalonia", country="ES")
    return {
        "pole-eau": ActorFactory(
            slug="pole-eau",
            name="Pôle Eau",
            country="FR",
            region=occitanie,
            city="Montpellier",
            description="French water cluster working on wastewater treatment and water reuse.",
            keywords="water; wastewater; irrigation",
            sectors=[water],
            offers=[market],
            seeks=[rnd],
        ),
        "biocat": ActorFactory(
            slug="biocat",
            name="Biocat",
            country="ES",
            region=catalonia,
            city="Barcelona",
            description="Catalan life-science cluster for biotech, pharma and medical technology.",
            keywords="biotech; pharma",
            sectors=[bio],
            offers=[rnd],
            seeks=[market],
        ),
        "daegu-water": ActorFactory(
            slug="daegu-water",
            name="Daegu National Water Cluster",
            side="kr",
            country="KR",
            region=daegu,
            city="Daegu",
            kind="cluster-agency",
            description="Korean water industry cluster with testing beds for water technologies.",
            keywords="water; membranes",
            sectors=[water],
            offers=[rnd],
            seeks=[market],
        ),
        "gumi-chips": ActorFactory(
            slug="gumi-chips",
            name="Gumi Semiconductor Parts Mini Cluster",
            side="kr",
            country="KR",
            region=gyeongbuk,
            city="Gumi",
            kind="mini-cluster",
            description="Mini Cluster of semiconductor and display parts makers in Gumi.",
            keywords="semiconductor; display",
            sectors=[chips],
            offers=[market],
            seeks=[rnd],
        ),
        "draft-one": ActorFactory(
            slug="draft-one",
            name="Water Draft Cluster",
            status="draft",
            sectors=[water],
            description="A water cluster whose profile is not yet published.",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["biocat", "daegu-water", "gumi-chips", "pole-eau"]),
        ("side=kr", ["daegu-water", "gumi-chips"]),
        ("side=eu", ["biocat", "pole-eau"]),
        ("country=ES", ["biocat"]),
        ("region=kr-daegu", ["daegu-water"]),
        ("kind=mini-cluster", ["gumi-chips"]),
        ("sector=environmental-services", ["daegu-water", "pole-eau"]),
        ("offers=market-access", ["gumi-chips", "pole-eau"]),
        ("seeks=market-access", ["biocat", "daegu-water"]),
        ("sector=environmental-services&side=kr", ["daegu-water"]),
        ("sector=environmental-services&offers=rd-projects", ["daegu-water"]),
        ("q=water", ["daegu-water", "pole-eau"]),
        ("q=water&side=eu", ["pole-eau"]),
        ("q=Biocat", ["biocat"]),
        ("q=semiconductor", ["gumi-chips"]),
        ("q=Montpellier", ["pole-eau"]),
        ("q=nothing-like-this", []),
    ],
)
def test_filters_combine(client, directory, query, expected):
    response = client.get(reverse("actor_list") + "?" + query)
    assert response.status_code == 200
    assert sorted(slugs_on_page(response)) == expected


def test_drafts_are_listed_for_curators_only(client, directory, cast):
    assert "draft-one" not in slugs_on_page(client.get(reverse("actor_list") + "?q=water"))
    client.force_login(cast.curator)
    assert "draft-one" in slugs_on_page(client.get(reverse("actor_list") + "?q=water"))


def test_sorting(client, directory):
    url = reverse("actor_list")
    assert slugs_on_page(client.get(url + "?sort=name")) == [
        "biocat",
        "daegu-water",
        "gumi-chips",
        "pole-eau",
    ]
    assert slugs_on_page(client.get(url + "?sort=-name")) == [
        "pole-eau",
        "gumi-chips",
        "daegu-water",
        "biocat",
    ]
    by_country = slugs_on_page(client.get(url + "?sort=country"))
    assert (
        by_country.index("biocat") < by_country.index("pole-eau") < by_country.index("daegu-water")
    )


def test_search_ranks_name_match_first(client, directory):
    ActorFactory(
        slug="water-twice",
        name="Water Water Alliance",
        description="Water, water.",
        keywords="water",
    )
    order = slugs_on_page(client.get(reverse("actor_list") + "?q=water"))
    assert order[0] == "water-twice"


def test_search_finds_the_singular_of_a_plural(client, directory):
    assert "gumi-chips" in slugs_on_page(client.get(reverse("actor_list") + "?q=semiconductors"))


def test_pagination_keeps_filters(client, db):
    water = SectorFactory(code="water", label="Water")
    for n in range(45):
        ActorFactory(slug=f"c-{n:02d}", name=f"Cluster {n:02d}", sectors=[water])
    ActorFactory(slug="other", name="Other")
    first = client.get(reverse("actor_list") + "?sector=water&sort=name")
    html = first.content.decode()
    assert len(slugs_on_page(first)) == 20
    assert "45 actors" in re.sub(r"<[^>]+>", "", html)
    assert 'href="?sector=water&amp;sort=name&amp;page=2"' in html
    third = client.get(reverse("actor_list") + "?sector=water&sort=name&page=3")
    assert slugs_on_page(third) == [f"c-{n:02d}" for n in range(40, 45)]
    # An out-of-range page shows the last one rather than an error.
    assert slugs_on_page(client.get(reverse("actor_list") + "?sector=water&sort=name&page=99")) == (
        slugs_on_page(third)
    )


def test_unknown_filter_values_are_reported_not_crashing(client, directory):
    response = client.get(reverse("actor_list") + "?sector=biotek&side=mars")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert slugs_on_page(response) == []


def test_actor_list_query_count_does_not_grow_with_results(
    client, db, django_assert_max_num_queries
):
    sector = SectorFactory(code="s", label="S")
    for n in range(20):
        ActorFactory(slug=f"a{n}", sectors=[sector])
    with django_assert_max_num_queries(12):
        client.get(reverse("actor_list"))


def test_active_filters_are_summarised_in_words(client, directory):
    html = client.get(
        reverse("actor_list") + "?side=kr&sector=environmental-services&country=KR"
    ).content.decode()
    assert '<span class="chip">Side: Korea</span>' in html
    assert '<span class="chip">Sector: Environmental services</span>' in html
    assert '<span class="chip">Country: South Korea</span>' in html


def test_the_country_choices_query_returns_one_row_per_country(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory.filters import _country_choices
    from tests.factories import ActorFactory

    for n in range(6):
        ActorFactory(slug=f"french-{n}", name=f"French cluster {n}", country="FR")
    with CaptureQueriesContext(connection) as queries:
        choices = _country_choices()
    assert ("FR", "France") in choices
    # The model's name ordering must not leak into the DISTINCT and return a row per actor.
    [distinct] = [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"]]
    assert "ORDER BY" not in distinct


def test_the_filter_form_keeps_the_chosen_values(client, cast, sectors):
    html = client.get("/actors/", {"side": "kr", "sector": sectors[0].code}).content.decode()
    assert '<option value="kr" selected>Korea</option>' in html
    assert f'<option value="{sectors[0].code}" selected>' in html
    assert (
        '<select name="country" id="id_country" class="input"><option value="">Any country</option>'
        in html
    )


def test_the_sort_control_defaults_to_best_match_and_keeps_the_choice(client, cast):
    def sort_control(html: str) -> str:
        start = html.index('<select name="sort"')
        return html[start : html.index("</select>", start)]

    plain = sort_control(client.get("/actors/").content.decode())
    assert plain.count("<option") == 6
    assert '<option value="">Best match</option>' in plain
    assert " selected" not in plain

    chosen = sort_control(
        client.get("/actors/", {"q": "cluster", "sort": "-name"}).content.decode()
    )
    assert '<option value="-name" selected>Name (Z-A)</option>' in chosen


def test_sort_relevance_is_the_default_order_under_another_name(client, cast):
    response = client.get("/actors/", {"q": "cluster", "sort": "relevance"})
    assert response.status_code == 200
    assert not response.context["filter"].form.errors
    default = client.get("/actors/", {"q": "cluster"})
    found = [a.slug for a in response.context["page"]]
    assert found and found == [a.slug for a in default.context["page"]]


def test_an_acronym_search_puts_that_actor_first(client, demo_directory):
    for query, slug in (("KICOX", "kicox"), ("kiat", "kiat"), ("Biocat", "biocat")):
        assert slugs_on_page(client.get(reverse("actor_list") + f"?q={query}"))[0] == slug, query
