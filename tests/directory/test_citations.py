"""Sources named as a person would cite them, and when a profile was last verified."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from directory.citations import citations_from, source_documents, source_documents_load
from directory.models import Actor, SourceDocument
from directory.verification import verification_of
from tests.factories import ActorFactory, UserFactory

RAW_KEY = re.compile(r"_[0-9a-f]{16}\.txt")


@pytest.fixture
def documents(db):
    source_documents_load()
    return {d.key: d for d in SourceDocument.objects.all()}


@pytest.mark.parametrize(
    ("key", "title", "publisher", "year"),
    [
        (
            "000_3ec0da48844ca2a2.txt",
            "Preparatory Briefing on the Republic of Korea",
            "European Cluster Collaboration Platform (ECCP), inno TSD",
            2018,
        ),
        (
            "001_3a44c826291e2f8f.txt",
            "Innovation-driven cluster development strategies in Korea",
            "Sam Ock Park and Yangmi Koo, European Review of Industrial Economics and Policy",
            2012,
        ),
        (
            "002_7ae1ff3c46637eba.txt",
            "EU-South Korea cluster cooperation (discussion paper)",
            "European Cluster Collaboration Platform (ECCP)",
            2017,
        ),
        (
            "003_f5bf354a2b80925f.txt",
            "The Industrial Cluster Program of Korea",
            "Korea Industrial Complex Corporation (KICOX)",
            None,
        ),
        (
            "004_d0b35ecc233ad65f.txt",
            "Development Plan for National High-tech Cluster",
            "Invest Korea",
            2023,
        ),
    ],
)
def test_each_seed_document_is_cited_by_title_publisher_and_year(
    documents, key, title, publisher, year
):
    [citation] = citations_from(f"{key} (Annex 5.4; section 1.3)", documents=documents)
    assert (citation.kind, citation.title, citation.publisher, citation.year) == (
        "document",
        title,
        publisher,
        year,
    )
    assert citation.locator == "Annex 5.4, section 1.3"


def test_the_public_paper_links_to_its_open_archive(documents):
    [citation] = citations_from("001_3a44c826291e2f8f.txt (section 4.2)", documents=documents)
    assert citation.url == "https://hal.science/hal-03636813"


def test_several_documents_web_addresses_and_notes_in_one_source(documents):
    source = (
        "https://www.agit.de/agit/aktuelles/details/x; Korean visitors: KIAT in "
        "000_3ec0da48844ca2a2.txt, Ministry of SMEs and Startups in 001_3a44c826291e2f8f.txt; "
        "002_7ae1ff3c46637eba.txt, lines 177-262; interview with the cluster manager"
    )
    web, kiat, mss, paper, words = citations_from(source, documents=documents)
    assert (web.kind, web.publisher, web.url) == (
        "web",
        "agit.de",
        "https://www.agit.de/agit/aktuelles/details/x",
    )
    assert (kiat.note, kiat.year) == ("Korean visitors: KIAT", 2018)
    assert (mss.note, mss.year) == ("Ministry of SMEs and Startups", 2012)
    assert (paper.year, paper.locator) == (2017, "lines 177-262")
    assert (words.kind, words.text) == ("text", "interview with the cluster manager")


@pytest.mark.parametrize(
    "address", ["javascript:alert(document.cookie)", "data:text/html,<script>x</script>"]
)
def test_a_script_address_is_text_never_a_link(client, documents, address):
    actor = ActorFactory(slug="tricky", source=f"{address}; 000_3ec0da48844ca2a2.txt")
    [shown, _] = citations_from(actor.source, documents=documents)
    assert (shown.kind, shown.url) == ("text", "")
    html = client.get(actor.get_absolute_url()).content.decode()
    sources = html.split('id="sources"')[1].split("</section>")[0]
    assert 'href="javascript:' not in sources and 'href="data:' not in sources
    assert "javascript:alert(document.cookie)" in sources or "data:text/html" in sources


def test_an_unregistered_seed_key_is_never_shown(client, db):
    actor = ActorFactory(slug="unknown-doc", source="999_0123456789abcdef.txt (page 3)")
    html = client.get(actor.get_absolute_url()).content.decode()
    assert not RAW_KEY.search(html)
    assert "A source document not yet registered" in html


def test_actor_page_lists_readable_citations_with_links(client, documents):
    actor = ActorFactory(
        slug="gumi",
        source="000_3ec0da48844ca2a2.txt (Annex 5.4; section 1.3); https://www.kicox.or.kr/en/page",
    )
    html = client.get(actor.get_absolute_url()).content.decode()
    sources = html.split('id="sources"')[1].split("</section>")[0]
    assert "<h2>Sources</h2>" in sources
    assert (
        "<cite>Preparatory Briefing on the Republic of Korea</cite> — <span>European Cluster "
        "Collaboration Platform (ECCP), inno TSD</span>, 2018, "
        '<span class="citation-locator">Annex 5.4, section 1.3</span>'
    ) in sources
    assert '<a href="https://www.kicox.or.kr/en/page" rel="noopener nofollow">kicox.or.kr</a>' in (
        sources
    )
    assert not RAW_KEY.search(html)


def test_korean_page_shows_the_same_citations(client, documents):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    actor = ActorFactory(slug="gumi", side="kr", country="KR", source="004_d0b35ecc233ad65f.txt")
    html = client.get(actor.get_absolute_url()).content.decode()
    assert "<h2>출처</h2>" in html
    # The document keeps its English title, marked so that a Korean screen reader switches voice.
    assert (
        '<cite lang="en">Development Plan for National High-tech Cluster</cite> — '
        '<span lang="en">Invest Korea</span>, 2023'
    ) in html


def test_a_korean_document_is_marked_korean_on_an_english_page(client, db):
    SourceDocument.objects.create(
        key="kicox-2024", title="2024 산업단지 통계", publisher="한국산업단지공단", year=2024
    )
    actor = ActorFactory(slug="kicox", side="kr", country="KR", source="kicox-2024 (p. 3)")
    html = client.get(actor.get_absolute_url()).content.decode()
    assert (
        '<cite lang="ko">2024 산업단지 통계</cite> — <span lang="ko">한국산업단지공단</span>, 2024'
    ) in html


def test_sources_load_is_idempotent_and_keeps_curators_documents(documents):
    SourceDocument.objects.create(key="kotra-2024", title="A curator's document")
    SourceDocument.objects.filter(key="000_3ec0da48844ca2a2.txt").update(title="Changed")
    source_documents_load()
    assert SourceDocument.objects.count() == 6
    assert SourceDocument.objects.get(key="000_3ec0da48844ca2a2.txt").title == (
        "Preparatory Briefing on the Republic of Korea"
    )


def test_no_raw_key_on_any_demo_page(demo_directory, client):
    curator = UserFactory(username="curator")
    client.force_login(curator)
    actors = list(Actor.objects.values_list("slug", "source"))
    assert sum(bool(RAW_KEY.search(source)) for _, source in actors) > 100
    documents = source_documents()
    # Every demo source reads as citations without a key in them ...
    for slug, source in actors:
        shown = " ".join(
            f"{c.title} {c.publisher} {c.locator} {c.note} {c.text}"
            for c in citations_from(source, documents=documents)
        )
        assert not RAW_KEY.search(shown), slug
    # ... and the page shows them so: one profile for each way the demo writes its sources
    # (which documents, with or without locators, notes and addresses), not all 400 pages.
    shapes = {}
    for slug, source in actors:
        shape = (
            tuple(sorted(set(RAW_KEY.findall(source)))),
            "(" in source,
            ";" in source,
            "http" in source,
        )
        shapes.setdefault(shape, slug)
    assert len(shapes) > 10
    for slug in shapes.values():
        html = client.get(reverse("actor_detail", args=[slug])).content.decode()
        assert not RAW_KEY.search(html), slug


def test_demo_actors_carry_a_verification_date(demo_directory):
    assert not Actor.objects.filter(last_verified__isnull=True).exists()


# -- last verified ---------------------------------------------------------------------------


def test_stale_after_a_year():
    today = dt.date(2026, 12, 7)
    assert not verification_of(last_verified=dt.date(2026, 3, 3), today=today).stale
    assert not verification_of(last_verified=dt.date(2025, 12, 7), today=today).stale
    assert verification_of(last_verified=dt.date(2025, 12, 6), today=today).stale
    leap = verification_of(last_verified=dt.date(2023, 2, 27), today=dt.date(2024, 2, 29))
    assert leap.stale
    assert verification_of(last_verified=None, today=today).date is None


def test_last_verified_in_english_and_korean(client, db):
    actor = ActorFactory(slug="checked", last_verified=dt.date(2026, 3, 3))
    html = client.get(actor.get_absolute_url()).content.decode()
    assert "<dt>Last verified</dt><dd>3 Mar 2026</dd>" in html
    assert "More than a year ago" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    html = client.get(actor.get_absolute_url()).content.decode()
    assert "<dt>최종 확인일</dt><dd>2026년 3월 3일</dd>" in html


def test_never_verified_and_stale_profiles_say_so(client, db):
    never = ActorFactory(slug="never", last_verified=None)
    old = ActorFactory(slug="old", last_verified=dt.date(2020, 5, 1))
    assert "Not yet verified by a curator" in client.get(never.get_absolute_url()).content.decode()
    html = client.get(old.get_absolute_url()).content.decode()
    assert "<dd>1 May 2020</dd>" in html
    assert "More than a year ago: some facts may have changed since." in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    html = client.get(old.get_absolute_url()).content.decode()
    assert "1년 이상 지났습니다." in html and "More than a year ago" not in html
    never_html = client.get(never.get_absolute_url()).content.decode()
    assert "아직 큐레이터가 확인하지 않았습니다" in never_html


def test_a_curator_marks_a_profile_verified_today_and_history_says_who(client, cast):
    from django.utils import timezone

    cast.actor.last_verified = dt.date(2020, 1, 1)
    cast.actor.save()
    client.force_login(cast.curator)
    page = client.get(cast.actor.get_absolute_url()).content.decode()
    assert "Mark as verified today" in page
    response = client.post(reverse("actor_verify", args=[cast.actor.slug]))
    assert response.status_code == 302
    cast.actor.refresh_from_db()
    assert cast.actor.last_verified == timezone.localdate()
    latest = cast.actor.history.first()
    assert latest.history_user == cast.curator
    assert "verified" in latest.history_change_reason


def test_a_manager_cannot_mark_verified(client, cast):
    cast.actor.last_verified = dt.date(2020, 1, 1)
    cast.actor.save()
    client.force_login(cast.manager)
    page = client.get(cast.actor.get_absolute_url()).content.decode()
    assert "Mark as verified today" not in page
    assert client.post(reverse("actor_verify", args=[cast.actor.slug])).status_code == 404
    cast.actor.refresh_from_db()
    assert cast.actor.last_verified == dt.date(2020, 1, 1)


def test_exports_keep_the_source_text_as_written(documents):
    from curation.transfer.export import export_row

    source = "000_3ec0da48844ca2a2.txt (Annex 5.4; section 1.3); https://www.kicox.or.kr/en"
    actor = ActorFactory(slug="exported", source=source)
    assert export_row(actor, include_contacts=False)["source"] == source


def test_an_address_inside_words_is_linked_and_a_script_one_is_not(client, db):
    actor = ActorFactory(
        slug="mixed", source="Gumi-Lyon MoU, https://example.org/mou.pdf; see javascript:alert(1)"
    )
    html = client.get(actor.get_absolute_url()).content.decode()
    sources = html.split('id="sources"')[1].split("</section>")[0]
    assert 'Gumi-Lyon MoU, <a href="https://example.org/mou.pdf" rel="nofollow">' in sources
    assert "see javascript:alert(1)" in sources and 'href="javascript' not in sources
