"""Korean profiles that match: the analyser, the glossary, a Korean-only profile ranked for an
English-only one, the evaluation's Korean regime, and the Korean taxonomy and demo fields."""

import re

import pytest
import yaml
from django.utils import translation

from common.korean import content_morphemes, content_words
from directory.demo_schema import TAXONOMY_FILE, load_taxonomy
from directory.models import Actor, Interest, Region, Sector
from directory.taxonomy import taxonomy_load
from matching.engine import DEFAULT_MODEL, DEFAULT_WEIGHTS, build_index
from matching.evaluation import engine_scorer, evaluate, queries_from
from matching.glossary import Entry, Glossary, entries_from, glossary, korean_term
from matching.index import current_index, directory_parts, taxonomy_labels
from matching.management.commands.evaluate_matching import TARGET_KOREAN_RATIO, load_pairs
from matching.profiles import ProfileParts, profile_from
from matching.regimes import (
    AS_IS,
    ENGLISH_PROFILES,
    KOREAN_PROFILES,
    NAMES_MASKED,
    korean_profiles,
    language_parts,
    mask_partner_names,
    regime_parts,
)
from tests.factories import ActorFactory, SectorFactory

LABELS = {"sector_labels": {"medical-devices": "Medical devices"}, "interest_labels": {}}


# -- the analyser and the glossary (no database) -----------------------------------------------


def test_korean_text_is_read_as_content_words_without_particles_or_endings():
    words = content_words("의료기기와 바이오헬스 산업을 지원합니다.")
    assert {"의료", "기기", "바이오", "헬스", "산업", "지원"} <= set(words)
    # The particles 와/을 and the ending ㅂ니다 carry grammar, not topic.
    assert not {"와", "을", "합니다", "ᆸ니다", "하"} & set(words)
    assert all(" " not in w for w in words)
    # "의료 기기" written apart reads as the same two morphemes, joined.
    assert [(m.form, m.joined) for m in content_morphemes("의료 기기")] == [
        ("의료", False),
        ("기기", True),
    ]


def test_the_glossary_links_korean_phrases_to_english_phrases():
    g = glossary()
    assert len(g.entries) >= 250
    # Written together or apart, or spread over several morphemes, one concept.
    for korean in ("의료기기", "의료 기기"):
        assert g.english_for(korean).name == "medical devices"
    assert g.english_for("이차전지").name == "secondary batteries"
    assert g.english_for("기술이전").name == "technology transfer"
    assert g.english_for("미니클러스터").name == "Mini Cluster"
    assert g.korean_for("medical devices") == "의료기기"
    assert korean_term("technology transfer") == "기술이전"
    # The longest term wins over its parts: 수소 연료전지 is the hydrogen and fuel cells sector.
    links = g.links("수소 연료전지와 이차전지, 국가산업단지의 스마트공장을 지원합니다")
    assert links[0].korean == "수소 연료전지"
    assert links[0].entry.sector == "hydrogen-fuel-cells"
    assert [link.entry.name for link in links[1:4]] == [
        "secondary batteries",
        "national industrial complex",
        "smart factory",
    ]
    # A compound the analyser keeps whole is split on the glossary's terms.
    pieces = [link.entry.name for link in g.links("춘천바이오산업진흥원") if link.entry]
    assert pieces == ["Chuncheon", "bioindustry", "agency"]


def test_every_sector_and_interest_has_its_glossary_entry():
    g = glossary()
    taxonomy = load_taxonomy()
    missing = [s["code"] for s in taxonomy["sectors"] if g.for_sector(s["code"]) is None]
    assert missing == []
    interests = {e.interest for e in g.entries if e.interest}
    assert interests == {i["code"] for i in taxonomy["interests"]}
    # Every Korean sector label reads as at least one linked term.
    for sector in taxonomy["sectors"]:
        assert any(link.entry for link in g.links(sector["label_ko"])), sector["code"]


def test_a_korean_form_given_to_two_concepts_is_refused():
    data = {
        "sectors": [
            {"en": ["medical devices"], "ko": ["의료기기"]},
            {"en": ["pharmaceuticals"], "ko": ["의료기기"]},
        ]
    }
    with pytest.raises(ValueError, match="already means 'medical devices'"):
        entries_from(data)
    with pytest.raises(ValueError, match="needs en and ko"):
        entries_from({"technologies": [{"en": ["robots"]}]})


