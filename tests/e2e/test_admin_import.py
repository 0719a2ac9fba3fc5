"""A curator imports actors from a spreadsheet through the admin, in a real browser."""

import csv

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from directory.models import Actor
from directory.permissions import CURATORS_GROUP
from tests.e2e.conftest import SCREENSHOTS, log_in, screenshot
from tests.factories import ActorFactory, SectorFactory, UserFactory

COLUMNS = ["slug", "name", "side", "country", "kind", "description", "sectors", "contacts"]
# Lyon Medtech stays published: its description needs 20 words or more (directory/rules.py).
LYON_DESCRIPTION = (
    "Lyon's medical technology network, with companies, hospitals and laboratories working "
    "together on imaging, implants, diagnostics and digital health in Europe and Korea."
)


@pytest.fixture
def curator(transactional_db):
    # Transactional tests empty the tables the data migration filled: rebuild the group.
    group, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="directory"))
    user = UserFactory(username="curator.import", is_staff=True)
    user.groups.add(group)
    SectorFactory(code="medical-devices", label="Medical devices")
    ActorFactory(slug="lyon-medtech", name="Lyon Medtech", description="As it was.")
    return user


def write_csv(path, rows: list[list[str]]) -> str:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return str(path)


def test_curator_dry_runs_a_file_with_a_bad_row_then_imports_a_good_one(
    live_server, page, curator, tmp_path
):
    good = ["gumi-medical", "구미 의료기기 미니클러스터", "kr", "KR", "mini-cluster",
            "Medical devices Mini Cluster in Gumi.", "medical-devices",
            "Kim Example | Coordinator | kim@example.org"]  # fmt: skip
    bad = ["daegu-bio", "Daegu Bio", "kr", "KR", "cluster-agency", "Biotech in Daegu.",
           "biotek", ""]  # fmt: skip
    changed = ["lyon-medtech", "Lyon Medtech", "eu", "France", "eu-cluster",
               LYON_DESCRIPTION, "Medical devices", ""]  # fmt: skip
    bad_file = write_csv(tmp_path / "actors-with-a-mistake.csv", [good, bad])
    good_file = write_csv(tmp_path / "actors.csv", [good, changed])
    count = Actor.objects.count()

    page.goto(live_server.url + "/admin/")
    log_in(page, "curator.import")
    page.locator("#content-main").get_by_role("link", name="Actors", exact=True).click()
    expect(page.locator("h1")).to_have_text("Select actor to change")
    # The change list runs long (one filter line per country): the top of it is enough.
    page.screenshot(path=str(SCREENSHOTS / "admin-actor-list-import-button.png"))
    page.get_by_role("link", name="Import actors").click()
    expect(page.locator("h1")).to_have_text("Import actors")
    expect(page.locator("#id_dry_run")).to_be_checked()

    page.set_input_files("#id_file", bad_file)
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("#import-summary")).to_contain_text(
        "1 problem in actors-with-a-mistake.csv: nothing was written."
    )
    expect(page.locator("#import-errors li")).to_have_text(
        ["row 3, column sectors: unknown sector 'biotek'"]
    )
    screenshot(page, "admin-import-errors")
    assert Actor.objects.count() == count
    assert not Actor.objects.filter(slug__in=["gumi-medical", "daegu-bio"]).exists()

    page.set_input_files("#id_file", good_file)
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("#import-summary")).to_contain_text(
        "Dry run of actors.csv: nothing was written. Importing it would create 1, update 1"
    )
    expect(page.locator("#import-created")).to_contain_text("구미 의료기기 미니클러스터")
    expect(page.locator("#import-updated")).to_contain_text("description, sectors")
    screenshot(page, "admin-import-dry-run")
    assert Actor.objects.count() == count

    page.uncheck("#id_dry_run")
    page.set_input_files("#id_file", good_file)
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("#import-summary")).to_contain_text(
        "Imported actors.csv: 1 created, 1 updated, 0 unchanged."
    )
    assert Actor.objects.count() == count + 1
    assert Actor.objects.get(slug="gumi-medical").contacts.get().email == "kim@example.org"
    lyon = Actor.objects.get(slug="lyon-medtech")
    assert lyon.description == LYON_DESCRIPTION
    assert lyon.history.latest().history_user == curator
