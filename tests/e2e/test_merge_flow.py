"""A curator finds two records of one cluster, merges them and lands on the kept profile."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from directory.models import Actor, MergeRecord
from directory.roles import CURATORS_GROUP
from tests.e2e.conftest import log_in, screenshot
from tests.factories import ActorFactory, ContactFactory, SectorFactory, UserFactory

LONG = (
    "Lyonbiopole is the life-science competitiveness cluster of Auvergne-Rhône-Alpes. Its two "
    "hundred members work on vaccines, diagnostics, medical technologies and biomanufacturing; "
    "the cluster runs collaborative R&D calls, an accelerator for start-ups and delegations to "
    "Korea, where it has partnered with the Osong and Chuncheon bio clusters for a decade."
)


@pytest.fixture
def live_twins(transactional_db):
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    medtech = SectorFactory(code="medical-devices", label="Medical devices")
    rich = ActorFactory(
        slug="lyonbiopole",
        name="Lyonbiopole",
        city="Lyon",
        description=LONG,
        website="https://www.lyonbiopole.com",
        keywords="vaccines; diagnostics",
        source="ECCP briefing",
        sectors=[bio],
    )
    sparse = ActorFactory(
        slug="lyon-biopole",
        name="Lyon Biopôle",
        city="",
        description="Life-science cluster in Lyon.",
        website="http://lyonbiopole.com/fr/",
        sectors=[medtech],
    )
    ContactFactory(actor=sparse, name="Louis Pasteur", email="louis@example.org")
    ActorFactory(slug="pole-eau", name="Pôle Eau", description="French water cluster.")
    curator = UserFactory(username="curator", is_staff=True)
    curator.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    return {"rich": rich, "sparse": sparse}


def test_curator_merges_a_duplicate(live_server, page, live_twins):
    page.goto(live_server.url + "/curation/duplicates/")
    log_in(page, "curator")
    expect(page.locator("h1")).to_have_text("Likely duplicates")
    pair = page.locator(".duplicate-pair")
    expect(pair).to_have_count(1)
    expect(pair).to_contain_text("same website domain lyonbiopole.com")
    expect(pair).to_contain_text("names 100% alike")
    # The more complete record is proposed for keeping.
    expect(pair.get_by_role("radio", name="Lyonbiopole (lyonbiopole")).to_be_checked()
    screenshot(page, "curation-duplicates")

    pair.get_by_role("button", name="Merge Lyonbiopole and Lyon Biopôle").click()
    expect(page.locator("h1")).to_have_text("Merge Lyon Biopôle into Lyonbiopole?")
    expect(page.locator('[data-count="contacts"]')).to_have_text("1")
    expect(page.locator('[data-count="sectors"]')).to_have_text("1")
    expect(page.locator('tr[data-field="description"]')).to_contain_text("kept")
    screenshot(page, "curation-merge-confirm")
    assert Actor.objects.filter(slug="lyon-biopole").exists()

    page.get_by_role("button", name="Merge and delete lyon-biopole").click()
    expect(page).to_have_url(live_server.url + "/actors/lyonbiopole/")
    expect(page.locator(".message.success")).to_contain_text(
        "Lyon Biopôle (lyon-biopole) was merged into Lyonbiopole."
    )
    expect(page.locator(".contacts")).to_contain_text("Louis Pasteur")
    expect(page.locator(".profile-main")).to_contain_text("Medical devices")
    screenshot(page, "curation-merged")

    assert not Actor.objects.filter(slug="lyon-biopole").exists()
    record = MergeRecord.objects.get()
    assert record.removed_slug == "lyon-biopole" and record.merged_by.username == "curator"

    # The list no longer shows the pair.
    page.goto(live_server.url + "/curation/duplicates/")
    expect(page.locator(".duplicate-pair")).to_have_count(0)
    expect(page.locator(".empty")).to_contain_text("No likely duplicates")

    # The completeness list, least complete first, and the profiles to re-check.
    page.get_by_role("link", name="Profile completeness").click()
    rows = page.locator(".quality-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Pôle Eau")
    expect(rows.first).to_contain_text("description under 20 words")
    screenshot(page, "curation-quality")
    page.get_by_role("link", name="Not verified for 12 months").click()
    expect(page.locator(".stale-table tbody tr")).to_have_count(2)
    expect(page.locator(".stale-table")).to_contain_text("never")
    screenshot(page, "curation-stale")