def test_a_small_glossary_gives_the_index_english_words_and_keeps_the_rest_korean():
    g = Glossary([Entry(section="sectors", english=("medical devices",), korean=("의료기기",))])
    words = g.index_words("KMDC는 의료기기 기업의 임상을 돕습니다")
    assert "medical devices" in words and "KMDC" in words
    assert "임상" in words  # not in this glossary: kept in Korean
    assert "의료기기" not in words
    assert "임상" not in g.index_words("의료기기 임상", keep_unlinked=False)


# -- ranking across languages (no database) ----------------------------------------------------


def parts(key, slug, side, *, name="", description="", name_ko="", description_ko="", **more):
    return ProfileParts(
        key=key,
        slug=slug,
        name=name,
        side=side,
        kind="eu-cluster" if side == "eu" else "mini-cluster",
        description=description,
        name_ko=name_ko,
        description_ko=description_ko,
        **more,
    )


DIRECTORY = [
    parts(
        1,
        "medtech-eu",
        "eu",
        name="Alsace Medtech Cluster",
        description="Cluster of medical devices makers: implants, surgical instruments and "
        "diagnostic imaging, seeking clinical trials and certification partners in Asia.",
    ),
    parts(
        2,
        "water-eu",
        "eu",
        name="Rhine Water Cluster",
        description="Water cluster: wastewater treatment, membranes and water reuse.",
    ),
    # The Korean-only profile about medical devices: not one English word.
    parts(
        3,
        "wonju-medical",
        "kr",
        name_ko="원주 미니클러스터",
        description_ko="원주의 의료기기 기업과 대학, 연구소가 모인 미니클러스터입니다. "
        "진단 영상 장비와 수술 기구를 만드는 중소기업의 임상시험과 인증, "
        "해외 시장 진출을 지원합니다.",
    ),
    # Distractors: Korean-only and English-only profiles about other things.
    parts(
        4,
        "daegu-water",
        "kr",
        name_ko="대구 물산업 클러스터",
        description_ko="대구의 물산업 클러스터로 하수처리와 수처리 기술, "
        "물 재이용 실증을 지원합니다.",
    ),
    parts(
        5,
        "gumi-display",
        "kr",
        name_ko="구미 디스플레이 미니클러스터",
        description_ko="구미국가산업단지의 디스플레이와 반도체 부품 기업이 "
        "모인 미니클러스터입니다.",
    ),
    parts(
        6,
        "ulsan-cars",
        "kr",
        name="Ulsan Autovalley",
        description="Automotive parts and electric vehicle suppliers around car assembly plants.",
    ),
    parts(
        7,
        "jeju-cosmetics",
        "kr",
        name="Jeju Cosmetics Cluster",
        description="Cosmetics makers using the island's natural raw materials.",
    ),
]


def test_a_korean_only_medical_devices_profile_ranks_first_for_an_english_medtech_cluster():
    index = build_index([profile_from(p, **LABELS) for p in DIRECTORY], model=DEFAULT_MODEL)
    ranking = index.rank(1, top=5)
    assert ranking[0].slug == "wonju-medical"
    assert ranking[0].name == "원주 미니클러스터"  # a Korean-only profile goes by it
    shown = " ".join(t.term for t in ranking[0].shared_terms)
    assert "medical devices" in shown  # the reason names the shared concept
    # And the other way: the English water cluster finds the Korean-only water cluster.
    assert index.rank(2, top=1)[0].slug == "daegu-water"


def test_two_korean_only_profiles_match_on_korean_words_the_glossary_does_not_know():
    a = parts(1, "a", "kr", name_ko="가", description_ko="한지 공예 장인들이 모인 협동조합입니다")
    b = parts(2, "b", "eu", name_ko="나", description_ko="한지 공예 작품을 유럽에 소개합니다")
    c = parts(3, "c", "eu", name="C", description="Packaging and paper machinery.")
    index = build_index([profile_from(p, **LABELS) for p in (a, b, c)])
    assert index.pair(1, 2).text > 0  # 한지 and 공예 are not glossary terms
    assert index.pair(1, 3).text == 0


def test_beside_an_english_description_only_the_linked_korean_words_are_indexed():
    both = parts(
        1,
        "both",
        "kr",
        name="Wonju Medical",
        description="Medical devices makers.",
        description_ko="한지 공예와 의료기기",
    )
    text = profile_from(both, **LABELS).text
    assert "medical devices" in text and "한지" not in text


