"""Korean names and descriptions beside the English ones: the rule, the edit page, the profile
page and the cards, in English and in Korean."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from directory.models import Actor
from directory.rules import (
    DESCRIPTION_MIN_WORDS,
    KOREAN_DESCRIPTION_MIN_CHARS,
    description_problem,
    description_problems,
    hangul_count,
    name_problem,
)
from tests.factories import ActorFactory, InterestFactory, SectorFactory

# 68 Hangul syllables: a Korean profile of the length of some 25 English words.
KO_DESCRIPTION = (
    "춘천바이오산업진흥원은 강원도 춘천에서 바이오산업을 육성하며 의료기기를 개발하는 중소기업에 "
    "공동 실험실과 시제품 생산 시설, 인증과 수출 지원을 제공합니다."
)
KO_SHORT = "의료기기를 만드는 기업이 모인 클러스터입니다."  # 20 syllables
EN_DESCRIPTION = (
    "The Chuncheon Bioindustry Foundation supports bio-health companies in Gangwon with shared "
    "laboratories, pilot production facilities and help with certification and export."
)


def korean_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    return client


# -- the rule ----------------------------------------------------------------------------------


def test_the_korean_minimum_counts_hangul_syllables_not_spaces():
    assert hangul_count(KO_DESCRIPTION) == 68
    assert hangul_count("의료 기기, AI·IoT 2024") == 4
    assert hangul_count(None) == 0
    # 20 English words of a profile are about 40 syllables in Korean (rules.py says why).
    assert KOREAN_DESCRIPTION_MIN_CHARS == 40 and DESCRIPTION_MIN_WORDS == 20


def test_without_a_korean_description_the_english_rule_and_message_are_unchanged():
    problems = description_problems(description="Too short.", description_ko="", published=True)
    assert problems == {"description": description_problem("Too short.", published=True)}
    assert problems["description"] == (
        "the description has 2 words; a published profile needs at least 20, since partners "
        "are ranked on it"
    )
    assert description_problems(description="", description_ko=" ", published=True) == {
        "description": "the description has 0 words; a published profile needs at least 20, "
        "since partners are ranked on it"
    }


def test_a_korean_description_alone_publishes_and_a_short_one_says_what_is_missing():
    assert description_problems(description="", description_ko=KO_DESCRIPTION, published=True) == {}
    problems = description_problems(description="", description_ko=KO_SHORT, published=True)
    assert problems == {
        "description_ko": "the Korean description has 20 Hangul characters; a published "
        "profile needs at least 40 (about 20 English words), since partners are ranked on it"
    }
    # Drafts may be short in either language.
    assert description_problems(description="", description_ko=KO_SHORT, published=False) == {}


def test_each_description_given_meets_its_own_minimum():
    problems = description_problems(
        description="A bio cluster.", description_ko=KO_DESCRIPTION, published=True
    )
    assert problems == {
        "description": "the description has 3 words; write at least 20, or leave it empty and "
        "publish with the Korean description alone"
    }
    assert (
        description_problems(
            description=EN_DESCRIPTION, description_ko=KO_DESCRIPTION, published=True
        )
        == {}
    )
    # A text published before the rule and left as it is passes (publishing_rule_holds).
    assert (
        description_problems(
            description="A bio cluster.",
            description_ko=KO_DESCRIPTION,
            published=True,
            unchanged=["description"],
        )
        == {}
    )


def test_the_name_is_required_even_with_a_korean_name():
    assert name_problem(name="Chuncheon Bioindustry Foundation", name_ko="") is None
    assert "Korean name field" in name_problem(name=" ", name_ko="춘천바이오산업진흥원")
    assert name_problem(name="", name_ko="").startswith("the name is required")


def test_the_model_applies_the_rule_to_either_field(db):
    actor = ActorFactory.build(
        slug="korean-only", side="kr", country="KR", description="", description_ko=KO_DESCRIPTION
    )
    actor.full_clean()  # Korean only, published: accepted
    actor.description_ko = KO_SHORT
    with pytest.raises(ValidationError) as error:
        actor.full_clean()
    assert list(error.value.message_dict) == ["description_ko"]
    assert error.value.message_dict["description_ko"][0].startswith(
        "The Korean description has 20 Hangul characters"
    )


# -- the edit page -------------------------------------------------------------------------------


@pytest.fixture
def korean_manager(cast, sectors):
    cast.korean.sectors.set(sectors[:1])
    cast.korean.description = EN_DESCRIPTION
    cast.korean.save()
    cast.korean.managers.add(cast.manager)
    return cast


def post_profile(client, actor, sectors, **fields):
    data = {
        "name_ko": "",
        "description": actor.description,
        "description_ko": "",
        "keywords": "",
        "website": "",
        "sectors": [sectors[0].pk],
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        **fields,
    }
    return client.post(reverse("actor_edit", args=[actor.slug]), data)


def test_the_edit_page_has_the_korean_fields_marked_korean(client, korean_manager):
    client.force_login(korean_manager.manager)
    html = client.get(reverse("actor_edit", args=[korean_manager.korean.slug])).content.decode()
    assert re.search(r'<input type="text" name="name_ko"[^>]*lang="ko"', html)
    assert re.search(r'<textarea name="description_ko"[^>]*lang="ko"', html)
    assert "at least 40 Hangul characters (about 20 English words)" in html


def test_a_manager_saves_a_korean_name_and_description(client, korean_manager, sectors):
    actor = korean_manager.korean
    client.force_login(korean_manager.manager)
    response = post_profile(
        client, actor, sectors, name_ko="구미 모바일 미니클러스터", description_ko=KO_DESCRIPTION
    )
    assert response.status_code == 302
    actor.refresh_from_db()
    assert (actor.name_ko, actor.description_ko) == ("구미 모바일 미니클러스터", KO_DESCRIPTION)
    assert actor.description == EN_DESCRIPTION


def test_a_korean_only_profile_may_leave_the_english_description_empty(
    client, korean_manager, sectors
):
    actor = korean_manager.korean
    client.force_login(korean_manager.manager)
    response = post_profile(client, actor, sectors, description="", description_ko=KO_DESCRIPTION)
    assert response.status_code == 302
    actor.refresh_from_db()
    assert (actor.description, actor.description_ko) == ("", KO_DESCRIPTION)


def test_too_short_descriptions_are_refused_with_what_to_do(client, korean_manager, sectors):
    actor = korean_manager.korean
    client.force_login(korean_manager.manager)
    html = post_profile(client, actor, sectors, description_ko=KO_SHORT).content.decode()
    assert "at least 40 Hangul characters in Korean (about 20 English words; this has 20)" in html
    html = post_profile(
        client, actor, sectors, description="A bio cluster.", description_ko=KO_DESCRIPTION
    ).content.decode()
    assert "Please write at least 20 words in English (this has 3), or leave the English" in html
    # Neither: the English rule's message, as before.
    html = post_profile(client, actor, sectors, description="", description_ko="").content.decode()
    assert "Please describe the organisation in at least 20 words (this has 0)" in html
    actor.refresh_from_db()
    assert (actor.description, actor.description_ko) == (EN_DESCRIPTION, "")


@pytest.mark.parametrize("blank", ["\u3164", "\u200b\u200b", "\u2800", " \ufeff "])
def test_a_name_that_shows_nothing_is_refused(client, korean_manager, sectors, blank):
    # A Hangul filler or zero-width characters pass as a name and show as an empty link.
    actor = korean_manager.korean
    client.force_login(korean_manager.manager)
    html = post_profile(client, actor, sectors, name_ko=blank).content.decode()
    assert "has no visible character" in html
    actor.refresh_from_db()
    assert actor.name_ko == ""


# -- the profile page and the cards ----------------------------------------------------------


@pytest.fixture
def bilingual(db):
    sector = SectorFactory(code="bio-health", label="Bio-health", label_ko="바이오헬스")
    plain = SectorFactory(code="water", label="Water")  # no Korean label: English everywhere
    interest = InterestFactory(code="rd", label="Joint R&D projects", label_ko="공동 연구개발")
    actor = ActorFactory(
        slug="chuncheon-bio",
        name="Chuncheon Bioindustry Foundation",
        name_ko="춘천바이오산업진흥원",
        side="kr",
        country="KR",
        kind="foundation",
        description=EN_DESCRIPTION,
        description_ko=KO_DESCRIPTION,
        sectors=[sector, plain],
        offers=[interest],
    )
    return actor


def test_an_english_profile_page_shows_the_korean_texts_after_the_english_marked_korean(
    client, bilingual
):
    html = client.get(bilingual.get_absolute_url()).content.decode()
    assert (
        '<h1>Chuncheon Bioindustry Foundation <span class="name-alt" lang="ko">춘천바이오산업진흥원'
        "</span></h1>" in html
    )
    english = html.index(f'<p class="description">{EN_DESCRIPTION}</p>')
    korean = html.index(f'<p class="description" lang="ko">{KO_DESCRIPTION}</p>')
    assert english < korean
    assert ">Bio-health</a>" in html and ">Joint R&amp;D projects</a>" in html


def test_a_korean_profile_page_puts_the_korean_texts_first_and_marks_the_english(bilingual):
    html = korean_client().get(bilingual.get_absolute_url()).content.decode()
    assert (
        '<h1>춘천바이오산업진흥원 <span class="name-alt" lang="en">Chuncheon Bioindustry Foundation'
        "</span></h1>" in html
    )
    korean = html.index(f'<p class="description" lang="ko">{KO_DESCRIPTION}</p>')
    english = html.index(f'<p class="description" lang="en">{EN_DESCRIPTION}</p>')
    assert korean < english
    # Taxonomy labels in Korean where they have one, in English otherwise.
    assert ">바이오헬스</a>" in html and ">공동 연구개발</a>" in html and ">Water</a>" in html


def test_a_korean_only_profile_shows_its_korean_description_alone(client, bilingual):
    Actor.objects.filter(pk=bilingual.pk).update(description="")
    html = client.get(bilingual.get_absolute_url()).content.decode()
    assert f'<p class="description" lang="ko">{KO_DESCRIPTION}</p>' in html
    assert '<p class="description"></p>' not in html


def test_cards_show_the_korean_name_under_the_name(client, bilingual):
    html = client.get(reverse("actor_list")).content.decode()
    assert re.search(
        r'<h3><a href="/actors/chuncheon-bio/">Chuncheon Bioindustry Foundation</a> '
        r'<span class="name-alt" lang="ko">춘천바이오산업진흥원</span></h3>',
        html,
    )
    korean = korean_client().get(reverse("actor_list")).content.decode()
    assert '<a href="/actors/chuncheon-bio/">춘천바이오산업진흥원</a>' in korean
    assert '<p class="summary" lang="ko">춘천바이오산업진흥원은' in korean
    assert ">바이오헬스</a>" in korean


def test_the_filter_offers_taxonomy_labels_in_the_readers_language(client, bilingual):
    english = client.get(reverse("actor_list")).content.decode()
    assert '<option value="bio-health">Bio-health</option>' in english
    korean = korean_client().get(reverse("actor_list"), {"sector": "bio-health"})
    html = korean.content.decode()
    assert '<option value="bio-health" selected>바이오헬스</option>' in html
    assert '<option value="water">Water</option>' in html
    assert [label for label, value in korean.context["active_filters"]][-1:] and (
        korean.context["active_filters"][-1][1] == "바이오헬스"
    )


def test_an_actor_without_a_korean_name_reads_as_before(client, cast):
    html = client.get(cast.actor.get_absolute_url()).content.decode()
    assert '<h1>Lyon Life Sciences <span class="muted">(LLS)</span></h1>' in html
    assert 'lang="ko"' not in html.split("<main", 1)[-1]


def test_the_api_gives_both_names_and_descriptions(client, bilingual):
    data = client.get(f"/api/v1/actors/{bilingual.slug}/").json()
    assert (data["name"], data["name_ko"]) == (
        "Chuncheon Bioindustry Foundation",
        "춘천바이오산업진흥원",
    )
    assert (data["description"], data["description_ko"]) == (EN_DESCRIPTION, KO_DESCRIPTION)
    listed = client.get("/api/v1/actors/").json()
    assert [row["name_ko"] for row in listed["results"]] == ["춘천바이오산업진흥원"]
