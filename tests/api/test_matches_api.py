"""The ranking through the API: content, parameters, and who may see it."""

import pytest


def test_a_manager_gets_the_obvious_partner_first_with_its_explanation(as_user, world):
    response = as_user(world.manager).get("/api/v1/actors/lyon-life/matches/")
    assert response.status_code == 200
    body = response.json()
    assert body["actor"] == {"slug": "lyon-life", "name": "Lyon Life Sciences"}
    assert body["weights"] == {"text": 1.0, "sector": 0.0, "interest": 0.0}
    assert body["count"] == len(body["results"]) == 3  # the Korean side, never the EU side
    best = body["results"][0]
    assert best["slug"] == "chuncheon-bio" and best["rank"] == 1
    assert best["kind"] == "foundation" and best["country"] == "KR"
    assert best["url"] == "http://testserver/api/v1/actors/chuncheon-bio/"
    assert "vaccines" in best["explanation"]
    assert best["shared_sectors"] == ["Biopharmaceuticals"]
    assert best["they_offer_you_seek"] == ["Market access and export"]
    assert best["you_offer_they_seek"] == ["Joint R&D projects"]
    assert {t["term"] for t in best["shared_terms"]} >= {"vaccines", "antibodies"}
    assert best["components"]["sector"] == 100.0 and best["components"]["interest"] == 100.0
    parts = best["contributions"]
    # Out of 100 as on the page; the points add up to the score (rounded to a whole number).
    assert sum(parts.values()) == pytest.approx(best["score"], abs=0.6)
    assert best["band"] in {"strong", "good", "possible", "long shot"}
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_the_same_content_as_the_rank_command(as_user, world):
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rank", "lyon-life", "--top", "3", "--json", stdout=out)
    expected = json.loads(out.getvalue())
    results = as_user(world.manager).get("/api/v1/actors/lyon-life/matches/?top=3").json()
    for row, command_row in zip(results["results"], expected, strict=True):
        assert {k: row[k] for k in command_row} == command_row


def test_parameters_top_kind_sector_and_weights(as_user, world):
    client = as_user(world.curator)
    url = "/api/v1/actors/lyon-life/matches/"
    assert client.get(url, {"top": 1}).json()["count"] == 1
    only = client.get(url, {"kind": "cluster-agency"}).json()["results"]
    assert [r["slug"] for r in only] == ["daegu-water"]
    water = client.get(url, {"sector": "environmental-services"}).json()["results"]
    assert [r["slug"] for r in water] == ["daegu-water"]
    text_only = client.get(url, {"w_text": 100, "w_sector": 0, "w_interest": 0}).json()
    assert text_only["weights"] == {"text": 1.0, "sector": 0.0, "interest": 0.0}
    best = text_only["results"][0]
    assert best["score"] == round(best["components"]["text"])


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"top": "0"}, ["top"]),
        ({"top": "101"}, ["top"]),
        ({"top": "ten"}, ["top"]),
        ({"top": ""}, ["top"]),
        ({"kind": "bank"}, ["kind"]),
        ({"sector": "biotek"}, ["sector"]),
        ({"region": "atlantis"}, ["region"]),
        ({"w_text": "-1"}, ["w_text"]),
        ({"w_sector": "101"}, ["w_sector"]),
        ({"w_text": "0", "w_sector": "0", "w_interest": "0"}, ["w_text", "w_sector", "w_interest"]),
    ],
)
def test_bad_parameters_are_a_400_naming_them(as_user, world, params, fields):
    response = as_user(world.manager).get("/api/v1/actors/lyon-life/matches/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and sorted(error["fields"]) == sorted(fields)


def test_another_manager_gets_the_same_404_as_for_an_unknown_actor(as_user, world):
    client = as_user(world.other_manager)
    forbidden = client.get("/api/v1/actors/lyon-life/matches/")
    unknown = client.get("/api/v1/actors/no-such-actor/matches/")
    assert forbidden.status_code == unknown.status_code == 404
    assert forbidden.json() == unknown.json()
    assert forbidden.json()["error"]["code"] == "not_found"
    # An organiser is not a manager either.
    assert as_user(world.organiser).get("/api/v1/actors/lyon-life/matches/").status_code == 404


def test_anonymous_requests_get_401_and_learn_nothing(api, world):
    for slug in ("lyon-life", "no-such-actor"):
        response = api.get(f"/api/v1/actors/{slug}/matches/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert response.json() == {
            "error": {
                "status": 401,
                "code": "not_authenticated",
                "detail": "Authentication credentials were not provided.",
            }
        }


def test_a_session_works_too(client, world):
    client.force_login(world.manager)
    response = client.get("/api/v1/actors/lyon-life/matches/?top=1")
    assert response.status_code == 200
    assert response.json()["results"][0]["slug"] == "chuncheon-bio"
