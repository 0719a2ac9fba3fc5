"""The directory filter's options are kept per directory revision and language: a page after
the first reads none of their tables, and any change (a region renamed in the admin, a sector
added, an actor published in a new country) shows on the next page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Actor, Region, Sector
from tests.factories import ActorFactory, RegionFactory, SectorFactory


@pytest.fixture
def listed(db):
    chips = SectorFactory(code="semiconductors", label="Semiconductors", label_ko="반도체")
    daegu = RegionFactory(code="kr-daegu", name="Daegu", name_ko="대구", country="KR")
    ActorFactory(
        slug="daegu-chips", name="Daegu chips", country="KR", region=daegu, sectors=[chips]
    )
    ActorFactory(slug="lyon-bio", name="Lyon bio", country="FR")
    return {"chips": chips, "daegu": daegu}


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_a_second_page_reads_none_of_the_options_tables(client, listed):
    client.get("/actors/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/actors/", {"side": "kr"}).content.decode()
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("directory_region", "directory_sector", "directory_interest"):
        assert f'FROM "{table}"' not in sql
    assert "DISTINCT" not in sql
    assert "Semiconductors" in options(html, "sector") and "Daegu" in options(html, "region")


def test_a_region_renamed_in_the_admin_shows_at_once(client, listed):
    assert "Daegu" in options(client.get("/actors/").content.decode(), "region")
    Region.objects.filter(code="kr-daegu").update(name="Daegu Metropolitan City")
    regions = options(client.get("/actors/").content.decode(), "region")
    assert "Daegu Metropolitan City" in regions and "Daegu" not in regions


def test_a_new_sector_and_a_new_country_show_at_once(client, listed):
    html = client.get("/actors/").content.decode()
    assert "Germany" not in options(html, "country")
    SectorFactory(code="hydrogen", label="Hydrogen")
    ActorFactory(slug="berlin-h2", name="Berlin hydrogen", country="DE")
    html = client.get("/actors/").content.decode()
    assert "Hydrogen" in options(html, "sector") and "Germany" in options(html, "country")


def test_an_unpublished_actor_takes_its_country_out(client, listed):
    assert "France" in options(client.get("/actors/").content.decode(), "country")
    Actor.objects.filter(slug="lyon-bio").update(status="draft")
    assert "France" not in options(client.get("/actors/").content.decode(), "country")


def test_each_language_gets_its_own_labels(client, listed):
    english = client.get("/actors/").content.decode()
    korean = client.get("/actors/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "Semiconductors" in options(english, "sector")
    assert "반도체" in options(korean, "sector") and "Semiconductors" not in options(
        korean, "sector"
    )
    assert "대구" in options(korean, "region")


def test_the_chosen_options_are_marked_and_unknown_codes_still_refused(client, listed):
    client.get("/actors/")  # the options are kept
    html = client.get("/actors/", {"sector": "semiconductors", "region": "kr-daegu"}).content
    html = html.decode()
    assert '<option value="semiconductors" selected>' in html
    assert '<option value="kr-daegu" selected>' in html
    assert re.findall(r'data-slug="([^"]+)"', html) == ["daegu-chips"]
    refused = client.get("/actors/", {"sector": "no-such-sector"}).content.decode()
    assert 'class="error"' in refused and 'data-slug="' not in refused


def test_a_sector_added_after_the_options_were_kept_filters_at_once(client, listed):
    client.get("/actors/")
    water = SectorFactory(code="water", label="Water")
    ActorFactory(slug="pole-eau", name="Pôle Eau", country="FR", sectors=[water])
    html = client.get("/actors/", {"sector": "water"}).content.decode()
    assert re.findall(r'data-slug="([^"]+)"', html) == ["pole-eau"]
    assert Sector.objects.filter(code="water").exists()


def test_a_korean_page_names_the_chosen_region_in_korean(client, listed):
    html = client.get("/actors/", {"region": "kr-daegu"}, HTTP_ACCEPT_LANGUAGE="ko").content
    assert re.search(r'<span class="chip">[^<]*: 대구</span>', html.decode())