def test_the_korean_regime_reads_korean_actors_in_korean_only():
    everyone = [
        parts(1, "en", "kr", name="English Only", description="Medical devices."),
        parts(
            2,
            "both",
            "kr",
            name="Osong",
            acronym="OBT",
            description="Bio-health cluster.",
            keywords="bio-health",
            name_ko="오송생명과학단지",
            description_ko="오송의 바이오헬스 클러스터입니다.",
        ),
    ]
    english = {p.slug: p for p in language_parts(ENGLISH_PROFILES, everyone)}
    korean = {p.slug: p for p in language_parts(KOREAN_PROFILES, everyone)}
    assert english["both"].description_ko == "" and english["both"].name == "Osong"
    assert korean["both"].name == korean["both"].acronym == korean["both"].description == ""
    assert korean["both"].keywords == "" and korean["both"].description_ko
    assert korean["en"] == english["en"]
    text = profile_from(korean["both"], **LABELS).text
    assert "bio-health" in text and "Osong" in text  # through the glossary: 바이오헬스, 오송


def test_masking_removes_a_partners_town_written_in_korean():
    eu = parts(1, "lyon-bio", "eu", name="Lyon Bio Cluster", city="Lyon", description="Vaccines.")
    kr = parts(
        2,
        "cbf",
        "kr",
        name="Chuncheon Foundation",
        city="Chuncheon",
        description="Met the Lyon Bio Cluster in Lyon.",
        description_ko="리옹에서 Lyon Bio Cluster를 만나 백신 협력을 논의했습니다.",
    )
    masked = {p.slug: p for p in mask_partner_names([eu, kr], [("lyon-bio", "cbf")])}
    words = masked["cbf"].description_ko_words
    assert "vaccines" in words  # what it does stays
    assert "Lyon" not in words and "리옹" not in words
    korean = korean_profiles([masked["cbf"]])[0]
    assert "Lyon" not in profile_from(korean, **LABELS).text


# -- the demo directory and the evaluation (database) ------------------------------------------


def test_the_demo_gives_korean_names_and_korean_descriptions(demo_directory):
    korean = Actor.objects.filter(side="kr")
    assert not korean.filter(name_ko="").exists()
    assert Actor.objects.get(slug="kicox").name_ko == "한국산업단지공단"
    assert Actor.objects.get(slug="kiat").name_ko == "한국산업기술진흥원"
    described = set(korean.exclude(description_ko="").values_list("slug", flat=True))
    assert len(described) >= 20
    assert {p.kr for p in load_pairs()} <= described
    # Korean written for Korean readers, long enough to be ranked on.
    for text in korean.exclude(description_ko="").values_list("description_ko", flat=True):
        assert 60 <= len(text.split()) <= 200


def test_korean_profiles_keep_most_of_the_english_mrr_in_both_directions(demo_directory):
    pairs = load_pairs()
    links = [(p.eu, p.kr) for p in pairs]
    labels = taxonomy_labels()
    topics = [*labels["sector_labels"].values(), *labels["interest_labels"].values()]
    everyone = directory_parts()
    for regime in (AS_IS, NAMES_MASKED):
        base = regime_parts(regime, everyone, links, topic_words=topics)
        mrr = {}
        for language in (ENGLISH_PROFILES, KOREAN_PROFILES):
            profiles = [profile_from(p, **labels) for p in language_parts(language, base)]
            keys = {p.slug: p.key for p in profiles}
            index = build_index(
                profiles, model=DEFAULT_MODEL, links=[(keys[a], keys[b]) for a, b in links]
            )
            for korean_side in (False, True):
                report = evaluate(
                    index,
                    queries_from(pairs, korean_side=korean_side),
                    scorer=engine_scorer(DEFAULT_WEIGHTS),
                    name=language,
                )
                mrr[(language, korean_side)] = report.mrr
        for korean_side in (False, True):
            ratio = mrr[(KOREAN_PROFILES, korean_side)] / mrr[(ENGLISH_PROFILES, korean_side)]
            assert ratio >= TARGET_KOREAN_RATIO, (regime, korean_side, mrr)


