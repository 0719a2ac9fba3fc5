"""Bulk import of actors: what a curator sees in the report and finds in the directory."""

import csv
import io
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import Error, connection
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from curation.transfer import COLUMNS, actor_export_rows, actor_import, actors_to_bytes
from directory.models import Actor, ContactPerson, directory_revision
from directory.taxonomy import taxonomy_load
from jobs.models import Job
from matching.index import INDEX_JOB_KIND
from tests.factories import (
    ActorFactory,
    ContactFactory,
    InterestFactory,
    RegionFactory,
    SectorFactory,
    UserFactory,
)

# Hypothesis keeps caches on disk: in var/ (ignored by git) rather than in the repository.
set_hypothesis_home_dir(Path(__file__).resolve().parents[2] / "var" / "hypothesis")

DOCS = Path(__file__).resolve().parents[2] / "docs"
FUZZ = settings(
    # Modest by default so the file runs in seconds; raise it to hunt: IMPORT_FUZZ_EXAMPLES=2000.
    max_examples=int(os.environ.get("IMPORT_FUZZ_EXAMPLES", "40")),
    deadline=None,
    database=None,  # no saved examples: each run draws afresh
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def csv_bytes(rows: list[dict], *, columns: list[str] | None = None) -> bytes:
    if columns is None:
        columns = [c for c in COLUMNS if any(c in row for row in rows)]
        columns += [c for row in rows for c in row if c not in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    columns = [c for c in COLUMNS if any(c in row for row in rows)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts() -> dict[str, int]:
    """Everything an import may write, counted."""
    return {
        "actors": Actor.objects.count(),
        "contacts": ContactPerson.objects.count(),
        "sectors": Actor.sectors.through.objects.count(),
        "offers": Actor.offers.through.objects.count(),
        "seeks": Actor.seeks.through.objects.count(),
        "with parent": Actor.objects.filter(parent__isnull=False).count(),
        "history": Actor.history.count(),
        "contact history": ContactPerson.history.count(),
    }


@pytest.fixture
def taxonomy(db):
    return {
        "bio": SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals"),
        "med": SectorFactory(code="medical-devices", label="Medical devices"),
        "env": SectorFactory(code="environmental-services", label="Environmental services"),
        "rd": InterestFactory(code="rd-projects", label="Joint R&D projects"),
        "market": InterestFactory(code="market-access", label="Market access and export"),
        "transfer": InterestFactory(code="technology-transfer", label="Technology transfer"),
        "gyeongbuk": RegionFactory(code="kr-gyeongbuk", name="Gyeongsangbuk-do", country="KR"),
        "daegu": RegionFactory(code="kr-daegu", name="Daegu", country="KR"),
        "ara": RegionFactory(code="fr-ara", name="Auvergne-Rhône-Alpes", country="FR"),
    }


def good_rows() -> list[dict]:
    # The Mini Cluster comes before its industrial complex: a parent may come later.
    return [
        {
            "slug": "gumi-medical-mini",
            "name": "구미 의료기기 미니클러스터",
            "acronym": "GMMC",
            "side": "kr",
            "country": "South Korea",
            "region": "gyeongsangbuk-do",
            "city": "Gumi",
            "kind": "Korean Mini Cluster",
            "parent": "gumi-complex",
            "description": "경상북도 구미의 의료기기 미니클러스터: medical device makers around "
            "the Gumi complex, working together on patient monitors, ultrasound probes, sensor "
            "modules and the certification of their products.",
            "sectors": "Medical devices",
            "offers": "rd-projects",
            "status": "published",
            "contacts": "Kim Example | Coordinator | kim@example.org | +82 54 000 0000 | consent",
        },
        {
            "slug": "lyon-medtech",
            "name": "Lyon Médtech Réseau",
            "side": "eu",
            "country": "france",
            "region": "fr-ara",
            "city": "Lyon",
            "kind": "eu-cluster",
            "description": "Réseau lyonnais des dispositifs médicaux; " + "long text " * 300,
            "keywords": "imagerie;  dispositifs médicaux ;",
            "sectors": "biopharmaceuticals; MEDICAL-DEVICES",
            "offers": "Market access and export",
            "seeks": "technology-transfer;rd-projects",
            "website": "https://www.example.org/lyon-medtech",
            "founded": "2005",
            "members": "120",
            "latitude": "45.764",
            "longitude": "4.8357",
            "status": "published",
            "source": "https://www.example.org/lyon-medtech/about",
            "last_verified": "2025-03-01",
            "contacts": "Élodie Exemple | Project manager | elodie@example.org | "
            "+33 4 00 00 00 00 | public | https://www.example.org/team\n"
            "Jean Sample | | jean@example.org",
        },
        {
            "slug": "gumi-complex",
            "name": "Gumi National Industrial Complex",
            "side": "kr",
            "country": "KR",
            "region": "kr-gyeongbuk",
            "city": "Gumi",
            "kind": "industrial-complex",
            "description": "Electronics and medical devices complex in Gumi, North Gyeongsang: "
            "its management office hosts several Mini Clusters, a smart-factory support centre "
            "and a testing laboratory.",
            "status": "published",
        },
    ]


# -- a good file -------------------------------------------------------------------------------


def test_good_file_creates_actors_with_links_contacts_and_parent(taxonomy):
    curator = UserFactory(username="importer", is_staff=True)
    report = actor_import(
        data=csv_bytes(good_rows()), filename="actors.csv", dry_run=False, user=curator
    )

    assert report.errors == []
    assert [c.slug for c in report.created] == ["gumi-medical-mini", "lyon-medtech", "gumi-complex"]
    assert report.written
    mini = Actor.objects.get(slug="gumi-medical-mini")
    lyon = Actor.objects.get(slug="lyon-medtech")
    complex_ = Actor.objects.get(slug="gumi-complex")
    assert mini.name == "구미 의료기기 미니클러스터"
    assert mini.description.startswith("경상북도 구미의")
    assert mini.parent == complex_
    assert (mini.country.code, mini.region.code, mini.kind) == (
        "KR",
        "kr-gyeongbuk",
        "mini-cluster",
    )
    assert list(mini.sectors.values_list("code", flat=True)) == ["medical-devices"]
    assert list(mini.offers.values_list("code", flat=True)) == ["rd-projects"]
    assert lyon.name == "Lyon Médtech Réseau"
    assert len(lyon.description) > 3000
    assert lyon.keywords == "imagerie; dispositifs médicaux"
    assert set(lyon.sectors.values_list("code", flat=True)) == {
        "biopharmaceuticals",
        "medical-devices",
    }
    assert list(lyon.offers.values_list("code", flat=True)) == ["market-access"]
    assert set(lyon.seeks.values_list("code", flat=True)) == {"technology-transfer", "rd-projects"}
    assert (lyon.founded, lyon.members) == (2005, 120)
    assert (lyon.latitude, lyon.longitude) == (Decimal("45.764"), Decimal("4.8357"))
    assert str(lyon.last_verified) == "2025-03-01"
    assert lyon.status == "published" and lyon.country.code == "FR"
    contacts = {c.name: c for c in lyon.contacts.all()}
    assert set(contacts) == {"Élodie Exemple", "Jean Sample"}
    elodie = contacts["Élodie Exemple"]
    assert (elodie.role, elodie.email, elodie.phone, elodie.legal_basis, elodie.source) == (
        "Project manager",
        "elodie@example.org",
        "+33 4 00 00 00 00",
        "public",
        "https://www.example.org/team",
    )
    assert contacts["Jean Sample"].legal_basis == "interest"  # the default
    assert mini.contacts.get().legal_basis == "consent"
    # One history entry per actor saved, naming who imported what.
    record = lyon.history.earliest()
    assert record.history_user == curator
    assert record.history_change_reason == "import of actors.csv"
    assert complex_.history.filter(history_type="+").count() == 1


def test_dry_run_writes_nothing_and_reports_the_plan(taxonomy):
    ActorFactory(slug="gumi-complex", name="Gumi Complex (old name)", side="kr", country="KR")
    before, revision = counts(), directory_revision()

    report = actor_import(data=csv_bytes(good_rows()), filename="actors.csv", dry_run=True)

    assert report.ok and report.dry_run and not report.written
    assert [c.slug for c in report.created] == ["gumi-medical-mini", "lyon-medtech"]
    [update] = report.updated
    assert update.slug == "gumi-complex"
    assert update.columns == ("name", "region", "city", "kind", "description")
    assert report.summary() == "Dry run: 2 created, 1 updated, 0 unchanged; nothing was written."
    assert counts() == before
    assert directory_revision() == revision
    assert Actor.objects.get(slug="gumi-complex").name == "Gumi Complex (old name)"


def test_reimporting_the_same_file_changes_nothing(taxonomy):
    data = csv_bytes(good_rows())
    assert actor_import(data=data, filename="actors.csv", dry_run=False).ok
    stamps = dict(Actor.objects.values_list("slug", "updated_at"))
    before, revision = counts(), directory_revision()

    again = actor_import(data=data, filename="actors.csv", dry_run=False)

    assert again.ok and not again.written
    assert (again.created, again.updated) == ([], [])
    assert [c.slug for c in again.unchanged] == [
        "gumi-medical-mini",
        "lyon-medtech",
        "gumi-complex",
    ]
    assert dict(Actor.objects.values_list("slug", "updated_at")) == stamps
    assert counts() == before
    # The database's own change counter (triggers on every table the import touches).
    assert directory_revision() == revision


LYON_V2 = (
    "Lyon medical technology network, now with 150 members: companies, hospitals and "
    "laboratories working on imaging, implants and digital health, with partners in Europe "
    "and Korea."
)


def test_an_updated_file_updates_by_slug(taxonomy):
    rows = good_rows()
    assert actor_import(data=csv_bytes(rows), filename="v1.csv", dry_run=False).ok
    untouched = Actor.objects.get(slug="gumi-complex").updated_at
    rows[1]["description"] = LYON_V2
    rows[1]["sectors"] = "medical-devices"
    rows[1]["members"] = "150"
    rows[1]["contacts"] = "Élodie Exemple | Director | elodie@example.org"
    rows[0]["parent"] = ""

    report = actor_import(data=csv_bytes(rows), filename="v2.csv", dry_run=False)

    assert report.ok
    assert [(c.slug, c.columns) for c in report.updated] == [
        ("gumi-medical-mini", ("parent",)),
        ("lyon-medtech", ("description", "sectors", "members", "contacts")),
    ]
    assert [c.slug for c in report.unchanged] == ["gumi-complex"]
    lyon = Actor.objects.get(slug="lyon-medtech")
    assert lyon.description == LYON_V2
    assert list(lyon.sectors.values_list("code", flat=True)) == ["medical-devices"]
    assert lyon.members == 150
    assert list(lyon.contacts.values_list("name", "role")) == [("Élodie Exemple", "Director")]
    assert Actor.objects.get(slug="gumi-medical-mini").parent is None
    assert Actor.objects.get(slug="gumi-complex").updated_at == untouched
    assert lyon.history.latest().history_change_reason == "import of v2.csv"


def test_columns_left_out_keep_their_values(taxonomy):
    actor = ActorFactory(slug="pole-eau", name="Pôle Eau", status="published", city="Montpellier")
    ContactFactory(actor=actor, name="Camille Example")
    actor.sectors.set([taxonomy["env"]])
    rows = [
        {
            "slug": "pole-eau",
            "name": "Pôle Eau",
            "side": "eu",
            "country": "FR",
            "kind": "eu-cluster",
            "description": "Water cluster in Occitanie: companies, research centres and water "
            "utilities working together on treatment, reuse and monitoring of water, in France "
            "and abroad.",
            "status": "",  # blank: keep the status
        }
    ]

    report = actor_import(data=csv_bytes(rows), filename="public.csv", dry_run=False)

    assert report.ok and [c.columns for c in report.updated] == [("description",)]
    actor.refresh_from_db()
    assert actor.status == "published" and actor.city == "Montpellier"
    assert list(actor.contacts.values_list("name", flat=True)) == ["Camille Example"]
    assert list(actor.sectors.values_list("code", flat=True)) == ["environmental-services"]


def test_spreadsheet_conveniences(taxonomy):
    rows = [
        {
            "slug": "formula-name",
            "name": "'=SUM(A1:A2)",  # the apostrophe our exports put before a formula
            "side": "Korea",
            "country": "Republic of Korea",
            "region": "DAEGU",
            "kind": "CLUSTER AGENCY",
            "description": "'-- a description that starts with dashes",
            "latitude": "35,8714354",  # decimal comma, seven decimals
            "longitude": "128.601445",
            "status": "Draft",
        }
    ]
    report = actor_import(data=csv_bytes(rows), filename="actors.csv", dry_run=False)

    assert report.errors == []
    actor = Actor.objects.get(slug="formula-name")
    assert actor.name == "=SUM(A1:A2)"
    assert actor.description == "-- a description that starts with dashes"
    assert (actor.side, actor.country.code, actor.region.code) == ("kr", "KR", "kr-daegu")
    assert actor.kind == "cluster-agency" and actor.status == "draft"
    assert (actor.latitude, actor.longitude) == (Decimal("35.87144"), Decimal("128.60145"))


def test_xlsx_and_json_files_import_like_csv(taxonomy):
    xlsx = actor_import(data=xlsx_bytes(good_rows()), filename="actors.xlsx", dry_run=True)
    assert xlsx.errors == [] and len(xlsx.created) == 3

    items = good_rows()
    items[1]["keywords"] = ["imagerie", "dispositifs médicaux"]
    items[1]["sectors"] = ["biopharmaceuticals", "medical devices"]
    items[1]["founded"] = 2005
    items[1]["latitude"] = 45.764
    items[1]["contacts"] = [
        {"name": "Élodie Exemple", "role": "Project manager; R&D", "email": "elodie@example.org"}
    ]
    data = json.dumps({"actors": items}, ensure_ascii=False).encode()
    report = actor_import(data=data, filename="actors.json", dry_run=False)

    assert report.errors == []
    lyon = Actor.objects.get(slug="lyon-medtech")
    assert lyon.keywords == "imagerie; dispositifs médicaux" and lyon.founded == 2005
    assert lyon.contacts.get().role == "Project manager; R&D"
    assert Actor.objects.get(slug="gumi-medical-mini").parent.slug == "gumi-complex"


# -- the directory's rules (directory/rules.py) -----------------------------------------------

FIVE_WORDS = "Biotech cluster in Lyon, France."
TOO_SHORT = (
    "the description has 5 words; a published profile needs at least 20, since partners are "
    "ranked on it"
)


def test_a_published_row_with_a_short_description_is_refused_and_nothing_is_written(taxonomy):
    before, revision = counts(), directory_revision()
    rows = [
        valid_row("fine-draft"),
        valid_row("short-published", description=FIVE_WORDS, status="published"),
    ]

    report = actor_import(data=csv_bytes(rows), filename="a.csv", dry_run=False)

    assert report.errors == [f"row 3, column description: {TOO_SHORT}"]
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, "description")
    assert not report.written and report.created == []
    assert counts() == before and directory_revision() == revision

    items = [valid_row("short-published", description=FIVE_WORDS, status="Published")]
    report = actor_import(data=json.dumps(items).encode(), filename="a.json", dry_run=False)
    assert report.errors == [f"item 1, column description: {TOO_SHORT}"]
    assert counts() == before


def test_the_same_short_description_is_accepted_for_a_draft(taxonomy):
    rows = [valid_row("short-published", description=FIVE_WORDS, status="draft")]

    report = actor_import(data=csv_bytes(rows), filename="a.csv", dry_run=False)

    assert report.errors == [] and report.written
    actor = Actor.objects.get(slug="short-published")
    assert (actor.status, actor.description) == ("draft", FIVE_WORDS)


def test_an_export_of_older_short_published_profiles_imports_back(taxonomy):
    """The rule holds rows that publish or change a description, not profiles left as they
    are: a curator's export must import back even with profiles from before the rule."""
    old = ActorFactory(slug="old-short", description=FIVE_WORDS, sectors=[taxonomy["bio"]])
    rows = actor_export_rows(queryset=Actor.objects.all(), include_contacts=True)
    export = actors_to_bytes(rows=rows, fmt="csv", include_contacts=True)
    report = actor_import(data=export, filename="export.csv", dry_run=True)
    assert report.errors == []
    # Changing that description to another short text is held to the rule.
    edited = export.replace(FIVE_WORDS.encode(), b"Still far too short here.")
    report = actor_import(data=edited, filename="export.csv", dry_run=True)
    assert report.errors == [f"row 2, column description: {TOO_SHORT}"]
    assert Actor.objects.get(pk=old.pk).description == FIVE_WORDS


def test_a_row_without_status_follows_its_actors_status(taxonomy):
    ActorFactory(slug="published-one", description=LONG_DESCRIPTION)  # published
    ActorFactory(slug="draft-one", description=LONG_DESCRIPTION, status="draft")
    rows = [
        valid_row("published-one", description=FIVE_WORDS),  # stays published: refused
        valid_row("draft-one", description=FIVE_WORDS),  # stays a draft
        valid_row("new-one", description=FIVE_WORDS),  # a new actor is a draft
    ]
    report = actor_import(data=csv_bytes(rows), filename="a.csv", dry_run=True)
    assert report.errors == [f"row 2, column description: {TOO_SHORT}"]

    rows[0]["status"] = "draft"  # unpublished by the same row: accepted
    report = actor_import(data=csv_bytes(rows), filename="a.csv", dry_run=False)
    assert report.errors == [] and report.written
    assert Actor.objects.get(slug="published-one").status == "draft"


def test_keywords_are_stored_as_the_directory_rules_write_them(taxonomy):
    rows = [valid_row("keyworded", keywords="Biotech;  biotech ; vaccines")]

    report = actor_import(data=csv_bytes(rows), filename="a.csv", dry_run=False)

    assert report.errors == []
    assert Actor.objects.get(slug="keyworded").keywords == "Biotech; vaccines"
    again = actor_import(data=csv_bytes(rows), filename="a.csv", dry_run=False)
    assert [c.slug for c in again.unchanged] == ["keyworded"] and not again.written


def test_a_keyword_longer_than_60_characters_is_reported(taxonomy):
    listed = "medical devices, diagnostics, imaging, implants and digital health"
    rows = [valid_row("keyworded", keywords=f"biotech; {listed}")]

    report = actor_import(data=csv_bytes(rows), filename="a.csv", dry_run=False)

    assert report.errors == [
        f"row 2, column keywords: keyword {listed[:60]!r}... is longer than 60 characters; "
        "separate keywords with ';'"
    ]
    assert not Actor.objects.exists()


# -- bad files ---------------------------------------------------------------------------------


# Published profiles need a description of 20 words or more (directory/rules.py).
LONG_DESCRIPTION = (
    "A cluster of companies, laboratories and hospitals that work together on research, "
    "training and export projects, and look for partners in Korea."
)


def valid_row(slug: str, **changes) -> dict:
    row = {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "side": "eu",
        "country": "FR",
        "kind": "eu-cluster",
        "description": "A cluster.",
        "sectors": "biopharmaceuticals",
        "contacts": "",
    }
    return row | changes


def test_bad_rows_write_nothing_and_every_problem_is_reported(taxonomy):
    ActorFactory(slug="existing", name="Existing Cluster", description="Kept as it is.")
    before, revision = counts(), directory_revision()
    rows = [
        valid_row("bad-sector", sectors="biopharmaceuticals; biotek"),  # row 2
        valid_row("bad-kind", kind="clusterr"),  # row 3
        valid_row("bad-country", country="Atlantis"),  # row 4
        valid_row("bad-region", region="kr-daegu"),  # row 5
        valid_row("korean-in-france", side="kr"),  # row 6
        valid_row("bad-url", website="not a url"),  # row 7
        valid_row("far-north", latitude="95"),  # row 8
        valid_row("orphan", parent="nowhere"),  # row 9
        valid_row("bad-sector", name="Same slug again"),  # row 10
        valid_row("bad-email", contacts="Bob Example | CEO | bob@"),  # row 11
        valid_row("existing", description=LONG_DESCRIPTION),  # row 12: fine on its own
        valid_row("fine-new-actor"),  # row 13: fine on its own
    ]

    report = actor_import(data=csv_bytes(rows), filename="actors.csv", dry_run=False)

    assert report.errors == [
        "row 2, column sectors: unknown sector 'biotek'",
        "row 3, column kind: unknown kind 'clusterr'",
        "row 4, column country: unknown country 'Atlantis'",
        "row 5, column region: region 'kr-daegu' is not in France (it is in South Korea)",
        "row 6, column country: 'FR' is not accepted: A Korean actor must be in Korea (KR).",
        "row 7, column website: 'not a url' is not accepted: Enter a valid URL.",
        "row 8, column latitude: '95' is not accepted: "
        "Ensure this value is less than or equal to 90.",
        "row 9, column parent: unknown actor 'nowhere' (neither in the directory nor in this file)",
        "row 10, column slug: 'bad-sector' is already used in row 2",
        "row 11, column contacts: contact 1 (Bob Example), email 'bob@' is not accepted: "
        "Enter a valid email address.",
    ]
    assert report.summary() == "10 problems found; nothing was written."
    assert not report.written and report.created == [] and report.updated == []
    assert counts() == before and directory_revision() == revision
    assert Actor.objects.get(slug="existing").description == "Kept as it is."


def test_file_level_and_header_problems(taxonomy):
    rows = [{"slug": "a", "name": "A", "side": "eu", "country": "FR", "kind": "eu-cluster"}]
    missing = actor_import(data=csv_bytes(rows), filename="a.csv", dry_run=False)
    assert missing.errors == [
        "row 1, column description: missing column; required columns: "
        "slug, name, side, country, kind, description"
    ]

    rows = [valid_row("a", sector="biopharmaceuticals", name="")]
    header = actor_import(data=csv_bytes(rows), filename="a.csv", dry_run=False)
    assert header.errors == [
        "row 1, column sector: unknown column",
        "row 2, column name: empty, but required",
    ]

    # Blank lines above the header (a paste, a sheet with a title row left empty): the
    # header's problems are named at the row the spreadsheet shows.
    below = actor_import(data=b"\n\n" + csv_bytes(rows), filename="a.csv", dry_run=False)
    assert below.errors == [
        "row 3, column sector: unknown column",
        "row 4, column name: empty, but required",
    ]

    ragged = b"slug,name,side,country,kind,description\na,A,eu,FR,eu-cluster,One, two\n"
    assert actor_import(data=ragged, filename="a.csv", dry_run=False).errors == [
        "row 2: 1 cell under no column name (first: 'two'); "
        "a separator inside a cell needs quotes, and each column a name in row 1"
    ]
    unnamed = b"slug,name,side,country,kind,description,\na,A,eu,FR,eu-cluster,One,lost\n"
    assert actor_import(data=unnamed, filename="a.csv", dry_run=False).errors == [
        "row 2: 1 cell under no column name (first: 'lost'); "
        "a separator inside a cell needs quotes, and each column a name in row 1"
    ]
    assert actor_import(data=b"\xff\xfe\x00bad", filename="a.csv", dry_run=False).errors == [
        "The file is not UTF-8 text (byte 1 cannot be read). Save it as 'CSV UTF-8' or as XLSX."
    ]
    assert (
        actor_import(data=b"{", filename="a.json", dry_run=False)
        .errors[0]
        .startswith("The file is not valid JSON")
    )
    assert (
        actor_import(data=b"PK\x03\x04broken", filename="a.xlsx", dry_run=False)
        .errors[0]
        .startswith("The file is not a readable XLSX workbook")
    )
    assert actor_import(data=b"x", filename="a.pdf", dry_run=False).errors == [
        "'a.pdf' is not a .csv, .xlsx or .json file."
    ]
    assert actor_import(data=b"slug,name\n", filename="a.csv", dry_run=True).errors[-1] == (
        "row 1, column description: missing column; required columns: "
        "slug, name, side, country, kind, description"
    )
    assert Actor.objects.count() == 0


def test_more_row_problems_with_their_messages(taxonomy):
    ActorFactory(slug="loop-a", name="Loop A")
    rows = [
        valid_row("loop-b", parent="loop-c"),
        valid_row("loop-c", parent="loop-b"),
        valid_row("self-parent", parent="self-parent"),
        valid_row("bad-numbers", founded="19x0", members="-3", longitude="east"),
        valid_row("bad-date", last_verified="01/02/2024", status="gone", side="asia"),
        valid_row("bad-contact", contacts="| role only; Ann | a | ann@example.org | 1 | maybe"),
        valid_row("Not A Slug!", acronym="X" * 41),
        valid_row("too-long", description="x" * 32768),
    ]
    report = actor_import(data=csv_bytes(rows), filename="a.csv", dry_run=False)
    assert report.errors == [
        "row 2, column parent: 'loop-c' would make a loop of parents: loop-b -> loop-c -> loop-b",
        "row 3, column parent: 'loop-b' would make a loop of parents: loop-c -> loop-b -> loop-c",
        "row 4, column parent: 'self-parent' is the actor itself",
        "row 5, column founded: '19x0' is not a whole number",
        "row 5, column members: '-3' is not accepted: "
        "Ensure this value is greater than or equal to 0.",
        "row 5, column longitude: 'east' is not a number",
        "row 6, column side: unknown side 'asia' (eu or kr)",
        "row 6, column status: unknown status 'gone' (draft, published or archived)",
        "row 6, column last_verified: '01/02/2024' is not a date written YYYY-MM-DD",
        "row 7, column contacts: contact 1 has no name (write: name | role | email | phone)",
        "row 7, column contacts: contact 2 (Ann), legal_basis 'maybe' is unknown "
        "(public, consent, interest, contract)",
        "row 8, column slug: 'Not A Slug!' is not accepted: Enter a valid “slug” consisting of "
        "letters, numbers, underscores or hyphens.",
        "row 8, column acronym: 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' is not accepted: "
        "Ensure this value has at most 40 characters (it has 41).",
        f"row 9, column description: '{'x' * 59}…' is 32,768 characters long; "
        "at most 32,767 are allowed",
    ]


def test_json_problems_name_the_item(taxonomy):
    items = [
        valid_row("fine"),
        {"slug": "typed", "name": 12, "side": "eu", "country": "FR", "kind": "eu-cluster",
         "description": "x", "sectors": {"a": 1}, "founded": "1990", "contacts": [{"mail": "x"}]},
        ["not", "an", "object"],
        {"slug": "no-description", "name": "N", "side": "eu", "country": "FR",
         "kind": "eu-cluster", "colour": "blue"},
    ]  # fmt: skip
    report = actor_import(data=json.dumps(items).encode(), filename="a.json", dry_run=False)
    assert report.errors == [
        "item 2, column name: expected text, got a number",
        "item 2, column sectors: expected a list of texts (or one text with ';'), got an object",
        "item 2, column contacts: contact 1: unknown key(s) 'mail'",
        "item 3: expected an object with the actor's columns, got a list",
        "item 4, column description: missing; required columns: "
        "slug, name, side, country, kind, description",
        "item 4, column colour: unknown column",
    ]
    assert actor_import(data=b'{"rows": []}', filename="a.json", dry_run=True).errors == [
        'The JSON must be a list of actors, or an object {"actors": [...]}.'
    ]
    assert actor_import(data=b"[]", filename="a.json", dry_run=True).errors == [
        "The file holds no actors."
    ]
    assert Actor.objects.count() == 0


def test_a_slug_with_a_nul_character_is_reported_not_a_crash(taxonomy):
    """PostgreSQL refuses NUL even in a lookup: the row is reported like any other bad value."""
    items = [valid_row("fine"), valid_row("bad\x00slug", name="Bad Slug")]
    report = actor_import(data=json.dumps(items).encode(), filename="a.json", dry_run=True)
    assert report.errors == [
        "item 2, column slug: 'bad\x00slug' contains a NUL character, which cannot be stored"
    ]


# -- interrupted imports -----------------------------------------------------------------------


def five_rows() -> list[dict]:
    rows = good_rows()
    rows.append(valid_row("fourth-cluster", contacts="Ann Example | | ann@example.org"))
    rows.append(valid_row("existing", description=LONG_DESCRIPTION))
    return rows


def test_a_crash_half_way_leaves_the_directory_as_it_was(taxonomy):
    ActorFactory(slug="existing", name="Existing", description="As it was.")
    before, revision = counts(), directory_revision()
    written = []

    def crash_on_third(number: int) -> None:
        written.append(number)
        if len(written) == 3:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        actor_import(
            data=csv_bytes(five_rows()),
            filename="a.csv",
            dry_run=False,
            after_row=crash_on_third,
        )

    assert len(written) == 3
    assert counts() == before and directory_revision() == revision
    assert Actor.objects.get(slug="existing").description == "As it was."


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="terminating the importing connection's server process needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_a_lost_connection_half_way_writes_nothing(taxonomy):
    import psycopg

    ActorFactory(slug="existing", name="Existing", description="As it was.")
    settings_dict = connection.settings_dict
    params = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
        "host": settings_dict["HOST"] or None,
        "port": settings_dict["PORT"] or None,
        "autocommit": True,
    }

    def fresh_counts() -> dict[str, int]:
        tables = ["directory_actor", "directory_contactperson", "directory_actor_sectors"]
        with psycopg.connect(**params) as other:
            return {t: other.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608

    before = fresh_counts()
    connection.ensure_connection()
    importing_pid = connection.connection.info.backend_pid
    written = []

    def cut_connection(number: int) -> None:
        written.append(number)
        if len(written) == 2:
            with psycopg.connect(**params) as other:
                # Waits (up to 5 s) until the importing server process is gone.
                other.execute("SELECT pg_terminate_backend(%s, 5000)", [importing_pid])

    try:
        with pytest.raises(Error) as lost:
            actor_import(
                data=csv_bytes(five_rows()),
                filename="a.csv",
                dry_run=False,
                after_row=cut_connection,
            )
    finally:
        connection.close()  # Django reconnects on its next query

    assert "terminat" in str(lost.value) or "closed" in str(lost.value)
    with psycopg.connect(**params) as other:
        alive = "SELECT count(*) FROM pg_stat_activity WHERE pid = %s"
        assert other.execute(alive, [importing_pid]).fetchone()[0] == 0
    assert len(written) == 2
    assert fresh_counts() == before
    assert Actor.objects.get(slug="existing").description == "As it was."


# -- never an exception for bad input ----------------------------------------------------------

INTERESTING_CELLS = [
    "",
    "kr",
    "eu",
    "KR",
    "France",
    "Korea",
    "kr-daegu",
    "Daegu",
    "eu-cluster",
    "mini-cluster",
    "medical devices",
    "biopharmaceuticals; biotek",
    "45.5",
    "-91",
    "1e400",
    "NaN",
    "9" * 5000,
    "2024-02-30",
    "'=1+2",
    "https://example.org",
    "a | b | c@ | d | e | f | g",
    "Ann | | ann@example.org | 1 | public | src; \\| x",
    "lyon-medtech",
    "draft",
    "\x00",
]
cell = st.one_of(st.sampled_from(INTERESTING_CELLS), st.text(max_size=30))
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), cell
)
json_value = st.recursive(
    json_scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def never_raises(data: bytes, filename: str) -> None:
    from django.db import transaction

    with transaction.atomic():
        report = actor_import(data=data, filename=filename, dry_run=False)
        transaction.set_rollback(True)  # each example starts from the same directory
    assert isinstance(report.errors, list)
    assert not any("Unexpected error" in message for message in report.errors), report.errors


@FUZZ
@given(data=st.binary(max_size=3000), ext=st.sampled_from(["csv", "json", "xlsx"]))
def test_arbitrary_bytes_never_raise(taxonomy, data, ext):
    never_raises(data, f"fuzz.{ext}")


@FUZZ
@given(text=st.text(max_size=2000), ext=st.sampled_from(["csv", "json", "xlsx"]))
def test_arbitrary_text_never_raises(taxonomy, text, ext):
    never_raises(text.encode("utf-8"), f"fuzz.{ext}")


@FUZZ
@given(
    header=st.lists(st.sampled_from(COLUMNS + ("bogus", "")), min_size=1, max_size=25),
    rows=st.lists(st.lists(cell, max_size=26), max_size=5),
)
def test_csv_shaped_nonsense_never_raises(taxonomy, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    never_raises(buffer.getvalue().encode("utf-8", "surrogatepass"), "fuzz.csv")


@FUZZ
@given(
    items=st.lists(
        st.dictionaries(st.sampled_from(COLUMNS + ("bogus",)), json_value, max_size=12)
        | json_value,
        max_size=4,
    )
)
def test_json_shaped_nonsense_never_raises(taxonomy, items):
    data = json.dumps(items, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
    never_raises(data, "fuzz.json")


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 3))
@given(rows=st.lists(st.lists(cell, min_size=6, max_size=8), min_size=1, max_size=3))
def test_xlsx_shaped_nonsense_never_raises(taxonomy, rows):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    columns = ["slug", "name", "side", "country", "kind", "description", "latitude", "contacts"]
    data = xlsx_bytes(
        [
            {c: ILLEGAL_CHARACTERS_RE.sub("", v) for c, v in zip(columns, row, strict=False)}
            for row in rows
        ]
    )
    never_raises(data, "fuzz.xlsx")


PLAUSIBLE = {
    "slug": ["a", "b", "c", "lyon-medtech", "Not A Slug", ""],
    "name": ["Name", "이름 Ñame", "'=1+2", ""],
    "side": ["eu", "kr", "Europe", "x"],
    "country": ["FR", "KR", "Korea", "france", "Atlantis"],
    "region": ["", "kr-daegu", "Daegu", "fr-ara", "nowhere"],
    "kind": ["eu-cluster", "Korean Mini Cluster", "x"],
    "parent": ["", "a", "b", "c", "nowhere"],
    "description": ["A cluster.", "설명; x", ""],
    "keywords": ["", "a; b", ";;"],
    "sectors": ["", "biopharmaceuticals", "Medical devices; biopharmaceuticals", "biotek"],
    "offers": ["", "rd-projects", "market access and export", "nothing"],
    "seeks": ["", "technology-transfer; rd-projects"],
    "website": ["", "https://example.org", "nope"],
    "founded": ["", "1990", "1700", "x"],
    "members": ["", "10", "-1"],
    "latitude": ["", "45.5", "95", "1e400", "NaN", "45,123456789"],
    "longitude": ["", "-120.25", "181"],
    "status": ["", "draft", "published", "x"],
    "source": ["", "Seed 000"],
    "last_verified": ["", "2024-01-01", "2024-02-30"],
    "contacts": [
        "",
        "Ann | r | ann@example.org",
        "Bob | | bob@",
        "| x",
        "Ann | a | b@example.org | 1 | public | s; Cid",
    ],
}
mixed_row = st.fixed_dictionaries(
    {c: st.one_of(st.sampled_from(v), st.text(max_size=12)) for c, v in PLAUSIBLE.items()}
)
valid_row_strategy = st.builds(
    lambda place, base, slug, parent: base | place | {"slug": slug, "parent": parent},
    st.sampled_from(
        [
            {"side": "eu", "country": "FR", "region": "fr-ara"},
            {"side": "Europe", "country": "france", "region": ""},
            {"side": "kr", "country": "Korea", "region": "Daegu"},
            {"side": "kr", "country": "KR", "region": "kr-gyeongbuk"},
        ]
    ),
    st.fixed_dictionaries(
        {
            c: st.sampled_from([v for v in PLAUSIBLE[c] if v not in bad])
            for c, bad in {
                "name": {""},
                "kind": {"x"},
                "description": {""},
                "keywords": set(),
                "sectors": {"biotek"},
                "offers": {"nothing"},
                "seeks": set(),
                "website": {"nope"},
                "founded": {"1700", "x"},
                "members": {"-1"},
                "latitude": {"95", "1e400", "NaN"},
                "longitude": {"181"},
                "status": {"x"},
                "last_verified": {"2024-02-30"},
                "contacts": {"Bob | | bob@", "| x"},
            }.items()
        }
    ),
    st.sampled_from(["a", "b", "c", "lyon-medtech"]),
    st.sampled_from(["", "", "a", "lyon-medtech"]),
)
plausible_row = st.one_of(valid_row_strategy, valid_row_strategy, mixed_row)


@FUZZ
@given(rows=st.lists(plausible_row, min_size=1, max_size=4), as_json=st.booleans())
def test_plausible_files_import_or_report_and_a_second_import_changes_nothing(
    taxonomy, rows, as_json
):
    """Whatever the mix of good and bad values: a report, never an exception; and a file
    that imports once imports again as all unchanged."""
    from django.db import transaction

    if as_json:
        data, name = json.dumps(rows, ensure_ascii=False).encode("utf-8", "surrogatepass"), "f.json"
    else:
        data, name = csv_bytes(rows).decode().encode("utf-8", "surrogatepass"), "f.csv"
    with transaction.atomic():
        first = actor_import(data=data, filename=name, dry_run=False)
        second = actor_import(data=data, filename=name, dry_run=False)
        transaction.set_rollback(True)
    assert not any("Unexpected error" in message for message in first.errors), first.errors
    event("imported" if first.ok else "refused")
    if first.ok:
        assert second.errors == [] and not second.written
        assert (second.created, second.updated) == ([], [])
    else:
        assert not first.written and second.errors == first.errors


# -- the documented samples, the commands and the admin page -----------------------------------


@pytest.mark.parametrize("name", ["actors.csv", "actors.xlsx", "actors.json"])
def test_the_sample_files_import(db, name):
    taxonomy_load()
    report = actor_import(data=(DOCS / "samples" / name).read_bytes(), filename=name, dry_run=False)
    assert report.errors == []
    assert len(report.created) == 3
    names = " ".join(change.name for change in report.created)
    assert any(char in "éèêàçôü" for char in names)  # accents
    # Hangul: a Korean name and Korean descriptions beside the English ones.
    mini = Actor.objects.get(slug="sample-gumi-medical-mini-cluster")
    assert mini.name_ko == "구미 의료기기 미니클러스터"
    assert mini.description_ko.startswith("가상의 예시입니다.")


def test_import_command_prints_the_plan_and_fails_on_errors(taxonomy, tmp_path, capsys):
    path = tmp_path / "actors.csv"
    path.write_bytes(csv_bytes(good_rows()))

    call_command("import_actors", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Created: 3" in out and "Lyon Médtech Réseau (lyon-medtech, row 3)" in out
    assert "Dry run: 3 created, 0 updated, 0 unchanged; nothing was written." in out
    assert Actor.objects.count() == 0

    assert not Job.objects.filter(kind=INDEX_JOB_KIND).exists()  # a dry run writes nothing
    call_command("import_actors", str(path))
    assert Actor.objects.count() == 3
    # One rebuild of the ranking index for all web processes, as the site's import queues.
    rebuilds = Job.objects.filter(kind=INDEX_JOB_KIND)
    assert rebuilds.count() == 1
    assert f"job {rebuilds.get().pk}" in capsys.readouterr().out
    call_command("import_actors", str(path))
    assert "Unchanged: 3" in capsys.readouterr().out
    assert rebuilds.count() == 1  # nothing written, nothing to rebuild

    path.write_bytes(csv_bytes([valid_row("x", kind="clusterr")]))
    with pytest.raises(CommandError, match=r"1 problem found; nothing was written"):
        call_command("import_actors", str(path))
    assert "row 2, column kind: unknown kind 'clusterr'" in capsys.readouterr().err
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_actors", str(tmp_path / "missing.csv"))


def test_export_command_writes_the_import_format(taxonomy, tmp_path, capsys):
    assert actor_import(data=csv_bytes(good_rows()), filename="a.csv", dry_run=False).ok
    for name in ("all.csv", "all.xlsx", "all.json"):
        call_command("export_actors", str(tmp_path / name))
        report = actor_import(data=(tmp_path / name).read_bytes(), filename=name, dry_run=True)
        assert report.errors == [] and len(report.unchanged) == 3
    assert "Exported 3 actor(s)" in capsys.readouterr().out
    assert b"elodie@example.org" in (tmp_path / "all.csv").read_bytes()

    call_command("export_actors", str(tmp_path / "public.csv"), "--without-contacts")
    public = (tmp_path / "public.csv").read_bytes()
    assert b"elodie@example.org" not in public and b"contacts" not in public
    with pytest.raises(CommandError, match="must end in .csv, .xlsx or .json"):
        call_command("export_actors", str(tmp_path / "all.txt"))


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_admin_import_page_is_for_curators_only(client, cast):
    url = reverse("admin:directory_actor_import")
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(cast.manager)
    assert client.get(url).status_code == 302  # not staff: the admin login again
    staff = UserFactory(username="helpdesk", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_actor"))
    client.force_login(staff)
    assert client.get(url).status_code == 403
    response = client.post(url, {"file": upload("a.csv", b"slug\n"), "dry_run": "on"})
    assert response.status_code == 403
    assert "Import actors" not in client.get(reverse("admin:directory_actor_changelist")).text
    assert client.get(reverse("admin:directory_actor_export", args=["csv"])).status_code == 403

    client.force_login(cast.curator)
    assert "Import actors" in client.get(reverse("admin:directory_actor_changelist")).text
    page = client.get(url)
    assert page.status_code == 200 and "Dry run" in page.text


def test_admin_import_dry_run_errors_and_real_import(client, cast, taxonomy):
    client.force_login(cast.curator)
    url = reverse("admin:directory_actor_import")
    count = Actor.objects.count()

    bad = csv_bytes([valid_row("new-one"), valid_row("new-two", sectors="biotek")])
    page = client.post(url, {"file": upload("bad.csv", bad)}).text
    assert "1 problem in bad.csv: nothing was written." in page
    assert "row 3, column sectors: unknown sector &#x27;biotek&#x27;" in page
    assert Actor.objects.count() == count

    lyon = valid_row("lyon-life", name="Lyon Life Sciences", description=LONG_DESCRIPTION)
    good = csv_bytes([valid_row("new-one"), lyon])
    page = client.post(url, {"file": upload("good.csv", good), "dry_run": "on"}).text
    assert "Dry run of good.csv: nothing was written." in page
    assert "Would be created (1)" in page and "Would be updated (1)" in page
    assert Actor.objects.count() == count

    page = client.post(url, {"file": upload("good.csv", good)}).text
    assert "Imported good.csv: 1 created, 1 updated, 0 unchanged." in page
    assert Actor.objects.filter(slug="new-one").exists()
    records = Actor.objects.get(slug="new-one").history.all()
    assert {(r.history_user, r.history_change_reason) for r in records} == {
        (cast.curator, "import of good.csv")
    }


def test_admin_export_links_give_every_actor_with_contacts(client, cast):
    draft = ActorFactory(slug="draft-one", name="Draft One", status="draft")
    Actor.objects.filter(status="published").update(description=LONG_DESCRIPTION)
    client.force_login(cast.curator)
    page = client.get(reverse("admin:directory_actor_import")).text
    for fmt in ("csv", "xlsx", "json"):
        url = reverse("admin:directory_actor_export", args=[fmt])
        assert url in page
        response = client.get(url)
        assert response.status_code == 200
        report = actor_import(data=response.content, filename=f"all.{fmt}", dry_run=True)
        assert report.errors == [] and len(report.unchanged) == Actor.objects.count()
    rows = json.loads(client.get(reverse("admin:directory_actor_export", args=["json"])).content)
    by_slug = {row["slug"]: row for row in rows}
    assert draft.slug in by_slug
    assert by_slug["lyon-life"]["contacts"][0]["email"] == "marie.secret@example.org"
    assert Group.objects.get(name="Curators").permissions.filter(codename="add_actor").exists()


def test_a_loop_of_parents_of_any_length_is_found(taxonomy):
    n = 1500
    rows = [valid_row(f"ring-{i}", parent=f"ring-{(i + 1) % n}", status="draft") for i in range(n)]
    report = actor_import(data=csv_bytes(rows), filename="ring.csv", dry_run=True)
    assert len(report.errors) == n
    assert report.errors[0].startswith(
        "row 2, column parent: 'ring-1' would make a loop of parents: ring-0 -> ring-1 -> "
        "ring-2 -> ring-3 -> ... (1494 more) -> ring-1498 -> ring-1499 -> ring-0"
    )
    # A long chain that ends is no loop.
    rows[-1]["parent"] = ""
    assert actor_import(data=csv_bytes(rows), filename="chain.csv", dry_run=True).errors == []


def test_values_stored_before_a_newer_limit_import_back_when_unchanged(taxonomy):
    old = ActorFactory(slug="old-long", description=LONG_DESCRIPTION, sectors=[taxonomy["bio"]])
    Actor.objects.filter(pk=old.pk).update(description="Long text. " * 1500)  # 16,500 chars
    rows = actor_export_rows(queryset=Actor.objects.all(), include_contacts=True)
    export = actors_to_bytes(rows=rows, fmt="csv", include_contacts=True)
    report = actor_import(data=export, filename="export.csv", dry_run=True)
    assert report.errors == [] and [c.slug for c in report.unchanged] == ["old-long"]
    edited = export.replace(b"Long text. Long text.", b"Long text! Long text.", 1)
    report = actor_import(data=edited, filename="export.csv", dry_run=True)
    assert "at most 10000 characters" in report.errors[0]
