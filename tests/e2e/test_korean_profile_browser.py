"""A Korean actor's manager writes the profile in Korean; visitors read it, marked as Korean, and
find the actor by a Korean word."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from common.korean import content_words
from directory.models import Actor
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, SectorFactory, UserFactory

KO_DESCRIPTION = (
    "춘천바이오산업진흥원은 강원도 춘천에서 바이오산업을 육성하며 의료기기를 개발하는 중소기업에 "
    "공동 실험실과 시제품 생산 시설, 인증과 수출 지원을 제공합니다."
)


@pytest.fixture
def korean_actor(transactional_db):
    # The analyser loads its model once per process (seconds on a busy machine); the live
    # server runs in this process: load it here, not inside the browser's 10-second wait.
    content_words("의료기기")
    bio = SectorFactory(code="bio-health", label="Bio-health", label_ko="바이오헬스")
    actor = ActorFactory(
        slug="chuncheon-bio",
        name="Chuncheon Bioindustry Foundation",
        side="kr",
        country="KR",
        city="Chuncheon",
        kind="foundation",
        sectors=[bio],
        description="The Chuncheon Bioindustry Foundation supports bio-health companies in "
        "Gangwon with shared laboratories, pilot production and help with certification.",
    )
    ActorFactory(slug="lyon-bio", name="Lyon Bio Cluster", sectors=[bio])
    manager = UserFactory(username="manager.chuncheon")
    actor.managers.add(manager)
    return actor


def test_a_manager_writes_in_korean_and_visitors_find_it(live_server, page, korean_actor):
    page.goto(live_server.url + "/accounts/login/?next=/actors/chuncheon-bio/edit/")
    log_in(page, "manager.chuncheon")
    page.fill("#id_name_ko", "춘천바이오산업진흥원")
    page.fill("#id_description_ko", KO_DESCRIPTION)
    expect(page.locator("#id_description_ko")).to_have_attribute("lang", "ko")
    screenshot(page, "korean-profile-edit")
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator(".message.success")).to_contain_text("saved")
    korean = page.locator('p.description[lang="ko"]')
    expect(korean).to_have_text(KO_DESCRIPTION)
    expect(page.locator('h1 .name-alt[lang="ko"]')).to_have_text("춘천바이오산업진흥원")
    # The Korean text is drawn in a Korean font: its glyphs take space (no tofu boxes).
    assert korean.bounding_box()["height"] > 20
    screenshot(page, "korean-profile-page")
    assert Actor.objects.get(slug="chuncheon-bio").description_ko == KO_DESCRIPTION

    page.goto(live_server.url + "/actors/")
    page.fill("#id_q", "의료기기")
    page.locator("#filter-form").get_by_role("button").first.click()
    expect(page.locator("#result-total")).to_have_text("1")
    card = page.locator('[data-slug="chuncheon-bio"]')
    expect(card.locator('.name-alt[lang="ko"]')).to_have_text("춘천바이오산업진흥원")
    screenshot(page, "korean-profile-search")

    # A visitor reading in Korean gets the Korean texts first, the English one marked English.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ko", "url": live_server.url}]
    )
    page.goto(live_server.url + "/actors/chuncheon-bio/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("h1")).to_contain_text("춘천바이오산업진흥원")
    expect(page.locator('h1 .name-alt[lang="en"]')).to_have_text("Chuncheon Bioindustry Foundation")
    expect(page.locator("p.description").first).to_have_attribute("lang", "ko")
    expect(page.locator('p.description[lang="en"]')).to_contain_text("Chuncheon Bioindustry")
    screenshot(page, "korean-profile-page-ko")
