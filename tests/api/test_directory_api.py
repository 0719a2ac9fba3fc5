"""Actors, sectors and interests: content, filters, pagination, and contacts only when logged in."""

import json

import pytest

from tests.factories import ActorFactory, ContactFactory, RegionFactory, SectorFactory


def errors_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


@pytest.fixture
def family(world):
    """A Korean industrial complex with two Mini Clusters, one of them a draft."""
    gyeongbuk = RegionFactory(code="gyeongbuk", name="Gyeongbuk", country="KR")
    world.complex = ActorFactory(
        slug="gumi-complex", name="Gumi National Industrial Complex", side="kr", country="KR",
        kind="industrial-complex", region=gyeongbuk,
    )  # fmt: skip
    world.korean.parent = world.complex
    world.korean.region = gyeongbuk
    world.korean.save()
    world.draft_child = ActorFactory(
        slug="gumi-draft", name="Gumi Draft Mini Cluster", side="kr", country="KR",
        kind="mini-cluster", parent=world.complex, status="draft",
    )  # fmt: skip
    world.complex_contact = ContactFactory(
        actor=world.complex, name="Park Private", email="park.private@example.org",
        phone="+82 54 999 0000",
    )  # fmt: skip
    return world


def test_the_list_shows_published_actors_with_their_sectors(api, family):
    response = api.get("/api/v1/actors/")
    assert response.status_code == 200
    body = response.json()
    slugs = [a["slug"] for a in body["results"]]
    assert body["count"] == 6 and "gumi-draft" not in slugs
    names = [a["name"] for a in body["results"]]
    assert names == sorted(names)
    lyon = next(a for a in body["results"] if a["slug"] == "lyon-life")
    assert lyon["side"] == "eu" and lyon["country"] == "FR" and lyon["country_name"] == "France"
    assert lyon["sectors"] == [{"code": "biopharmaceuticals", "label": "Biopharmaceuticals"}]
    assert lyon["url"] == "http://testserver/api/v1/actors/lyon-life/"
    assert lyon["page_url"] == "http://testserver/actors/lyon-life/"


def test_curators_also_see_drafts(as_user, family):
    body = as_user(family.curator).get("/api/v1/actors/").json()
    assert "gumi-draft" in [a["slug"] for a in body["results"]]
    assert as_user(family.curator).get("/api/v1/actors/gumi-draft/").status_code == 200
    assert as_user(family.manager).get("/api/v1/actors/gumi-draft/").status_code == 404


def test_side_kr_returns_only_korean_actors(api, family):
    body = api.get("/api/v1/actors/", {"side": "kr"}).json()
    assert body["count"] == 4
    assert {a["side"] for a in body["results"]} == {"kr"}


