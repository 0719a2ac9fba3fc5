"""Joining in a real browser: a new person signs up from a Korean profile's page, opens the
e-mailed link, claims the profile; a curator approves in another browser; the person can now
edit it. Once in English and once with the Korean language cookie (screenshots of both)."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from playwright.sync_api import expect

from directory.models import JoinRequest
from directory.permissions import CURATORS_GROUP
from notifications.models import OutgoingEmail
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, SectorFactory, UserFactory

PASSWORD = "amber-lantern-seaside-4471"  # noqa: S105
ADDRESS = "jiwoo.park@osong.example.kr"


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_new_person_claims_a_korean_profile_and_a_curator_approves(
    live_server, browser, transactional_db, settings, language
):
    settings.MATCHING_REBUILD_IN_BACKGROUND = False
    cache.clear()  # the sign-up throttle counts in the cache
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    osong = ActorFactory(
        slug="osong-bio", name="Osong Bio-technopolis", name_ko="오송생명과학단지", side="kr",
        country="KR", kind="cluster-network", city="Cheongju", website="http://osong.example.kr",
        sectors=[bio],
    )  # fmt: skip
    curator = UserFactory(username="curator")
    curator.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])

    person_context = browser.new_context(viewport={"width": 1280, "height": 900})
    if language == "ko":
        person_context.add_cookies(
            [{"name": "django_language", "value": "ko", "url": live_server.url}]
        )
    person = person_context.new_page()
    person.set_default_timeout(10_000)

    # A visitor on the profile: create an account from the "Manage this profile?" panel.
    person.goto(f"{live_server.url}/actors/osong-bio/")
    person.locator("#claim a.button").click()
    expect(person).to_have_url(re.compile(r"/accounts/signup/\?next=/actors/osong-bio/claim/"))
    screenshot(person, f"join-signup-{language}")
    person.fill("#id_name", "Park Ji-woo")
    person.fill("#id_email", ADDRESS)
    person.locator("main form button[type=submit]").click()
    expect(person).to_have_url(re.compile(r"/accounts/signup/sent/$"))
    expect(person.locator("main")).to_contain_text(ADDRESS)

    # The link from the e-mail, as stored for sending.
    mail = OutgoingEmail.objects.filter(to=ADDRESS).latest("pk")
    link = urlsplit(re.search(r"https?://\S+", mail.text).group(0)).path
    person.goto(f"{live_server.url}{link}")
    person.fill("#id_username", "jiwoo")
    person.fill("#id_password1", PASSWORD)
    person.fill("#id_password2", PASSWORD)
    person.locator("main form button[type=submit]").click()

    # Signed in, and back on the claim form it started from.
    expect(person).to_have_url(re.compile(r"/actors/osong-bio/claim/$"))
    expect(person.locator("html")).to_have_attribute("lang", language)
    person.fill("#id_role", "국제협력팀 매니저" if language == "ko" else "International officer")
    person.fill("#id_message", "I run the international office of the technopolis.")
    screenshot(person, f"join-claim-form-{language}")
    person.locator("main form.panel button[type=submit]").click()
    expect(person).to_have_url(re.compile(r"/my/requests/\d+/$"))
    expect(person.locator(".badge.join-pending")).to_be_visible()
    join = JoinRequest.objects.get(user__username="jiwoo")
    assert (join.actor, join.status) == (osong, "pending")

    # A curator, in another browser context, approves.
    curator_context = browser.new_context(viewport={"width": 1280, "height": 900})
    reviewer = curator_context.new_page()
    reviewer.set_default_timeout(10_000)
    reviewer.goto(f"{live_server.url}/accounts/login/?next=/curation/joins/")
    log_in(reviewer, "curator")
    expect(reviewer.locator("table.joins-pending")).to_contain_text("Osong Bio-technopolis")
    reviewer.locator(f"tr[data-request='{join.pk}'] a").click()
    expect(reviewer.locator(".evidence")).to_contain_text("osong.example.kr")
    screenshot(reviewer, f"join-review-curator-{language}")
    reviewer.locator("button[name=decision][value=approve]").click()
    expect(reviewer.locator("li.message").first).to_contain_text("now a manager of")
    curator_context.close()

    # The person now manages the profile.
    person.goto(f"{live_server.url}/actors/osong-bio/")
    expect(person.locator("a[href='/actors/osong-bio/edit/']")).to_be_visible()
    expect(person.locator("#claim")).to_have_count(0)
    screenshot(person, f"join-approved-profile-{language}")
    assert osong.managers.filter(username="jiwoo").exists()
    person_context.close()
