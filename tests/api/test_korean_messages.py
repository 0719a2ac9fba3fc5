"""The API in Korean: with `Accept-Language: ko` the messages meant for people are Korean (ours
and Django REST framework's own), while codes, field names and band codes stay English."""

from rest_framework.test import APIClient

from directory.models import Sector

KO = {"HTTP_ACCEPT_LANGUAGE": "ko"}


def error_of(response, status: int) -> dict:
    assert response.status_code == status
    return response.json()["error"]


def test_our_own_error_messages_in_korean_with_english_codes(api, world):
    error = error_of(api.get("/api/v1/actors/?sector=nope&side=us", **KO), 400)
    assert error["code"] == "invalid" and set(error["fields"]) == {"sector", "side"}
    assert error["detail"] == "side, sector 값이 올바르지 않습니다."

    error = error_of(api.get("/api/v1/actors/no-such-actor/", **KO), 404)
    assert error == {"status": 404, "code": "not_found", "detail": "이 슬러그의 기관이 없습니다."}

    error = error_of(api.get("/api/v1/actors/?page_size=abc", **KO), 400)
    assert error["fields"]["page_size"] == [
        "1 이상의 정수가 필요합니다(또는 매개변수를 생략해 주세요)."
    ]
    error = error_of(api.get("/api/v1/actors/?page=40", **KO), 404)
    assert error["detail"] == "40 페이지가 없습니다."

    hint = error_of(api.get("/api/v1/actors", **KO), 404)
    assert hint["detail"] == (
        "이 주소에는 API 엔드포인트가 없습니다. /api/v1/actors/ 주소를 찾으셨나요?"
    )


def test_drf_and_django_messages_in_korean(api, world):
    error = error_of(api.get("/api/v1/actors/lyon-life/matches/", **KO), 401)
    assert error["code"] == "not_authenticated"
    assert error["detail"] == "자격 인증 데이터가 제공되지 않았습니다."

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    error = error_of(client.get("/api/v1/actors/", **KO), 401)
    assert error["code"] == "authentication_failed" and "Invalid token" not in error["detail"]

    error = error_of(api.delete("/api/v1/sectors/", **KO), 405)
    assert error["code"] == "method_not_allowed" and "not allowed" not in error["detail"]


def test_a_ranking_in_korean_keeps_its_codes(as_user, world):
    Sector.objects.filter(code="biopharmaceuticals").update(label_ko="바이오의약품")
    client = as_user(world.manager)
    error = error_of(
        client.get("/api/v1/actors/lyon-life/matches/?w_text=0&w_sector=0&w_interest=0", **KO),
        400,
    )
    assert error["fields"]["w_text"] == ["가중치 중 하나 이상은 0보다 커야 합니다."]

    error = error_of(client.get("/api/v1/actors/turin-health/matches/", **KO), 404)
    assert error["detail"] == "파트너 순위를 볼 수 있는 기관 중에 이 슬러그의 기관이 없습니다."

    best = client.get("/api/v1/actors/lyon-life/matches/", **KO).json()["results"][0]
    assert best["slug"] == "chuncheon-bio"
    assert best["band"] in {"strong", "good", "possible", "long shot"}
    assert "두 기관 모두" in best["explanation"] and "바이오의약품" in best["explanation"]
    # Data stays data: the labels as stored, for programs.
    assert best["shared_sectors"] == ["Biopharmaceuticals"]


def test_english_stays_the_default(api, world):
    error = error_of(api.get("/api/v1/actors/no-such-actor/"), 404)
    assert error["detail"] == "No actor with this slug."
    error = error_of(api.get("/api/v1/actors/lyon-life/matches/"), 401)
    assert error["detail"] == "Authentication credentials were not provided."
