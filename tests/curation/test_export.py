"""Exports of the directory: what each visitor may download, and that it reads back exactly."""

import csv
import io
import json
import os
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from common.text import text_problem
from curation.transfer import FORMATS, actor_export_rows, actor_import, actors_to_bytes
from directory.models import Actor, ContactPerson, Kind, LegalBasis, Status
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


def parse(fmt: str, content: bytes) -> list[dict]:
    """A downloaded file as a spreadsheet program or a script would read it."""
    if fmt == "json":
        return json.loads(content)
    if fmt == "csv":
        assert content.startswith("\ufeff".encode())  # the BOM spreadsheets need for UTF-8
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def export_file(*, fmt: str) -> bytes:
    """Every actor, with contacts, as the export view and `manage.py export_actors` write it."""
    rows = actor_export_rows(queryset=Actor.objects.all(), include_contacts=True)
    return actors_to_bytes(rows=rows, fmt=fmt, include_contacts=True)


def export(client, fmt: str, query: str = "") -> bytes:
    response = client.get(reverse("actor_export", args=[fmt]) + query)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cluster-match-actors')
    return response.content


# Published profiles need a description of 20 words or more (directory/rules.py).
LONG_DESCRIPTION = (
    "A cluster of companies, laboratories and hospitals that work together on research, "
    "training and export projects, and look for partners in Korea."
)


@pytest.fixture
def directory(cast):
    """The cast, with descriptions long enough to publish, plus a draft with a contact."""
    Actor.objects.filter(status="published").update(description=LONG_DESCRIPTION)
    cast.draft = ActorFactory(
        slug="secret-draft", name="Secret Draft Cluster", status="draft", side="kr", country="KR"
    )
    ContactFactory(actor=cast.draft, name="Draft Person", email="draft.person@example.org")
    return cast


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_parse_back_and_import_unchanged(client, directory, fmt):
    content = export(client, fmt)

    rows = parse(fmt, content)
    assert sorted(row["slug"] for row in rows) == ["gumi-mobile", "lyon-life", "turin-health"]
    lyon = next(row for row in rows if row["slug"] == "lyon-life")
    assert (lyon["name"], lyon["acronym"], lyon["country"]) == ("Lyon Life Sciences", "LLS", "FR")
    report = actor_import(data=content, filename=f"directory.{fmt}", dry_run=True)
    assert report.errors == [] and len(report.unchanged) == 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_keep_the_directory_filters(client, directory, fmt):
    korean = parse(fmt, export(client, fmt, "?side=kr"))
    assert [row["slug"] for row in korean] == ["gumi-mobile"]
    italian = parse(fmt, export(client, fmt, "?country=IT&sort=-name"))
    assert [row["slug"] for row in italian] == ["turin-health"]
    searched = parse(fmt, export(client, fmt, "?q=LLS"))
    assert [row["slug"] for row in searched] == ["lyon-life"]
    assert parse(fmt, export(client, fmt, "?side=nowhere")) == []  # a bad filter: nothing


def test_the_directory_page_links_to_exports_with_its_filters(client, directory):
    page = client.get(reverse("actor_list"), {"side": "kr", "page": "1"}).text
    for fmt in FORMATS:
        assert f'href="/actors/export.{fmt}?side=kr"' in page
    assert "Export:" in client.get(reverse("actor_list")).text
    # The export holds every match, not the 20 of the page on screen.
    for number in range(25):
        ActorFactory(slug=f"many-{number}", name=f"Many {number}", country="DE")
    assert client.get(reverse("actor_list"), {"country": "DE"}).context["page"].has_next()
    assert len(parse("json", export(client, "json", "?country=DE"))) == 25


@pytest.mark.parametrize("fmt", FORMATS)
def test_visitors_and_members_never_get_contacts_or_drafts(client, directory, fmt):
    directory.draft.managers.add(directory.manager)
    for user in (None, directory.manager, directory.organiser):
        if user is not None:
            client.force_login(user)
        content = export(client, fmt)
        text = json.dumps(parse(fmt, content), ensure_ascii=False)
        for secret in (
            "Marie Secret",
            "marie.secret@example.org",
            "+33 4 11 22 33 44",
            "Kim Hidden",
            "Secret Draft",
            "secret-draft",
            "Draft Person",
        ):
            assert secret not in text
            assert secret.encode() not in content
        assert all("contacts" not in row for row in parse(fmt, content))


@pytest.mark.parametrize("fmt", FORMATS)
def test_curators_get_contacts_and_drafts(client, directory, fmt):
    client.force_login(directory.curator)
    rows = {row["slug"]: row for row in parse(fmt, export(client, fmt))}
    assert set(rows) == {"gumi-mobile", "lyon-life", "turin-health", "secret-draft"}
    contacts = rows["lyon-life"]["contacts"]
    if fmt == "json":
        assert contacts == [
            {
                "name": "Marie Secret",
                "role": "Project manager",
                "email": "marie.secret@example.org",
                "phone": "+33 4 11 22 33 44",
                "legal_basis": "interest",
                "source": "",
            }
        ]
    else:
        assert contacts == (
            "Marie Secret | Project manager | marie.secret@example.org | +33 4 11 22 33 44 | "
            "interest"
        )
    assert "Draft Person" in json.dumps(rows["secret-draft"], ensure_ascii=False)


