"""Issue 16, attacked: Korean profiles, search and import as hostile or confused people use them,
on SQLite and PostgreSQL alike."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from curation.transfer import actor_import
from directory.models import Actor
from matching.glossary import glossary
from tests.curation.test_import import csv_bytes, taxonomy, valid_row
from tests.factories import ActorFactory

__all__ = ["taxonomy"]  # a fixture of the import tests, used here too

# A Korean description copied out of a PDF, which loses the spaces: one run of Hangul.
PASTED = (
    "춘천바이오산업진흥원은강원도춘천에서바이오산업을육성하며의료기기와진단시약을개발하는"
    "중소기업에공동실험실과시제품생산시설을제공합니다"
)


def slugs(client, query: str) -> list[str]:
    response = client.get(reverse("actor_list"), {"q": query})
    assert response.status_code == 200
    return re.findall(r'data-slug="([^"]+)"', response.content.decode())


@pytest.mark.django_db
def test_korean_pasted_without_spaces_keeps_the_search_index_small_and_still_found(client):
    # Each suffix of the run used to be indexed: a 1,700-syllable run stored 1.5 million
    # characters, read on every directory page; a 10,000-syllable one, 54 million.
    text = (PASTED * 30)[:1700]
    actor = ActorFactory(
        slug="pasted", side="kr", country="KR", description="", description_ko=text
    )
    stored = Actor.objects.get(pk=actor.pk).search_korean
    assert len(stored) < 20 * len(text)
    # The words inside the run are still found, on both databases.
    assert slugs(client, "의료기기") == ["pasted"]
    assert slugs(client, "바이오산업") == ["pasted"]


@pytest.mark.django_db
def test_a_long_korean_noun_is_split_on_the_glossary_without_trying_every_piece():
    """A run of 1,000 syllables the analyser keeps as one noun used to be tried piece by piece
    (half a million lookups, seconds per profile at every index build)."""
    words = glossary()
    forms = words._forms()

    class Counting(dict):
        lookups = 0

        def get(self, key, default=None):
            Counting.lookups += 1
            return super().get(key, default)

    words._surfaces = Counting(forms)
    try:
        word = "바이오" + "가" * 1000
        links = words._compound(word, "NNG")
    finally:
        words._surfaces = forms
    assert Counting.lookups < 50 * len(word)
    assert links[0].korean == "바이오" and links[0].entry is not None
    assert "".join(link.korean for link in links) == word


KOREAN_TEXT = (
    "대구 물산업 클러스터는 국가물산업클러스터를 중심으로 정수 처리와 하수 처리, 막 여과 기술을 "
    "개발하는 기업의 실증과 해외 진출을 돕습니다."
)


@pytest.mark.django_db
def test_korean_labels_import_for_a_curator_reading_english(taxonomy):
    """The Korean page's words for side, kind and status (한국, 대학, 게시됨), typed by a Korean
    curator, import for an English one and from the command line, as sectors' Korean labels
    always did."""
    row = valid_row(
        "daegu-water",
        side="한국",
        country="KR",
        kind="대학",
        status="게시됨",
        description="",
        description_ko=KOREAN_TEXT,
    )
    with translation.override("en"):
        report = actor_import(data=csv_bytes([row]), filename="labels.csv", dry_run=False)
    assert report.errors == []
    actor = Actor.objects.get(slug="daegu-water")
    assert (actor.side, actor.kind, actor.status) == ("kr", "university", "published")


@pytest.mark.django_db
def test_a_korean_excel_csv_is_named_as_such_and_nothing_is_written(taxonomy):
    """Excel's plain 'CSV' on a Korean Windows writes CP949: the message says so and what to
    choose instead, in the reader's language."""
    row = valid_row("daegu-water", side="kr", country="KR", name_ko="대구 물산업 클러스터")
    data = csv_bytes([row]).decode("utf-8").encode("cp949")
    with translation.override("en"):
        errors = actor_import(data=data, filename="기관.csv", dry_run=False).errors
    assert errors == [
        "The file is Korean text in the Windows Korean encoding (CP949, EUC-KR), which "
        "Excel's plain 'CSV' writes, not UTF-8. Save it as 'CSV UTF-8' or as XLSX."
    ]
    with translation.override("ko"):
        errors = actor_import(data=data, filename="기관.csv", dry_run=False).errors
    assert "Windows 한국어 인코딩(CP949, EUC-KR)" in errors[0]
    assert not Actor.objects.filter(slug="daegu-water").exists()
    # Other bytes that are no UTF-8 keep the general message.
    assert actor_import(data=b"\xff\xfe\x00bad", filename="a.csv", dry_run=False).errors == [
        "The file is not UTF-8 text (byte 1 cannot be read). Save it as 'CSV UTF-8' or as XLSX."
    ]
