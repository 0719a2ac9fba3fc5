"""The directory map: the list's filters, published profiles only, only what a marker shows."""

import gzip
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.http import QueryDict

from directory.maps import map_filter, map_points
from directory.roles import CURATORS_GROUP
from tests.factories import ActorFactory, ContactFactory, RegionFactory, SectorFactory, UserFactory


@pytest.fixture
def located(db):
    water = SectorFactory(code="environmental-services", label="Environmental services")
    chips = SectorFactory(code="semiconductors", label="Semiconductors", group="korea")
    gyeongbuk = RegionFactory(
        code="kr-gyeongbuk", name="Gyeongsangbuk-do", name_ko="경상북도",
        short_name="Gyeongbuk", country="KR",
    )  # fmt: skip
    daegu = RegionFactory(code="kr-daegu", name="Daegu", name_ko="대구광역시", country="KR")
    actors = {
        "pole-eau": ActorFactory(
            slug="pole-eau", name="Pôle Eau", country="FR", city="Montpellier",
            sectors=[water], latitude=Decimal("43.61"), longitude=Decimal("3.87"),
        ),
        "daegu-water": ActorFactory(
            slug="daegu-water", name="Daegu Water Cluster", name_ko="대구 물산업 클러스터",
            side="kr", country="KR", region=daegu, city="Daegu", kind="cluster-agency",
            sectors=[water], latitude=Decimal("35.87"), longitude=Decimal("128.60"),
        ),
        "gumi": ActorFactory(
            slug="gumi", name="Gumi Electronics Complex", side="kr", country="KR",
            region=gyeongbuk, city="Gumi", kind="industrial-complex", sectors=[chips],
            latitude=Decimal("36.12"), longitude=Decimal("128.34"),
        ),
        # Matches the filters but has no coordinates: counted, not drawn.
        "andong": ActorFactory(
            slug="andong", name="Andong Bio Complex", side="kr", country="KR",
            region=gyeongbuk, city="Andong", kind="industrial-complex", sectors=[chips],
        ),
        "draft": ActorFactory(
            slug="draft-water", name="Secret Draft Water", status="draft", side="kr",
            country="KR", sectors=[water], latitude=Decimal("37.5"), longitude=Decimal("127.0"),
        ),
        "archived": ActorFactory(
            slug="archived-water", name="Old Archived Water", status="archived",
            sectors=[water], latitude=Decimal("48.85"), longitude=Decimal("2.35"),
        ),
    }  # fmt: skip
    ContactFactory(actor=actors["daegu-water"], name="Park Hidden", email="park@example.org")
    return actors


def data(client, query: str = "") -> dict:
    response = client.get(f"/map/actors.json{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def names(payload: dict) -> list[str]:
    return [actor["name"] for actor in payload["actors"]]


def test_the_map_shows_what_the_directory_filters_select(client, located):
    everything = data(client)
    assert names(everything) == ["Daegu Water Cluster", "Gumi Electronics Complex", "Pôle Eau"]
    korean = data(client, "?side=kr")
    assert names(korean) == ["Daegu Water Cluster", "Gumi Electronics Complex"]
    water_in_korea = data(client, "?side=kr&sector=environmental-services")
    assert names(water_in_korea) == ["Daegu Water Cluster"]
    assert names(data(client, "?q=Gumi")) == ["Gumi Electronics Complex"]


def test_the_same_filter_gives_the_same_actors_as_the_list(client, located):
    """One rule: every located actor of the list's page is on the map, and no other."""
    for query in ("?side=kr", "?sector=semiconductors", "?kind=cluster-agency", "?country=FR"):
        listed = set(map_filter(params=QueryDict(query[1:])).qs.values_list("name", flat=True))
        drawn = set(names(data(client, query)))
        assert drawn == listed - {"Andong Bio Complex"}, query


def test_a_marker_carries_name_kind_place_and_link_and_nothing_else(client, located):
    daegu = next(a for a in data(client)["actors"] if a["name"] == "Daegu Water Cluster")
    assert daegu == {
        "name": "Daegu Water Cluster",
        "name_ko": "대구 물산업 클러스터",
        "kind": "Cluster agency",
        "place": "Daegu",
        "url": "/actors/daegu-water/",
        "lat": 35.87,
        "lon": 128.6,
    }
    raw = client.get("/map/actors.json").content.decode()
    assert "Park Hidden" not in raw and "park@example.org" not in raw


def test_drafts_and_archived_profiles_are_never_on_the_map(client, located):
    curator = UserFactory(username="map.curator", is_staff=True)
    curator.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    for visitor in (client, None):
        if visitor is None:
            client.force_login(curator)
        payload = data(client, "?sector=environmental-services")
        assert "Secret Draft Water" not in names(payload)
        assert "Old Archived Water" not in names(payload)
        assert payload["matching"] == 2
    # The curator's list shows the draft; the map page says why it is missing.
    listing = client.get("/actors/?sector=environmental-services").content.decode()
    assert "Secret Draft Water" in listing
    page = client.get("/map/").content.decode()
    assert "Drafts and archived profiles are not on the map." in page


def test_actors_without_coordinates_are_counted(client, located):
    payload = data(client, "?side=kr")
    assert (payload["matching"], payload["located"], payload["unlocated"]) == (3, 2, 1)
    page = client.get("/map/?side=kr").content.decode()
    assert "1 organisation has no location and is not on the map." in page
    assert '<strong id="map-located">2</strong> actors on the map' in page
    assert "no location" not in client.get("/map/?country=FR").content.decode()


def test_the_map_speaks_the_visitors_language(client, located):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    gumi = next(a for a in data(client)["actors"] if a["url"] == "/actors/gumi/")
    assert gumi["place"] == "구미, 경북"
    assert gumi["kind"] != "Industrial complex"  # the kind's Korean label
    # Korean text as text, not \u escapes a person would have to decode.
    assert "구미, 경북" in client.get("/map/actors.json").content.decode()


def test_a_mistyped_filter_draws_nothing_and_says_why(client, located):
    payload = data(client, "?sector=biotek")
    assert payload["actors"] == [] and payload["matching"] == 0
    assert "sector" in payload["errors"]
    page = client.get("/map/?sector=biotek").content.decode()
    assert 'class="error"' in page


def test_beyond_the_limit_the_map_says_how_many_are_left_out(located):
    payload = map_points(queryset=map_filter(params=QueryDict("")).qs, language="en", limit=2)
    assert len(payload["actors"]) == 2
    assert payload["truncated"] is True
    assert (payload["shown"], payload["located"]) == (2, 3)


def test_the_map_page_and_the_list_link_to_each_other_keeping_the_filters(client, located):
    listing = client.get("/actors/?side=kr&sector=semiconductors&page=1").content.decode()
    assert 'href="/map/?side=kr&amp;sector=semiconductors" id="show-map"' in listing
    page = client.get("/map/?side=kr&sector=semiconductors").content.decode()
    assert 'href="/actors/?side=kr&amp;sector=semiconductors" id="show-list"' in page
    assert 'data-points-url="/map/actors.json?side=kr&amp;sector=semiconductors"' in page


def test_the_map_data_is_compressed_for_browsers_that_accept_it(client, located):
    response = client.get("/map/actors.json", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    # Tiny payloads are not worth compressing (Django's rule: under 200 bytes); ours is more.
    assert response.get("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(response.content))["located"] == 3
