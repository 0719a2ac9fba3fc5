"""The demo directory built from the seed documents, and `load_demo`."""

import re
from pathlib import Path

import pytest

from directory.demo import DEMO_MANAGED, demo_load
from directory.demo_schema import load_taxonomy
from directory.models import Actor, ContactPerson

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

# Figure 5 of seed 000 (the Korea Export complex is listed as its three parts).
FIGURE_5 = {
    "national": [
        "seoul-digital",
        "bupyeong",
        "juan",
        "namdong",
        "bukpyeong",
        "paju-publication",
        "paju-tanhyeon",
        "sihwa",
        "asan",
        "seokmun",
        "gumi",
        "osong-gwahak",
        "changwon",
        "ulsan",
        "onsan",
        "anjeong",
        "myeongji-noksan",
        "yeosu",
        "gunsan",
        "gunjang",
        "iksan",
        "gwangju-hightech",
        "daebul",
        "gwangyang-yeongwan",
    ],
    "general": [
        "bukpyeong",
        "janghowon",
        "daegu-dalseong-ii",
        "sacheon",
        "busan-gwahak",
        "sinho",
        "jeonggwan",
        "sinpyeong-janglim",
        "giryong-i",
        "gimhae",
    ],
    "rural": ["donghwa", "samgye", "jeonggwan"],
}
FOREIGN_INVESTMENT_ZONES = [
    "gumi",
    "cheonan",
    "inju",
    "ochang",
    "osong",
    "sacheon",
    "pyeongdong",
    "daebul",
    "dalseong",
]
HIGHTECH_2023 = [
    "yongin",
    "daejeon",
    "cheonan",
    "hongseong",
    "cheongju",
    "gwangju",
    "goheung",
    "iksan",
    "wanju",
    "daegu",
    "andong",
    "gyeongju",
    "uljin",
    "changwon",
    "gangneung",
]


@pytest.fixture
def loaded(demo_directory):
    """The demo directory as `load_demo` writes it, loaded once per session (tests/conftest.py)."""
    return None


def _annex_mini_clusters() -> int:
    """Count the Mini Clusters that Annex 5.4 of seed 000 lists (fields separated by '|')."""
    text = (SEEDS / "000_3ec0da48844ca2a2.txt").read_text(encoding="utf-8")
    annex = text[text.index("5.4. Current state of Mini Clusters", 5000) :]
    annex = annex[: annex.index("FIGURE 15")]
    count = 0
    for line in annex.splitlines():
        line = line.strip()
        if "|" in line:
            count += line.count("|") + 1
        elif line and not line.endswith("Zone") and line[0].isupper():
            count += 1  # a complex with a single Mini Cluster, e.g. "Sacheon Aerospace"
    return count


def test_every_industrial_complex_of_figure_5_is_there(loaded):
    for group, places in FIGURE_5.items():
        for place in places:
            actor = Actor.objects.get(slug=f"{place}-{group}-industrial-complex")
            assert actor.kind == "industrial-complex"
            assert actor.parent.slug == "kicox"
    for place in FOREIGN_INVESTMENT_ZONES:
        assert Actor.objects.get(slug=f"{place}-foreign-investment-zone").side == "kr"


def test_the_15_planned_hightech_complexes_are_there(loaded):
    for place in HIGHTECH_2023:
        actor = Actor.objects.get(slug=f"{place}-national-hightech-complex")
        assert "004_d0b35ecc233ad65f.txt" in actor.source


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed documents are beside the repository")
def test_every_mini_cluster_of_annex_5_4_is_there(loaded):
    assert Actor.objects.filter(kind="mini-cluster").count() == _annex_mini_clusters()
    changwon = Actor.objects.get(slug="changwon-national-industrial-complex")
    assert set(changwon.children.values_list("slug", flat=True)) >= {
        "changwon-mechatronics-mini-cluster",
        "changwon-machine-tools-mini-cluster",
        "changwon-transport-machinery-mini-cluster",
        "changwon-machinery-and-parts-mini-cluster",
    }


def test_named_agencies_and_european_actors_of_the_documents(loaded):
    for slug in [
        "kicox",
        "kiat",
        "kotra",
        "motie",
        "foodpolis",
        "chuncheon-bioindustry-foundation",
        "kfri",
        "keimyung-university",
        "daegu-metropolitan-city",
        "bioxclusters-plus",
        "lyonbiopole",
        "biopmed",
        "biocat",
        "biom",
        "pole-eau",
        "accio",
        "packaging-cluster-catalonia",
        "koranet",
        "eureka",
        "itea",
        "tci-network",
        "the-cluster-house",
        "wagralim",
    ]:
        assert Actor.objects.filter(slug=slug).exists(), slug
    assert Actor.objects.filter(side="eu").count() >= 30


def test_every_profile_is_complete_and_sourced(loaded):
    for actor in Actor.objects.prefetch_related("sectors"):
        assert len(actor.description.split()) >= 60, actor.slug
        assert re.search(r"00[0-4]_[0-9a-f]{16}\.txt|https://", actor.source), actor.slug
        assert actor.sectors.exists(), actor.slug
        assert actor.latitude is not None and actor.longitude is not None, actor.slug
        if actor.side == "kr":
            assert actor.country.code == "KR" and actor.region.country.code == "KR", actor.slug
            assert 33 <= actor.latitude <= 39 and 124 <= actor.longitude <= 132, actor.slug


def test_demo_contacts_are_fictitious(loaded):
    assert ContactPerson.objects.count() == Actor.objects.count()
    assert not ContactPerson.objects.exclude(email__endswith="@example.org").exists()


def test_demo_users_can_log_in_and_manage_their_cluster(loaded, client):
    from directory.demo import DEMO_PASSWORD

    def log_in(username: str) -> None:
        # Through the login form, as a person would (login throttling needs the request).
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username

    for username, slug in DEMO_MANAGED.items():
        log_in(username)
        assert client.get(f"/actors/{slug}/edit/").status_code == 200
        client.logout()
    log_in("curator")
    assert client.get("/admin/directory/actor/").status_code == 200


def test_load_demo_is_idempotent(loaded):
    before = (Actor.objects.count(), ContactPerson.objects.count())
    demo_load()
    assert (Actor.objects.count(), ContactPerson.objects.count()) == before


def test_home_page_shows_the_demo_counts(loaded, client):
    html = client.get("/").content.decode()
    total = Actor.objects.published().count()
    assert f"<strong>{total}</strong><span>published profiles</span>" in html


def test_a_demo_source_longer_than_the_field_is_refused_before_loading():
    from directory.demo_schema import SOURCE_MAX, validate_records

    assert Actor._meta.get_field("source").max_length == SOURCE_MAX
    record = {
        "slug": "long-source", "name": "Long Source", "side": "eu", "country": "FR",
        "kind": "eu-cluster", "description": " ".join(["words"] * 70), "sectors": [],
        "offers": [], "seeks": [], "latitude": 45.0, "longitude": 4.0,
        "source": "002_7ae1ff3c46637eba.txt " + "x" * SOURCE_MAX,
    }  # fmt: skip
    problems = validate_records([record], taxonomy=load_taxonomy())
    assert any("source is" in p and f"at most {SOURCE_MAX}" in p for p in problems), problems
