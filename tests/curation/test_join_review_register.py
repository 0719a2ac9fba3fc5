"""Registering a new organisation: the profile rules, the profiles it may already have (claim
one instead), and one waiting registration per organisation."""

import pytest
from django.urls import reverse

from directory.models import Actor, JoinKind, JoinRequest
from directory.signup import address_confirmation_record
from tests.factories import ActorFactory, RegionFactory, SectorFactory, UserFactory

DESCRIPTION = (
    "Busan Hydrogen Cluster joins the fuel cell makers, the port authority and two universities "
    "of Busan around hydrogen ships, refuelling stations and storage at sea."
)


@pytest.fixture
def applicant(db):
    user = UserFactory(username="applicant", email="director@busan-h2.example.kr")
    address_confirmation_record(user=user, email=user.email)
    return user


@pytest.fixture
def sector(db):
    return SectorFactory(code="hydrogen", label="Hydrogen")


def form_data(sector, **changes):
    data = {
        "name": "Busan Hydrogen Cluster", "name_ko": "부산 수소 클러스터", "side": "kr",
        "country": "KR", "region": "", "city": "Busan", "kind": "cluster-network",
        "website": "https://busan-h2.example.kr", "description": DESCRIPTION,
        "description_ko": "", "sectors": [sector.pk], "role": "Director",
        "message": "Founded in 2025.",
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def register(client, data):
    return client.post(reverse("join_register"), data)


def test_a_person_registers_a_new_korean_organisation(client, applicant, sector):
    client.force_login(applicant)
    page = client.get(reverse("join_register")).content.decode()
    assert "Register my organisation" in page and "What happens next" in page
    response = register(client, form_data(sector))
    join = JoinRequest.objects.get()
    assert response["Location"] == reverse("join_request", args=[join.pk])
    assert (join.kind, join.actor, join.role) == (JoinKind.REGISTER, None, "Director")
    assert join.proposed == {
        "name": "Busan Hydrogen Cluster", "name_ko": "부산 수소 클러스터", "side": "kr",
        "country": "KR", "region": "", "city": "Busan", "kind": "cluster-network",
        "website": "https://busan-h2.example.kr", "description": DESCRIPTION,
        "description_ko": "", "sectors": ["hydrogen"], "offers": [], "seeks": [],
    }  # fmt: skip
    mine = client.get(response["Location"]).content.decode()
    assert "The organisation as you described it" in mine and "부산 수소 클러스터" in mine
    assert not Actor.objects.filter(name="Busan Hydrogen Cluster").exists()


def test_a_short_description_is_refused_and_nothing_is_written(client, applicant, sector):
    client.force_login(applicant)
    response = register(client, form_data(sector, description="Hydrogen cluster in Busan."))
    assert response.status_code == 200
    assert "at least 20 words" in response.content.decode()
    # A short Korean description is refused as well; a long one alone is enough.
    response = register(client, form_data(sector, description="", description_ko="수소 클러스터"))
    assert "Hangul characters" in response.content.decode()
    assert not JoinRequest.objects.exists()
    korean_only = (
        "부산 수소 클러스터는 연료전지 기업과 항만공사, 두 대학이 함께 "
        "수소 선박과 충전소, 해상 저장 기술을 개발하는 협력체입니다."
    )
    response = register(client, form_data(sector, description="", description_ko=korean_only))
    assert response.status_code == 302
    assert JoinRequest.objects.get().proposed["description_ko"] == korean_only


def test_inconsistent_places_and_missing_sectors_are_refused(client, applicant, sector):
    client.force_login(applicant)
    lyon = RegionFactory(code="auvergne-rhone-alpes", name="Auvergne-Rhône-Alpes", country="FR")
    for changes, words in (
        ({"country": "FR"}, "A Korean actor must be in Korea"),
        ({"region": lyon.pk}, "is not in South Korea"),
        ({"sectors": None}, "Choose at least one sector"),
        ({"name": "  "}, "This field is required"),
    ):
        response = register(client, form_data(sector, **changes))
        assert response.status_code == 200, changes
        assert words in response.content.decode(), changes
    assert not JoinRequest.objects.exists()


def test_possible_duplicates_are_shown_first_with_a_claim_instead(client, applicant, sector):
    existing = ActorFactory(
        slug="busan-h2", name="Busan Hydrogen Cluster Association", side="kr", country="KR",
        website="https://www.busan-h2.example.kr/en/",
    )  # fmt: skip
    client.force_login(applicant)
    response = register(client, form_data(sector))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Is your organisation already in the directory?" in html
    assert "Busan Hydrogen Cluster Association" in html
    assert "same website domain busan-h2.example.kr" in html
    assert reverse("join_claim", args=[existing.slug]) in html
    assert not JoinRequest.objects.exists()
    # "None of these is mine" sends it.
    response = register(client, form_data(sector, none_is_mine="1"))
    assert response.status_code == 302
    assert JoinRequest.objects.get().proposed["name"] == "Busan Hydrogen Cluster"


def test_a_korean_name_alone_finds_its_lookalike(client, applicant, sector):
    ActorFactory(
        slug="chuncheon-bio", name="Chuncheon Bioindustry Foundation",
        name_ko="춘천바이오산업진흥원", side="kr", country="KR", kind="foundation",
    )  # fmt: skip
    client.force_login(applicant)
    data = form_data(
        sector, name="Chuncheon Bio Industry Promotion Agency", name_ko="춘천바이오산업진흥원",
        website="",
    )  # fmt: skip
    assert "Chuncheon Bioindustry Foundation" in register(client, data).content.decode()


def test_the_same_registration_twice_gives_the_waiting_one(client, applicant, sector):
    client.force_login(applicant)
    first = register(client, form_data(sector))
    second = register(client, form_data(sector, name="busan  hydrogen cluster"))
    assert first["Location"] == second["Location"]
    assert JoinRequest.objects.count() == 1


def test_an_unconfirmed_address_is_asked_to_confirm_first(client, sector):
    client.force_login(UserFactory(username="new", email="new@example.kr"))
    page = client.get(reverse("join_register")).content.decode()
    assert "Send me a confirmation link" in page
    register(client, form_data(sector))
    assert not JoinRequest.objects.exists()