def test_unknown_export_format_is_not_found(client, directory):
    assert client.get("/actors/export.pdf").status_code == 404
    assert client.get("/actors/export.csv").status_code == 200


def test_no_shared_cache_may_keep_an_export(client, directory):
    """A curator's file holds contacts: proxies and the browser's disk cache must not keep it."""
    client.force_login(directory.curator)
    for url in (
        reverse("actor_export", args=["csv"]),
        reverse("admin:directory_actor_export", args=["json"]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives
    # The admin's export also answers an unknown format with 404, not a server error.
    assert client.get(reverse("admin:directory_actor_export", args=["pdf"])).status_code == 404


def test_exports_are_formula_safe(client, directory):
    directory.actor.name = '=HYPERLINK("http://evil.example","click")'
    directory.actor.acronym = "@SUM(A1)"
    directory.actor.city = "-1+cmd|' /C calc'!A0"
    directory.actor.description = "+33 is France's calling code. " + LONG_DESCRIPTION
    directory.actor.save()

    rows = parse("csv", export(client, "csv"))
    lyon = next(row for row in rows if row["slug"] == "lyon-life")
    assert lyon["name"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert (lyon["acronym"], lyon["city"]) == ("'@SUM(A1)", "'-1+cmd|' /C calc'!A0")
    assert lyon["description"].startswith("'+33")

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export(client, "xlsx"))).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    name = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert name.data_type == "s" and name.value.startswith("'=")
    assert not any(c.data_type == "f" for c in cells)  # no formula anywhere

    # The apostrophes go again on import: the round trip is exact.
    for fmt in FORMATS:
        report = actor_import(data=export(client, fmt), filename=f"a.{fmt}", dry_run=True)
        assert report.errors == [] and len(report.unchanged) == 3


def test_round_trip_keeps_hangul_accents_long_texts_and_separators(db):
    actor = ActorFactory(
        slug="daegu-water",
        name="대구 물산업 클러스터 — Pôle de l'eau",
        side="kr",
        country="KR",
        kind="cluster-agency",
        # Just under the 10,000 characters a description holds (directory/rules.py).
        description=("물 산업; Wasserwirtschaft, Ærø, naïve café | ☃\n" * 225).strip(),
        keywords="물; eau; '=formula-looking keyword",
    )
    ContactFactory(
        actor=actor,
        name="Park Ji-hoon; Jr. | 박지훈",
        role="R&D \\ international | 국제협력",
        email="park@example.org",
        phone="+82 53 000 0000",
    )
    before = actor_export_rows(queryset=Actor.objects.all(), include_contacts=True)
    for fmt in FORMATS:
        with transaction.atomic():
            data = export_file(fmt=fmt)
            Actor.objects.all().delete()
            assert actor_import(data=data, filename=f"a.{fmt}", dry_run=False).errors == []
            [after] = actor_export_rows(queryset=Actor.objects.all(), include_contacts=True)
            assert {k: v for k, v in after.items() if v != before[0][k]} == {}
            transaction.set_rollback(True)


# -- export then import is an identity, whatever the text ----------------------------------------

IDENTITY = settings(
    max_examples=int(os.environ.get("EXPORT_FUZZ_EXAMPLES", "30")),
    deadline=None,
    database=None,  # no saved examples: each run draws afresh
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any printable character: control characters are the one thing XLSX cannot hold.
letters = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff")
spice = st.sampled_from(["", "=", "+", "-", "@", "'", "'=", "''-", "한국 ", "é", ";", "|", "\\"])


def text(max_size: int, *, required: bool = False, newlines: bool = False, banned: str = ""):
    alphabet = st.one_of(letters, st.just("\n")) if newlines else letters
    value = st.builds(lambda p, t: (p + t).strip(), spice, st.text(alphabet, max_size=max_size))
    if banned:
        value = value.map(lambda v: "".join(c for c in v if c not in banned).strip())
    if not newlines:
        # What a one-line field refuses on every path (a direction override, a name of
        # zero-width characters only) cannot round-trip: the import refuses it, as it should.
        value = value.filter(lambda v: text_problem(v, multiline=False) is None)
    return value.filter(bool) if required else value


contact = st.fixed_dictionaries(
    {
        "name": text(40, required=True),
        "role": text(40),
        "email": st.sampled_from(["", "a.b@example.org", "x+tag@example.org"]),
        "phone": text(30),
        "legal_basis": st.sampled_from(LegalBasis.values),
        "source": text(60),
    }
)


@st.composite
def directories(draw):
    slugs = draw(
        st.lists(
            st.from_regex(r"[-a-zA-Z0-9_]{1,30}", fullmatch=True),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    specs = []
    for index, slug in enumerate(slugs):
        korean = draw(st.booleans())
        country = "KR" if korean else draw(st.sampled_from(["FR", "DE", "RS"]))
        regions = {"KR": ["kr-daegu"], "FR": ["fr-ara"], "DE": ["de-by"], "RS": []}[country]
        status = draw(st.sampled_from(Status.values))
        description = draw(text(200, required=True, newlines=True))
        if status == Status.PUBLISHED:
            description += "\n" + LONG_DESCRIPTION  # long enough to publish
        specs.append(
            {
                "slug": slug,
                "name": draw(text(60, required=True)),
                "acronym": draw(text(30)),
                "side": "kr" if korean else "eu",
                "country": country,
                "region": draw(st.sampled_from([None, *regions])),
                "city": draw(text(40)),
                "kind": draw(st.sampled_from(Kind.values)),
                "parent": draw(st.sampled_from([None, *slugs[:index]])),
                "description": description,
                "keywords": "; ".join(
                    draw(st.lists(text(20, required=True, banned=";"), max_size=3))
                ),
                "sectors": draw(st.lists(st.sampled_from(["bio", "med", "env"]), unique=True)),
                "offers": draw(st.lists(st.sampled_from(["rd", "market"]), unique=True)),
                "seeks": draw(st.lists(st.sampled_from(["rd", "market"]), unique=True)),
                "website": draw(
                    st.sampled_from(["", "https://example.org/a;b|c", "http://www.example.org/é"])
                ),
                "founded": draw(st.none() | st.integers(1800, 2100)),
                "members": draw(st.none() | st.integers(0, 2**31 - 1)),
                "latitude": draw(st.none() | st.decimals(-90, 90, places=5)),
                "longitude": draw(st.none() | st.decimals(-180, 180, places=5)),
                "status": status,
                "source": draw(text(100)),
                "last_verified": draw(st.none() | st.dates()),
                "contacts": draw(st.lists(contact, max_size=3)),
            }
        )
    return specs


@pytest.fixture
def taxonomy(db):
    return {
        "bio": SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals"),
        "med": SectorFactory(code="medical-devices", label="Medical devices"),
        "env": SectorFactory(code="environmental-services", label="Environmental services"),
        "rd": InterestFactory(code="rd-projects", label="Joint R&D projects"),
        "market": InterestFactory(code="market-access", label="Market access and export"),
        "kr-daegu": RegionFactory(code="kr-daegu", name="Daegu", country="KR"),
        "fr-ara": RegionFactory(code="fr-ara", name="Auvergne-Rhône-Alpes", country="FR"),
        "de-by": RegionFactory(code="de-by", name="Bayern", country="DE"),
    }


def build(specs: list[dict], taxonomy: dict) -> None:
    actors = {}
    for spec in specs:
        spec = dict(spec)
        contacts = spec.pop("contacts")
        links = {
            key: [taxonomy[code] for code in spec.pop(key)]
            for key in ("sectors", "offers", "seeks")
        }
        spec["region"] = taxonomy[spec["region"]] if spec["region"] else None
        spec["parent"] = actors[spec["parent"]] if spec["parent"] else None
        actor = Actor.objects.create(**spec)
        for key, items in links.items():
            getattr(actor, key).set(items)
        ContactPerson.objects.bulk_create(ContactPerson(actor=actor, **c) for c in contacts)
        actors[actor.slug] = actor


@IDENTITY
@given(specs=directories(), fmt=st.sampled_from(FORMATS))
def test_export_then_import_is_an_identity(taxonomy, specs, fmt):
    with transaction.atomic():
        build(specs, taxonomy)
        before = actor_export_rows(queryset=Actor.objects.order_by("slug"), include_contacts=True)
        data = export_file(fmt=fmt)

        again = actor_import(data=data, filename=f"directory.{fmt}", dry_run=False)
        assert again.errors == []
        assert (again.created, again.updated, again.written) == ([], [], False)
        assert len(again.unchanged) == len(specs)

        # And into an empty directory, the file recreates exactly the same actors.
        Actor.objects.all().delete()
        created = actor_import(data=data, filename=f"directory.{fmt}", dry_run=False)
        assert created.errors == [] and len(created.created) == len(specs)
        after = actor_export_rows(queryset=Actor.objects.order_by("slug"), include_contacts=True)
        assert after == before
        transaction.set_rollback(True)


def test_public_export_reimport_leaves_contacts_alone(client, directory):
    content = export(client, "csv")  # anonymous: no contacts column
    report = actor_import(data=content, filename="public.csv", dry_run=False, user=UserFactory())
    assert report.errors == [] and len(report.unchanged) == 3
    assert directory.actor.contacts.get().name == "Marie Secret"


def test_a_visitors_export_leaves_out_a_draft_parent_a_curators_keeps_it(client, cast):
    from tests.factories import ActorFactory

    draft = ActorFactory(name="Umbrella Draft", slug="umbrella-draft", status="draft")
    cast.korean.parent = draft
    cast.korean.save()

    def parent_of(slug):
        data = json.loads(client.get(reverse("actor_export", args=["json"])).content)
        return next(a["parent"] for a in data if a["slug"] == slug)

    assert parent_of("gumi-mobile") == ""
    client.force_login(cast.manager)
    assert parent_of("gumi-mobile") == ""
    client.force_login(cast.curator)
    assert parent_of("gumi-mobile") == "umbrella-draft"