def test_the_site_ranks_a_korean_only_profile_for_an_english_one(db, sectors):
    medical = SectorFactory(code="medical-devices", label="Medical devices")
    eu = ActorFactory(
        slug="alsace-medtech",
        name="Alsace Medtech",
        description="Medical devices makers: implants, surgical instruments and diagnostic "
        "imaging, looking for clinical trials partners.",
        sectors=[medical],
    )
    ActorFactory(
        slug="wonju-medical",
        name="Wonju Medical Devices Mini Cluster",
        name_ko="원주 의료기기 미니클러스터",
        side="kr",
        country="KR",
        kind="mini-cluster",
        description="",
        description_ko="원주의 의료기기 기업과 연구소가 모인 미니클러스터로, 진단 영상 장비와 "
        "수술 기구를 만드는 중소기업의 임상시험과 인증을 지원합니다.",
    )
    for n, text in enumerate(
        ("Shipbuilding yards and offshore plant.", "Semiconductor fabs and display panels.")
    ):
        ActorFactory(slug=f"kr-{n}", side="kr", country="KR", kind="mini-cluster", description=text)
    ranking = current_index().rank(eu.pk, top=3)
    assert ranking[0].slug == "wonju-medical"


# -- the taxonomy loader (database) ------------------------------------------------------------


def test_the_taxonomy_loader_fills_korean_labels_and_region_names_on_existing_rows(db):
    # Rows from before the Korean labels existed, as after an upgrade.
    Sector.objects.create(code="medical-devices", label="Medical devices", group="traded")
    Region.objects.create(code="kr-gyeongbuk", name="Gyeongsangbuk-do", country="KR")
    Region.objects.create(code="fr-ile-de-france", name="Île-de-France", country="FR")
    Region.objects.create(code="fr-occitanie", name="Occitanie", country="FR", name_ko="옛 이름")
    taxonomy_load()
    counts = (Sector.objects.count(), Interest.objects.count(), Region.objects.count())
    taxonomy_load()  # idempotent
    assert (Sector.objects.count(), Interest.objects.count(), Region.objects.count()) == counts
    taxonomy = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))
    assert Sector.objects.count() == len(taxonomy["sectors"])
    assert not Sector.objects.filter(label_ko="").exists()
    assert not Interest.objects.filter(label_ko="").exists()
    assert Sector.objects.get(code="medical-devices").label_ko == "의료기기"
    assert Interest.objects.get(code="technology-transfer").label_ko == "기술이전 및 라이선싱"
    korean = Region.objects.filter(country="KR")
    assert korean.count() == 17
    assert not korean.filter(name_ko="").exists() and not korean.filter(short_name="").exists()
    gyeongbuk = Region.objects.get(code="kr-gyeongbuk")
    assert (gyeongbuk.name_ko, gyeongbuk.short_name) == ("경상북도", "Gyeongbuk")
    seoul = Region.objects.get(code="kr-seoul")
    assert (seoul.name_ko, seoul.short_name) == ("서울특별시", "Seoul")
    assert Region.objects.get(code="fr-ile-de-france").name_ko == "일드프랑스"
    assert Region.objects.get(code="fr-occitanie").name_ko == "옥시타니"
    # No European region is created by the taxonomy alone (the actors that name them do).
    assert not Region.objects.filter(code="de-saxony").exists()


def test_the_demo_regions_read_in_korean(demo_directory):
    assert not Region.objects.filter(name_ko="").exists()
    assert Region.objects.get(code="de-north-rhine-westphalia").short_name == "NRW"


def test_the_site_index_reads_the_korean_descriptions(demo_directory):
    index = current_index()
    row = index.row_of(Actor.objects.get(slug="jeju-technopark").pk)
    text = index.profiles[row].text
    assert "cosmetics" in text and "beauty" in text
    # The European cosmetics cluster still finds it among the first.
    cosmetic_valley = Actor.objects.filter(name__icontains="Cosmetic Valley").first()
    if cosmetic_valley is not None:
        top = [m.slug for m in index.rank(cosmetic_valley.pk, top=5)]
        assert "jeju-technopark" in top


def test_a_korean_reader_sees_where_candidates_are_in_korean(demo_directory):
    from matching.ranking import actor_ranking

    lyon = Actor.objects.get(slug="lyonbiopole")
    with translation.override("ko"):
        rows = actor_ranking(actor=lyon, top=10)
        places = [row.place for row in rows if row.actor.region_id]
    assert places and all(re.search("[가-힣]", place) for place in places), places
