"""The maps' vendored files, and the tile server a deployment may add (with its CSP source)."""

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured

from config.maps import tile_image_source
from tests.factories import ActorFactory

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor"
PACKAGES = {
    "leaflet-1.9.4": ["leaflet.js", "leaflet.css", "images/marker-icon.png", "LICENSE"],
    "leaflet.markercluster-1.5.3": [
        "leaflet.markercluster.js",
        "MarkerCluster.css",
        "MarkerCluster.Default.css",
        "MIT-LICENCE.txt",
    ],
    "topojson-client-3.1.0": ["topojson-client.min.js", "LICENSE"],
    "world-atlas-2.0.2": ["countries-50m.json", "LICENSE"],
}


def test_every_vendored_package_has_its_files_licence_and_readme_entry():
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    for package, files in PACKAGES.items():
        for name in files:
            assert (VENDOR / package / name).is_file(), f"{package}/{name}"
        name, version = package.rsplit("-", 1)
        assert f"{name}@{version}" in readme, package
    assert "npm pack" in readme and "scripts/vendor-static" in readme


def test_no_page_or_script_of_the_map_loads_anything_from_elsewhere():
    script = (ROOT / "static" / "js" / "map.js").read_text(encoding="utf-8")
    assert not re.search(r"https?://", script)
    for template in (ROOT / "directory" / "templates" / "directory").glob("*map*.html"):
        assert not re.search(r"(src|href)=\"https?://", template.read_text(encoding="utf-8"))


@pytest.fixture
def located_actor(db):
    return ActorFactory(
        slug="daegu-water", name="Daegu Water Cluster", side="kr", country="KR", city="Daegu",
        kind="cluster-agency", latitude=Decimal("35.87"), longitude=Decimal("128.60"),
    )  # fmt: skip


def static_references(html: str) -> list[str]:
    return re.findall(r'(?:src|href|data-[a-z-]+-url)="/static/([^"?]+)"', html)


@pytest.mark.parametrize("path", ["/map/", "/actors/daegu-water/"])
def test_the_map_pages_reference_files_that_exist(client, located_actor, path):
    html = client.get(path).content.decode()
    references = static_references(html)
    for needed in (
        "vendor/leaflet-1.9.4/leaflet.js",
        "vendor/leaflet-1.9.4/leaflet.css",
        "vendor/topojson-client-3.1.0/topojson-client.min.js",
        "vendor/world-atlas-2.0.2/countries-50m.json",
        "vendor/leaflet-1.9.4/images/marker-icon.png",
        "js/map.js",
    ):
        assert needed in references, needed
    for reference in references:
        assert finders.find(reference), f"{path} points at a missing static file: {reference}"
    if path == "/map/":
        assert "vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js" in references


def test_a_profile_without_coordinates_loads_no_map(client, db):
    ActorFactory(slug="nowhere", name="Nowhere Cluster")
    html = client.get("/actors/nowhere/").content.decode()
    assert "leaflet" not in html and 'data-map="actor"' not in html


def image_sources(policy: str) -> list[str]:
    # Directives come in no fixed order: img-src may be the last, without a ";" after it.
    return re.search(r"img-src ([^;]*)", policy).group(1).split()


def test_by_default_no_tile_server_and_no_image_source_from_elsewhere(client, located_actor):
    response = client.get("/map/")
    assert image_sources(response["Content-Security-Policy"]) == ["'self'", "data:"]
    assert "data-tile-url" not in response.content.decode()


def test_a_configured_tile_server_is_given_to_the_map(client, located_actor, settings):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Example Tiles"
    html = client.get("/actors/daegu-water/").content.decode()
    assert 'data-tile-url="https://{s}.tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© Example Tiles"' in html


def csp_of_a_process_with(environment: dict[str, str]) -> str:
    """The policy a fresh process serves with this environment: settings are read once, at
    start, as in a deployment."""
    code = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client().get('/static/css/site.css')['Content-Security-Policy'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_MAP_TILE")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings"} | environment
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_policy_allows_the_tile_host_only_when_one_is_configured():
    configured = csp_of_a_process_with(
        {"DJANGO_MAP_TILE_URL": "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"}
    )
    assert image_sources(configured) == ["'self'", "data:", "https://*.tile.openstreetmap.org"]
    plain = csp_of_a_process_with({})
    assert image_sources(plain) == ["'self'", "data:"]
    assert "openstreetmap" not in plain


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
        ("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png", "https://tiles.example.org:8443"),
    ],
)
def test_the_image_source_of_a_tile_address(url, source):
    assert tile_image_source(url) == source


@pytest.mark.parametrize(
    "url",
    [
        "tiles.example.org/{z}/{x}/{y}.png",  # no scheme
        "https://tiles.example.org/{z}/{y}.png",  # no {x}
        "https://a.{s}.example.org/{z}/{x}/{y}.png",  # a wildcard CSP cannot express
        "javascript:alert(1)//{z}{x}{y}",
    ],
)
def test_a_malformed_tile_address_stops_the_start(url):
    with pytest.raises(ImproperlyConfigured):
        tile_image_source(url)
