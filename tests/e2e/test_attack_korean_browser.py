"""Issue 16, attacked in a real browser: switching the language in the middle of a form."""

import pytest
from playwright.sync_api import expect


@pytest.fixture
def site(transactional_db):
    return None


def test_switching_language_with_unsaved_typing_asks_first(live_server, page, site):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "kim.minji")
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="한국어").click()
    # Declined: the same page, in English, with what was typed.
    expect(page.locator("#id_username")).to_have_value("kim.minji")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert questions == [
        "This page has changes you have not saved. Switching the language reloads the page "
        "and loses them. Switch anyway?"
    ]

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="한국어").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")

    # Nothing typed: no question, the page switches at once.
    page.on("dialog", lambda dialog: questions.append(dialog.message) or dialog.dismiss())
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert len(questions) == 1


def test_a_form_sent_back_with_a_field_to_correct_asks_too(live_server, page, site):
    """What the person typed comes back in the form as its starting value: a reload in the
    other language would lose it all the same."""
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_name", "Kim Minji")
    page.fill("#id_email", "kim.minji-at-example")
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.locator(".has-error")).to_have_count(1)
    questions = []
    page.once("dialog", lambda dialog: questions.append(dialog.message) or dialog.dismiss())
    page.get_by_role("button", name="한국어").click()
    expect(page.locator("#id_name")).to_have_value("Kim Minji")
    assert len(questions) == 1
