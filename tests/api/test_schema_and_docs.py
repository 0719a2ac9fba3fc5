"""The OpenAPI schema, its validity, and the documentation page under the site's CSP."""

import json
import re
from io import StringIO

import yaml
from django.core.management import call_command

from tests.config.test_security import assert_security_headers

OPERATIONS = {
    "/api/v1/actors/",
    "/api/v1/actors/{slug}/",
    "/api/v1/actors/{slug}/matches/",
    "/api/v1/sectors/",
    "/api/v1/interests/",
    "/api/v1/events/",
    "/api/v1/events/{slug}/",
    "/api/v1/events/{slug}/participants/",
    "/api/v1/events/{slug}/schedule/",
}


def test_the_schema_lists_every_endpoint_and_every_error_response(api, db):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == OPERATIONS
    for path, operations in schema["paths"].items():
        assert set(operations) == {"get"}, path
        responses = operations["get"]["responses"]
        assert {"200", "401", "429", "500"} <= set(responses), path
        for status, body in responses.items():
            if status != "200":
                ref = body["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (path, status)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["in"] == "header" and schemes["cookieAuth"]["in"] == "cookie"


def test_the_schema_is_served_as_json_too(api, db):
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert set(json.loads(response.content)["paths"]) == OPERATIONS


def test_the_schema_validates_without_warnings(db, tmp_path):
    # What `manage.py spectacular --validate --fail-on-warn` checks, inside the suite.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", file=str(out), stderr=StringIO())
    assert "openapi: 3.0.3" in out.read_text()


def test_the_docs_page_needs_no_inline_script_or_style_and_keeps_the_strict_policy(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert_security_headers(response)
    html = response.content.decode()
    assert "<style" not in html and "style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 3
    assert all("src=" in attrs and not body.strip() for attrs, body in scripts)
    # Served from this site (drf-spectacular-sidecar's files), never a CDN.
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_making_the_schema_leaves_the_directory_filters_intact(api, client, world):
    # drf-spectacular once built ActorFilter's class-level form fields without their labels,
    # and the directory page then summarised its filters as "None: Korea".
    api.get("/api/v1/schema/")
    html = client.get("/actors/?side=kr&sector=biopharmaceuticals").content.decode()
    assert '<span class="chip">Side: Korea</span>' in html
    assert '<span class="chip">Sector: Biopharmaceuticals</span>' in html