def test_filters_combine_like_the_directory(api, family):
    assert [a["slug"] for a in api.get(
        "/api/v1/actors/", {"side": "kr", "sector": "biopharmaceuticals"}
    ).json()["results"]] == ["chuncheon-bio"]  # fmt: skip
    assert [a["slug"] for a in api.get(
        "/api/v1/actors/", {"region": "gyeongbuk", "kind": "mini-cluster"}
    ).json()["results"]] == ["gumi-mobile"]  # fmt: skip
    assert [a["slug"] for a in api.get(
        "/api/v1/actors/", {"offers": "market-access"}
    ).json()["results"]] == ["chuncheon-bio"]  # fmt: skip
    found = api.get("/api/v1/actors/", {"q": "vaccines"}).json()["results"]
    assert {a["slug"] for a in found} == {"chuncheon-bio", "lyon-life"}
    assert [a["slug"] for a in api.get(
        "/api/v1/actors/", {"country": "IT"}
    ).json()["results"]] == ["turin-health"]  # fmt: skip
    names = [a["name"] for a in api.get("/api/v1/actors/", {"sort": "-name"}).json()["results"]]
    assert names == sorted(names, reverse=True)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sector": "biotek"}, "sector"),
        ({"side": "us"}, "side"),
        ({"kind": "bank"}, "kind"),
        ({"region": "atlantis"}, "region"),
        ({"country": "ZZ"}, "country"),
        ({"sort": "price"}, "sort"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": ""}, "page_size"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(api, family, params, field):
    response = api.get("/api/v1/actors/", params)
    assert response.status_code == 400
    error = errors_of(response)
    assert error["status"] == 400 and error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert error["fields"][field] and field in error["detail"]


def test_pagination_is_twenty_a_page_up_to_a_hundred(api, db):
    SectorFactory(code="biopharmaceuticals")
    for n in range(45):
        ActorFactory(slug=f"actor-{n:02d}", name=f"Actor {n:02d}")
    first = api.get("/api/v1/actors/").json()
    assert first["count"] == 45 and len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/actors/?page=2"
    third = api.get(first["next"].replace("page=2", "page=3")).json()
    assert [a["slug"] for a in third["results"]] == [f"actor-{n}" for n in range(40, 45)]
    assert third["next"] is None
    assert len(api.get("/api/v1/actors/", {"page_size": 100}).json()["results"]) == 45
    small = api.get("/api/v1/actors/", {"page_size": 7, "side": "eu", "page": 2}).json()
    assert [a["slug"] for a in small["results"]] == [f"actor-{n:02d}" for n in range(7, 14)]
    assert "side=eu" in small["next"] and "page_size=7" in small["next"]
    past = api.get("/api/v1/actors/", {"page": 4})
    assert past.status_code == 404
    assert errors_of(past) == {"status": 404, "code": "not_found", "detail": "There is no page 4."}


def test_the_detail_has_the_whole_profile(api, family):
    body = api.get("/api/v1/actors/gumi-mobile/").json()
    assert body["name"] == "Gumi Mobile Mini Cluster" and body["kind"] == "mini-cluster"
    assert body["region"] == {"code": "gyeongbuk", "name": "Gyeongbuk", "country": "KR"}
    assert body["parent"] == "gumi-complex" and body["children"] == []
    lyon = api.get("/api/v1/actors/lyon-life/").json()
    assert lyon["offers"] == [{"code": "rd-projects", "label": "Joint R&D projects"}]
    assert lyon["seeks"] == [{"code": "market-access", "label": "Market access and export"}]
    assert lyon["description"].startswith("Lyon cluster for vaccines")
    # A draft child shows only to curators.
    assert api.get("/api/v1/actors/gumi-complex/").json()["children"] == ["gumi-mobile"]


def test_curators_see_draft_children_too(as_user, family):
    body = as_user(family.curator).get("/api/v1/actors/gumi-complex/").json()
    assert body["children"] == ["gumi-draft", "gumi-mobile"]
    draft = as_user(family.curator).get("/api/v1/actors/gumi-draft/").json()
    assert draft["parent"] == "gumi-complex"


def test_a_draft_or_unknown_actor_is_a_404_for_visitors(api, family):
    for slug in ("gumi-draft", "no-such-actor"):
        response = api.get(f"/api/v1/actors/{slug}/")
        assert response.status_code == 404
        assert errors_of(response)["detail"] == "No actor with this slug."


def test_contacts_are_never_in_an_anonymous_response(api, family):
    personal = {
        value
        for contact in (family.contact, family.korean_contact, family.complex_contact)
        for value in (contact.email, contact.phone, contact.name)
    }
    bodies = [api.get("/api/v1/actors/", {"page_size": 100}).content.decode()]
    for slug in ("lyon-life", "gumi-mobile", "gumi-complex", "chuncheon-bio"):
        response = api.get(f"/api/v1/actors/{slug}/")
        assert "contacts" not in response.json()
        bodies.append(response.content.decode())
    for body in bodies:
        for value in personal:
            assert value not in body
            assert json.dumps(value)[1:-1] not in body


def test_logged_in_users_see_contacts_by_token_or_session(as_user, client, family):
    expected = [
        {
            "name": "Marie Secret",
            "role": "Project manager",
            "email": "marie.secret@example.org",
            "phone": "+33 4 11 22 33 44",
        }
    ]
    by_token = as_user(family.other_manager).get("/api/v1/actors/lyon-life/").json()
    assert by_token["contacts"] == expected
    client.force_login(family.organiser)
    assert client.get("/api/v1/actors/lyon-life/").json()["contacts"] == expected
    # The list stays without contacts for everyone.
    listed = as_user(family.curator).get("/api/v1/actors/").content.decode()
    assert "marie.secret@example.org" not in listed


def test_sectors_and_interests(api, family):
    sectors = api.get("/api/v1/sectors/").json()
    assert sectors == [
        {"code": "biopharmaceuticals", "label": "Biopharmaceuticals", "group": "traded"},
        {"code": "environmental-services", "label": "Environmental services", "group": "traded"},
    ]
    interests = api.get("/api/v1/interests/").json()
    assert [i["code"] for i in interests] == ["rd-projects", "market-access"]
    assert interests[0]["label"] == "Joint R&D projects"
