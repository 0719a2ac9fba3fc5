"""Korean names and descriptions in the import format: the columns, the rule, bad cells, and
the round trip through CSV, XLSX and JSON."""

import csv
import io
import json

import pytest
from django.db import transaction

from curation.transfer import COLUMNS, FORMATS, actor_export_rows, actor_import, actors_to_bytes
from directory.models import Actor
from tests.factories import ActorFactory, SectorFactory

KO_DESCRIPTION = (
    "구미 의료기기 미니클러스터는 구미국가산업단지의 의료기기 기업들이 모여 "
    "환자 감시 장치와 초음파 센서 모듈을 함께 개발하고 인증과 수출을 준비하는 "
    "산학연 협의체입니다."
)
EN_DESCRIPTION = (
    "Medical device makers of the Gumi complex working together on patient monitors, "
    "ultrasound probes, sensor modules and the certification of their products for export."
)


def csv_file(rows: list[dict]) -> bytes:
    columns = [c for c in COLUMNS if any(c in row for row in rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue().encode("utf-8")


def row(**values) -> dict:
    return {
        "slug": "gumi-medical",
        "name": "Gumi Medical Devices Mini Cluster",
        "name_ko": "구미 의료기기 미니클러스터",
        "side": "kr",
        "country": "KR",
        "kind": "mini-cluster",
        "description": EN_DESCRIPTION,
        "description_ko": KO_DESCRIPTION,
        "status": "published",
        **values,
    }


def test_the_format_has_the_korean_columns_beside_the_english_ones():
    assert COLUMNS.index("name_ko") == COLUMNS.index("name") + 1
    assert COLUMNS.index("description_ko") == COLUMNS.index("description") + 1


def test_an_import_fills_either_language_or_both(db):
    rows = [
        row(),
        row(slug="korean-only", name="Korean Only Cluster", description=""),
        row(slug="english-only", name="English Only Cluster", name_ko="", description_ko=""),
    ]
    report = actor_import(data=csv_file(rows), filename="bilingual.csv", dry_run=False)
    assert report.errors == []
    gumi = Actor.objects.get(slug="gumi-medical")
    assert (gumi.name_ko, gumi.description_ko) == ("구미 의료기기 미니클러스터", KO_DESCRIPTION)
    assert Actor.objects.get(slug="korean-only").description == ""
    assert Actor.objects.get(slug="english-only").description_ko == ""


def test_a_korean_only_file_needs_no_description_column(db):
    data = csv_file([{k: v for k, v in row().items() if k != "description"}])
    report = actor_import(data=data, filename="korean.csv", dry_run=False)
    assert report.errors == []
    assert Actor.objects.get(slug="gumi-medical").description_ko == KO_DESCRIPTION
    # Without either column, the header problem is the one it always was.
    data = csv_file([{k: v for k, v in row().items() if not k.startswith("description")}])
    report = actor_import(data=data, filename="none.csv", dry_run=True)
    assert report.errors == [
        "row 1, column description: missing column; required columns: slug, name, side, "
        "country, kind, description"
    ]


def test_the_publishing_rule_names_the_column_and_what_to_do(db):
    rows = [
        row(slug="short-korean", description="", description_ko="의료기기를 만드는 기업입니다."),
        row(slug="short-english", description="A medical cluster."),
        row(slug="neither", description="", description_ko=""),
        row(slug="nameless", name=""),
    ]
    report = actor_import(data=csv_file(rows), filename="rules.csv", dry_run=False)
    assert report.errors == [
        "row 2, column description_ko: the Korean description has 13 Hangul characters; a "
        "published profile needs at least 40 (about 20 English words), since partners are "
        "ranked on it",
        "row 3, column description: the description has 3 words; write at least 20, or leave "
        "it empty and publish with the Korean description alone",
        "row 4, column description: empty, and so is description_ko: a profile needs a "
        "description in English or Korean",
        "row 5, column name: the name is required: write the organisation's English or "
        "romanised name here (the Korean name goes in the Korean name field)",
    ]
    assert Actor.objects.count() == 0


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "description_ko",
            "의료기기\x0b개발",
            "row 3, column description_ko: '의료기기\x0b개발' contains a control character "
            "(U+000B), which cannot be stored",
        ),
        (
            "name_ko",
            "한" * 201,
            "row 3, column name_ko: '" + "한" * 59 + "…' is not accepted: Ensure this value has "
            "at most 200 characters (it has 201).",
        ),
        (
            "name_ko",
            "구미\n의료기기",
            "row 3, column name_ko: '구미\\n의료기기' is not accepted: "
            "This text must be on one line.",
        ),
    ],
    ids=["control character", "too long", "two lines"],
)
def test_a_bad_korean_cell_is_refused_with_its_row_and_column_and_nothing_is_written(
    db, column, value, message
):
    ActorFactory(slug="kept", name="Kept Cluster", name_ko="")
    data = csv_file([row(slug="kept", name="Kept Cluster"), row(**{column: value})])
    report = actor_import(data=data, filename="bad.csv", dry_run=False)
    assert report.errors == [message]
    assert (report.problems[0].row, report.problems[0].column) == (3, column)
    assert not report.written
    # Row 2 was good, but nothing was written: the import is all or nothing.
    assert list(Actor.objects.values_list("slug", "name_ko")) == [("kept", "")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_korean_text_survives_the_round_trip_byte_for_byte(db, fmt):
    sector = SectorFactory(code="medical-devices", label="Medical devices", label_ko="의료기기")
    # Paragraphs, middle dots, quotes, Jamo, full-width letters: all kept as they are.
    tricky = (
        KO_DESCRIPTION + "\n\n둘째 문단: ‘바이오·헬스’ — 가나다 "
        "ㄱㄴㄷ ᄀᄁ 한글 ＡＢＣ 〈의료〉 ~ 끝."
    )
    actor = ActorFactory(
        slug="gumi-medical",
        name="Gumi Medical Devices Mini Cluster",
        name_ko="=구미 의료기기 미니클러스터",  # looks like a formula to a spreadsheet
        side="kr",
        country="KR",
        kind="mini-cluster",
        description="",
        description_ko=tricky,
        sectors=[sector],
    )
    before = actor_export_rows(queryset=Actor.objects.all(), include_contacts=True)
    data = actors_to_bytes(rows=before, fmt=fmt, include_contacts=True)
    if fmt == "csv":
        assert data.startswith("\ufeff".encode())  # "CSV UTF-8", as spreadsheets want it
    report = actor_import(data=data, filename=f"a.{fmt}", dry_run=True)
    assert report.errors == [] and [c.slug for c in report.unchanged] == ["gumi-medical"]
    with transaction.atomic():
        Actor.objects.all().delete()
        assert actor_import(data=data, filename=f"a.{fmt}", dry_run=False).errors == []
        again = Actor.objects.get(slug="gumi-medical")
        assert again.name_ko == actor.name_ko
        assert again.description_ko == tricky
        assert again.description_ko.encode() == tricky.encode()
        transaction.set_rollback(True)


def test_json_exports_carry_the_korean_fields_as_text(db):
    ActorFactory(slug="k", name="K Cluster", name_ko="케이 클러스터", description_ko=KO_DESCRIPTION)
    rows = actor_export_rows(queryset=Actor.objects.all(), include_contacts=False)
    [item] = json.loads(actors_to_bytes(rows=rows, fmt="json", include_contacts=False))
    assert (item["name_ko"], item["description_ko"]) == ("케이 클러스터", KO_DESCRIPTION)
