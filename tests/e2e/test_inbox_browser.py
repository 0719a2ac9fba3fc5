"""The inbox in a real browser: the bell's count, opening a message, marking all read, and an
e-mail setting that stays as chosen."""

import re

import pytest
from playwright.sync_api import expect

from notifications import kinds
from notifications.models import Notification
from notifications.service import notify
from tests.e2e.conftest import log_in, screenshot
from tests.factories import UserFactory


@pytest.fixture
def test_kind():
    kinds.register("tests.browser", label="Test notices", audience="test people")
    yield "tests.browser"
    kinds._KINDS.pop("tests.browser", None)


def test_bell_inbox_open_mark_all_and_a_kept_setting(
    live_server, page, transactional_db, test_kind
):
    manager = UserFactory(username="manager", email="manager@example.org")
    notify(
        recipient=manager,
        kind=test_kind,
        subject="Your edit of Lyon Biopole was approved",
        body="A curator approved your new description of Lyon Biopole.",
        link="/actors/?q=Lyon",
    )
    notify(
        recipient=manager,
        kind=test_kind,
        subject="Chuncheon Bio Cluster asks to meet you",
        body="At Seoul Cluster Days, 12 May. Times are in Korea Standard Time (Seoul).",
        link="/events/",
    )

    page.goto(f"{live_server.url}/inbox/")
    log_in(page, "manager")
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    bell = page.locator("a.nav-inbox")
    expect(bell).to_have_accessible_name("Inbox (2 unread)")
    expect(bell.locator(".bell-count")).to_have_text("2")
    expect(page.locator("li.inbox-item.unread")).to_have_count(2)
    screenshot(page, "inbox")

    page.get_by_role("button", name="Your edit of Lyon Biopole was approved", exact=True).click()
    expect(page).to_have_url(re.compile(r"/actors/\?q=Lyon$"))
    expect(page.locator("a.nav-inbox")).to_have_accessible_name("Inbox (1 unread)")

    page.locator("a.nav-inbox").click()
    expect(page.locator("li.inbox-item.unread")).to_have_count(1)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("li.message")).to_have_text("Every message is marked as read.")
    expect(page.locator("a.nav-inbox")).to_have_accessible_name("Inbox")
    expect(page.locator("li.inbox-item.unread")).to_have_count(0)
    assert not Notification.objects.filter(recipient=manager, read_at__isnull=True).exists()

    page.get_by_role("link", name="E-mail settings").click()
    setting = page.get_by_label("Test notices")
    expect(setting).to_be_checked()
    setting.uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("li.message")).to_have_text("Your notification settings are saved.")
    page.reload()
    expect(page.get_by_label("Test notices")).not_to_be_checked()
    screenshot(page, "inbox-preferences")
