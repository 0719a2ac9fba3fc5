"""A manager uploads a logo on the edit page and sees it, with the sources, on the profile."""

import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from directory.citations import source_documents_load
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, UserFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def logo_file(tmp_path):
    image = Image.new("RGB", (1200, 600), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 50, 600, 550), fill=(0, 90, 170))
    draw.rectangle((650, 200, 1100, 400), fill=(0, 160, 120))
    path = tmp_path / "company logo.jpg"
    out = io.BytesIO()
    image.save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_manager_uploads_a_logo_and_sees_it_on_the_profile(
    live_server, page, transactional_db, media, tmp_path
):
    source_documents_load()
    actor = ActorFactory(
        slug="pole-eau",
        name="Pôle Eau",
        city="Montpellier",
        source="002_7ae1ff3c46637eba.txt (section 3.2); https://www.pole-eau.com/en/news",
    )
    manager = UserFactory(username="manager.pole")
    actor.managers.add(manager)

    page.goto(f"{live_server.url}/accounts/login/?next=/actors/pole-eau/edit/")
    log_in(page, "manager.pole")
    expect(page.locator("#logo")).to_contain_text("No logo yet.")
    screenshot(page, "logo-edit-form")
    page.set_input_files("#logo input[type=file]", str(logo_file(tmp_path)))
    page.locator("#logo").get_by_role("button", name="Upload logo").click()

    expect(page).to_have_url(f"{live_server.url}/actors/pole-eau/")
    logo = page.locator("img.profile-logo")
    expect(logo).to_have_attribute("alt", "Pôle Eau")
    expect(logo).to_be_visible()
    # Visible is not loaded: wait for the browser to finish decoding before reading its size
    # (with Playwright's assertions: the page's policy forbids evaluating a string).
    expect(logo).to_have_js_property("complete", True)
    expect(logo).to_have_js_property("naturalWidth", 512)
    sources = page.locator("#sources")
    expect(sources).to_contain_text("EU-South Korea cluster cooperation (discussion paper)")
    expect(sources).to_contain_text("section 3.2")
    expect(sources.get_by_role("link", name="pole-eau.com")).to_be_visible()
    assert "_7ae1ff3c46637eba" not in page.content()
    screenshot(page, "logo-on-profile")

    # The same page in Korean: the same citations, the logo, the Korean labels.
    page.context.add_cookies([{"name": "django_language", "value": "ko", "url": live_server.url}])
    page.reload()
    expect(page.locator("#sources h2")).to_have_text("출처")
    expect(page.locator("img.profile-logo")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("아직 큐레이터가 확인하지 않았습니다")
    screenshot(page, "logo-on-profile-ko")
