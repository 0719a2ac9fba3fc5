"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis 4).

For every operation in /api/v1/schema/, schemathesis generates requests (valid and invalid
parameters, odd strings, boundary numbers) and sends them to the WSGI app in-process, as an
anonymous client and with the tokens of a curator, an organiser and a manager, over a small
directory with a published event. Each response must not be a 5xx, must have a documented
status code, content type and headers, and its body must match the documented schema; requests
that break the schema must be refused with a 4xx.

One check is left out: `positive_data_acceptance` expects every schema-valid request to
succeed, but a well-formed code that names no sector, region or interest (`sector=zzz`) is a
400 by design (docs/api.md, Filters), and the schema cannot list the codes, which live in the
database.
"""

import os
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from tests.api.conftest import token_for
from tests.factories import ActorFactory, ContactFactory, RegionFactory

set_hypothesis_home_dir(Path(__file__).resolve().parents[2] / "var" / "hypothesis")


@pytest.fixture
def api_schema(scheduled):
    gyeongbuk = RegionFactory(code="gyeongbuk", name="Gyeongbuk", country="KR")
    complex_ = ActorFactory(
        slug="gumi-complex",
        name="Gumi National Industrial Complex",
        side="kr",
        country="KR",
        kind="industrial-complex",
        region=gyeongbuk,
    )
    scheduled.korean.parent = complex_
    scheduled.korean.region = gyeongbuk
    scheduled.korean.save()
    ActorFactory(slug="draft-cluster", name="Draft Cluster", status="draft")
    ContactFactory(actor=complex_)
    # Requests go through Django's real WSGI handler, which closes the database connection
    # at the end of each request; that would end the test's transaction (and its data) on
    # PostgreSQL. Django's test client unhooks the same signal handlers.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


BOUNDED = settings(
    max_examples=25,
    deadline=None,
    # CI replays the same requests on every run; elsewhere each run explores new ones.
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)

IDENTITIES = ("anonymous", "curator", "organiser", "manager")


@pytest.fixture
def identity_headers(world):
    """The request headers of each identity: none for anonymous, a token for the others."""
    return {
        who: {"Authorization": f"Token {token_for(getattr(world, who))}"}
        if who != "anonymous"
        else {}
        for who in IDENTITIES
    }


# One run over the schema: each generated request is sent once as each identity (generating
# the requests is about half the cost, and one run does it once instead of once per identity).
@schema.parametrize()
@BOUNDED
def test_every_identity(case, identity_headers):
    for who, headers in identity_headers.items():
        try:
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
        except Exception as exc:
            exc.add_note(f"(sent as {who})")
            raise


# Generated slugs rarely name a real actor or event, so the successful answers of the detail
# endpoints are also checked on known resources, for every identity.
KNOWN = [
    ("/api/v1/actors/", {}, {"side": "kr", "sector": "biopharmaceuticals"}),
    ("/api/v1/actors/", {}, {"q": "vaccines", "sort": "relevance", "page_size": 1}),
    ("/api/v1/actors/{slug}/", {"slug": "lyon-life"}, {}),
    ("/api/v1/actors/{slug}/", {"slug": "gumi-mobile"}, {}),
    ("/api/v1/actors/{slug}/", {"slug": "gumi-complex"}, {}),
    ("/api/v1/actors/{slug}/", {"slug": "draft-cluster"}, {}),
    ("/api/v1/actors/{slug}/matches/", {"slug": "lyon-life"}, {"top": 5}),
    ("/api/v1/actors/{slug}/matches/", {"slug": "gumi-mobile"}, {"kind": "eu-cluster"}),
    ("/api/v1/events/", {}, {}),
    ("/api/v1/events/{slug}/", {"slug": "seoul-days"}, {}),
    ("/api/v1/events/{slug}/participants/", {"slug": "seoul-days"}, {}),
    ("/api/v1/events/{slug}/schedule/", {"slug": "seoul-days"}, {}),
]


def test_known_resources_conform_for_every_identity(api_schema, identity_headers):
    statuses = {}
    for who, headers in identity_headers.items():
        for path, path_parameters, query in KNOWN:
            case = api_schema[path]["GET"].Case(path_parameters=path_parameters, query=query)
            response = case.call_and_validate(
                headers=headers, excluded_checks=[positive_data_acceptance]
            )
            statuses[who, path, path_parameters.get("slug")] = response.status_code
    # Each kind of successful answer was among them.
    assert statuses["anonymous", "/api/v1/actors/{slug}/", "lyon-life"] == 200
    assert statuses["curator", "/api/v1/actors/{slug}/", "draft-cluster"] == 200
    assert statuses["manager", "/api/v1/actors/{slug}/matches/", "lyon-life"] == 200
    assert statuses["curator", "/api/v1/actors/{slug}/matches/", "gumi-mobile"] == 200
    for path in ("/api/v1/events/{slug}/", "/api/v1/events/{slug}/schedule/"):
        assert statuses["organiser", path, "seoul-days"] == 200
        assert statuses["manager", path, "seoul-days"] == 404
        assert statuses["anonymous", path, "seoul-days"] == 401
