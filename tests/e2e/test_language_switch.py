"""A visitor reads the site in Korean and back in English, in a real browser, without scripts."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.factories import ActorFactory

# Two different Hangul syllables drawn with the page's font: a font without Hangul draws both
# as the same empty box ("tofu"), so identical pixels mean Korean is not readable.
HANGUL_DRAWN = """() => {
  const font = getComputedStyle(document.body).font;
  const draw = (text) => {
    const canvas = document.createElement("canvas");
    canvas.width = 60; canvas.height = 40;
    const context = canvas.getContext("2d");
    context.font = font;
    context.fillText(text, 5, 28);
    return Array.from(context.getImageData(0, 0, 60, 40).data).join(",");
  };
  const blank = draw("");
  return draw("가") !== draw("럼") && draw("가") !== blank;
}"""


@pytest.fixture
def directory(transactional_db):
    ActorFactory(
        name="Korea Industrial Complex Corporation",
        name_ko="한국산업단지공단",
        slug="kicox",
        side="kr",
        country="KR",
        kind="cluster-agency",
        city="Daegu",
    )
    ActorFactory(name="Lyon Life Sciences", slug="lyon-life")


def test_a_visitor_switches_to_korean_and_back(live_server, page, directory):
    page.goto(live_server.url + "/actors/?side=kr")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Directory", exact=True)).to_be_visible()

    page.get_by_role("button", name="한국어").click()
    # The same page, query string included, now in Korean.
    expect(page).to_have_url(re.compile(r"/actors/\?side=kr$"))
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("link", name="디렉터리", exact=True)).to_be_visible()
    expect(page.locator(".language-switch [aria-current=true]")).to_have_text("한국어")

    # Another page: still Korean.
    page.get_by_role("link", name="로그인").click()
    expect(page.locator("h1")).to_have_text("로그인")
    expect(page.locator("html")).to_have_attribute("lang", "ko")

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("footer")).to_contain_text("클러스터 디렉터리")
    assert page.evaluate(HANGUL_DRAWN), "Hangul is drawn as empty boxes: install fonts-noto-cjk"
    screenshot(page, "language-switch-home-ko")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Directory", exact=True)).to_be_visible()
    expect(page.locator(".language-switch [aria-current=true]")).to_have_text("English")


def test_the_switch_works_on_a_phone_without_opening_the_menu(live_server, phone_page, directory):
    phone_page.goto(live_server.url + "/")
    phone_page.get_by_role("button", name="한국어").click()
    expect(phone_page.locator("html")).to_have_attribute("lang", "ko")
    expect(phone_page.get_by_text("메뉴", exact=True)).to_be_visible()
    screenshot(phone_page, "language-switch-phone-ko")
