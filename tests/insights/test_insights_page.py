"""The statistics page: its numbers, who sees which section, its charts, exports and languages."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from directory.models import Actor, Sector
from directory.permissions import ORGANISERS_GROUP
from events.models import FollowUp, Meeting, MeetingFeedback
from events.schedule import schedule_generate
from tests.factories import ActorFactory, RegionFactory, SectorFactory, UserFactory

SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg".*?</svg>', re.S)
NS = {"s": "http://www.w3.org/2000/svg"}


def page(client: Client) -> str:
    response = client.get(reverse("insights"))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, key: str) -> str:
    """One chart's section of the page."""
    found = re.search(rf'<section class="insight panel" id="{key}".*?</section>', html, re.S)
    assert found, f"no chart {key}"
    return found.group()


def table_rows(html: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"</?bdi>", "", c).strip() for c in cells])
    return rows


def export(client: Client, key: str) -> list[list[str]]:
    response = client.get(reverse("insights_export", kwargs={"key": key, "fmt": "csv"}))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def korean(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    return client


# -- the numbers ----------------------------------------------------------------------------


def test_the_exports_count_the_demo_directory_as_its_rows_do_drafts_excluded(demo_directory):
    # A draft in a sector that otherwise has none, and a draft Korean actor in a busy one:
    # neither may count.
    lonely = SectorFactory(code="only-drafts", label="Only drafts")
    busy = Sector.objects.filter(actors__side="kr").first()
    ActorFactory(slug="draft-one", status="draft", sectors=[lonely, busy], side="kr", country="KR")
    published = Actor.objects.filter(status="published").prefetch_related("sectors")
    by_sector: dict[str, Counter] = {}
    by_kind: dict[str, Counter] = {}
    for actor in published:
        by_kind.setdefault(actor.get_kind_display(), Counter())[actor.side] += 1
        for sector in actor.sectors.all():
            by_sector.setdefault(sector.label, Counter())[actor.side] += 1
    client = Client()

    sectors = export(client, "sectors")
    assert sectors[0] == ["Sector", "Europe", "Korea"]
    assert {row[0]: (int(row[1]), int(row[2])) for row in sectors[1:]} == {
        label: (c["eu"], c["kr"]) for label, c in by_sector.items()
    }
    assert "Only drafts" not in [row[0] for row in sectors]
    kinds = export(client, "kinds")
    assert {row[0]: (int(row[1]), int(row[2])) for row in kinds[1:]} == {
        label: (c["eu"], c["kr"]) for label, c in by_kind.items()
    }
    regions = export(client, "regions-kr")
    expected = Counter(
        a.region.name if a.region_id else "No region given" for a in published if a.side == "kr"
    )
    assert {row[0]: int(row[1]) for row in regions[1:]} == expected
    # The largest first, and the page's table shows the same first rows as the export.
    counts = [int(row[1]) for row in regions[1:] if row[0] != "No region given"]
    assert counts == sorted(counts, reverse=True)
    shown = table_rows(section(page(client), "regions-kr"))
    assert shown[0][0] == regions[1][0] and shown[0][1] == regions[1][1]


def test_publishing_a_profile_changes_the_counts_at_once(db):
    water = SectorFactory(code="water", label="Water")
    ActorFactory(slug="eu-water", sectors=[water])
    client = Client()
    assert table_rows(section(page(client), "sectors")) == [["Water", "1", "0"]]
    draft = ActorFactory(slug="kr-water", status="draft", side="kr", country="KR", sectors=[water])
    assert table_rows(section(page(client), "sectors")) == [["Water", "1", "0"]]
    draft.status = "published"
    draft.save()
    assert table_rows(section(page(client), "sectors")) == [["Water", "1", "1"]]


@pytest.fixture
def manager_world(db):
    """A European cluster in three sectors; Korean actors in them in different numbers."""
    hydrogen = SectorFactory(code="hydrogen", label="Hydrogen")
    batteries = SectorFactory(code="batteries", label="Batteries")
    textiles = SectorFactory(code="textiles", label="Textiles")
    mine = ActorFactory(
        slug="mine", name="Rhine Energy Cluster", sectors=[hydrogen, batteries, textiles]
    )
    manager = UserFactory(username="energy.manager")
    mine.managers.add(manager)
    for i in range(3):
        ActorFactory(slug=f"kr-bat-{i}", side="kr", country="KR", sectors=[batteries])
    ActorFactory(slug="kr-h2", side="kr", country="KR", sectors=[hydrogen, batteries])
    # Drafts and European actors are no candidates, however many.
    for i in range(5):
        ActorFactory(
            slug=f"kr-draft-{i}", side="kr", country="KR", status="draft", sectors=[textiles]
        )
        ActorFactory(slug=f"eu-tex-{i}", sectors=[textiles, hydrogen])
    return manager


def test_a_manager_sees_the_sectors_with_the_most_korean_candidates_first(manager_world):
    client = Client()
    client.force_login(manager_world)
    html = page(client)
    assert "Your organisation" in html
    chart = section(html, "candidates-mine")
    assert "Korean candidates in the sectors of Rhine Energy Cluster" in chart
    expected = [["Batteries", "4"], ["Hydrogen", "1"], ["Textiles", "0"]]
    assert table_rows(chart) == expected
    assert export(client, "candidates-mine")[1:] == expected


def test_others_see_both_sides_where_they_overlap_and_no_one_elses_organisation(manager_world):
    html = page(Client())
    assert "Your organisation" not in html and "candidates-mine" not in html
    # Hydrogen: 6 European, 1 Korean; Batteries: 1 and 4 (one on the smaller side each: the
    # more actors in all first); Textiles: no published Korean actor.
    assert table_rows(section(html, "overlap")) == [["Hydrogen", "6", "1"], ["Batteries", "1", "4"]]
    assert Client().get("/insights/candidates-mine.csv").status_code == 404


# -- the charts -----------------------------------------------------------------------------


def test_each_chart_draws_one_bar_per_table_row_and_series_proportional_to_its_value(manager_world):
    html = section(page(Client()), "sectors")
    svg = ET.fromstring(SVG.search(html).group())
    assert svg.get("role") == "img"
    assert svg.find("s:title", NS).text.strip("\u2068\u2069") == "Actors by sector"
    assert svg.find("s:desc", NS) is not None
    rows = table_rows(html)
    bars = svg.findall(".//s:rect[@class='bar']", NS)
    for series in (0, 1):
        drawn = [b for b in bars if b.get("data-series") == str(series)]
        assert [int(b.get("data-value")) for b in drawn] == [int(r[1 + series]) for r in rows]
    values = [(float(b.get("width")), int(b.get("data-value"))) for b in bars]
    # width = value × one scale
    assert len({round(width / value, 3) for width, value in values if value}) == 1
    assert all(width == 0 for width, value in values if not value)
    assert max(float(b.get("width")) for b in bars) > 0


def test_a_hostile_sector_label_is_escaped_shortened_and_isolated(db):
    label = (
        "<script>alert(1)</script>\u202eevil " + "very long label " * 5
    )  # 112 of the 120 characters a label holds
    # Straight into the table (the forms and the import refuse such a label).
    hostile = Sector.objects.create(code="hostile", label=label, group="traded")
    ActorFactory(slug="eu-h", sectors=[hostile])
    ActorFactory(slug="kr-h", side="kr", country="KR", sectors=[hostile])
    html = page(Client())
    assert "<script>alert" not in html
    chart = section(html, "sectors")
    svg = ET.fromstring(SVG.search(chart).group())  # well-formed: every text escaped
    row_label = svg.find(".//s:g[@class='row']/s:text", NS)
    # Cut with an ellipsis, the whole label as its tooltip, inside a directional isolate.
    assert "".join(row_label.itertext()).endswith("…\u2069")
    assert row_label.find("s:title", NS).text == "\u2068" + label + "\u2069"
    assert "<bdi>&lt;script&gt;alert(1)&lt;/script&gt;\u202eevil" in chart
    assert export(Client(), "sectors")[1][0] == label


# -- who sees the events' figures ------------------------------------------------------------


@pytest.fixture
def held(fair):
    """The fair's schedule, one meeting held with an MoU (organisers' record), another known
    only from a side's feedback (a visit)."""
    schedule_generate(event=fair.event)
    meetings = list(Meeting.objects.filter(event=fair.event).order_by("pk"))
    assert len(meetings) >= 2
    Meeting.objects.filter(pk=meetings[0].pk).update(held=True, follow_up=FollowUp.MOU)
    MeetingFeedback.objects.create(
        meeting=meetings[1], side="kr", rating=4, follow_up=FollowUp.VISIT
    )
    fair.meetings = meetings
    return fair


def test_the_organiser_sees_the_meetings_and_outcomes_of_their_events(held):
    client = Client()
    client.force_login(held.organiser)
    html = page(client)
    total = len(held.meetings)
    assert table_rows(section(html, "meetings")) == [["November 2026", str(total), "2", "2", "2"]]
    assert table_rows(section(html, "follow-ups")) == [
        ["none", "0"], ["further talks", "0"], ["visit", "1"], ["MoU or agreement", "1"],
        ["joint project", "0"],
    ]  # fmt: skip
    assert export(client, "meetings")[0] == [
        "Month", "Meetings", "Outcome recorded", "Held", "With a follow-up",
    ]  # fmt: skip


@pytest.mark.parametrize("who", ["anonymous", "manager", "other organiser"])
def test_visitors_managers_and_other_organisers_see_no_event_figures(held, who):
    client = Client()
    if who == "manager":
        client.force_login(held.manager)
    elif who == "other organiser":
        other = UserFactory(username="other.organiser")
        other.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
        client.force_login(other)
    html = page(client)
    assert 'id="meetings"' not in html and "Meetings and outcomes per month" not in html
    assert client.get("/insights/meetings.csv").status_code == 404
    assert client.get("/insights/follow-ups.xlsx").status_code == 404


def test_curators_see_every_events_figures(held):
    client = Client()
    client.force_login(held.curator)
    assert table_rows(section(page(client), "meetings"))[0][1] == str(len(held.meetings))


# -- languages and exports --------------------------------------------------------------------


def test_korean_readers_get_korean_labels_headers_and_months(held):
    bio = Sector.objects.get(code="biopharmaceuticals")
    bio.label_ko = "바이오의약품"
    bio.save()
    region = RegionFactory(code="gangwon", name="Gangwon", name_ko="강원특별자치도", country="KR")
    Actor.objects.filter(slug="chuncheon-bio").update(region=region)
    client = korean(Client())
    client.force_login(held.organiser)
    html = page(client)
    assert '<html lang="ko">' in html and "<h1>통계</h1>" in html
    sectors = table_rows(section(html, "sectors"))
    assert ["바이오의약품", "1", "1"] in sectors
    # No Korean label: the English one.
    assert ["Environmental services", "1", "1"] in sectors
    assert ["강원특별자치도", "1"] in table_rows(section(html, "regions-kr"))
    assert table_rows(section(html, "meetings"))[0][0] == "2026년 11월"
    assert export(client, "sectors")[0] == ["분야", "유럽", "한국"]
    assert ["바이오의약품", "1", "1"] in export(client, "sectors")
    assert export(client, "meetings")[0][:2] == ["월", "미팅"]
    english = page(Client())
    assert ["Biopharmaceuticals", "1", "1"] in table_rows(section(english, "sectors"))


def test_the_xlsx_export_holds_the_table(manager_world):
    from openpyxl import load_workbook

    response = Client().get(reverse("insights_export", kwargs={"key": "overlap", "fmt": "xlsx"}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["Sector", "Europe", "Korea"], ["Hydrogen", 6, 1], ["Batteries", 1, 4],
    ]  # fmt: skip


def test_an_unknown_chart_or_format_is_not_found(db):
    assert Client().get("/insights/no-such-chart.csv").status_code == 404
    assert Client().get("/insights/sectors.pdf").status_code == 404


def test_large_numbers_are_grouped_in_the_readers_language(db):
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    from insights import svg

    with translation.override("en"):
        drawn = svg.horizontal_bars(
            chart_id="x", title="t", description="d", labels=["a"],
            series=[svg.Series("n", [12345])], number=intcomma,
        )  # fmt: skip
    assert ">12,345</text>" in drawn
