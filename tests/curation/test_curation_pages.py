"""The curators' pages: who may open them, the merge in two POSTs, completeness and stale lists."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from curation.duplicates import directory_duplicates
from curation.views.duplicates import DUPLICATES_SHOWN
from directory.models import Actor, MergeRecord, PendingChange
from events.models import Participant
from tests.factories import ActorFactory, ContactFactory, EventFactory, InterestFactory

PAGES = ["curation_duplicates", "curation_quality"]
LONG = " ".join(["vaccines diagnostics biomanufacturing"] * 25)


@pytest.fixture
def twins(cast):
    """Two records of one cluster; the second is the more complete."""
    cast.sparse = ActorFactory(
        slug="lyon-biopole", name="Lyon Biopôle", description="Life-science cluster.", city=""
    )
    cast.rich = ActorFactory(
        slug="lyonbiopole",
        name="Lyonbiopole",
        description=LONG,
        website="https://www.lyonbiopole.com",
        keywords="vaccines; diagnostics",
        source="seed 001",
    )
    ContactFactory(actor=cast.rich, name="Louis Pasteur")
    return cast


def merge_data(keep, first, second, **extra):
    return {"first": first.pk, "second": second.pk, "keep": keep.pk, **extra}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 404), ("other_manager", 404), ("organiser", 404), ("curator", 200)],
)
def test_pages_are_for_curators_only(client, cast, name, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(reverse(name)).status_code == status


@pytest.mark.parametrize("name", [*PAGES, "curation_merge"])
def test_anonymous_visitors_are_sent_to_log_in(client, cast, name):
    response = client.get(reverse(name)) if name != "curation_merge" else client.post(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_prefix_is_curation():
    assert reverse("curation_duplicates") == "/curation/duplicates/"
    assert reverse("curation_merge") == "/curation/merge/"
    assert reverse("curation_quality") == "/curation/quality/"


def test_merge_is_post_only_and_for_curators(client, twins):
    client.force_login(twins.curator)
    assert client.get(reverse("curation_merge")).status_code == 405
    client.force_login(twins.manager)
    data = merge_data(twins.rich, twins.rich, twins.sparse, confirm="1")
    assert client.post(reverse("curation_merge"), data).status_code == 404
    assert Actor.objects.filter(pk=twins.sparse.pk).exists()


def test_duplicates_page_lists_pairs_with_reasons_and_proposes_the_richer(client, twins):
    client.force_login(twins.curator)
    response = client.get(reverse("curation_duplicates"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 1
    row = rows[0]
    assert {row["pair"].first, row["pair"].second} == {twins.sparse, twins.rich}
    assert row["keep"] == twins.rich.pk  # the more complete one
    html = response.content.decode()
    assert "names 100% alike: &#x27;Lyon Biopôle&#x27; / &#x27;Lyonbiopole&#x27;" in html
    assert f'value="{twins.rich.pk}" checked' in html
    assert 'action="/curation/merge/"' in html
    assert "csrfmiddlewaretoken" in html


def test_duplicates_page_reflects_every_change_to_the_directory(client, twins):
    """The pairs are worked out once per state of the directory, and again after any change."""
    client.force_login(twins.curator)

    def pairs() -> set[tuple[str, str]]:
        rows = client.get(reverse("curation_duplicates")).context["rows"]
        return {(row["pair"].first.slug, row["pair"].second.slug) for row in rows}

    assert pairs() == pairs() == {("lyon-biopole", "lyonbiopole")}
    # Worked out once: a second look reuses the first one's pairs.
    assert directory_duplicates(limit=DUPLICATES_SHOWN) is directory_duplicates(
        limit=DUPLICATES_SHOWN
    )
    twins.rich.name = "Grenoble Microelectronics"
    twins.rich.website = ""
    twins.rich.save()
    assert pairs() == set()
    twin = ActorFactory(slug="lyon-biopole-again", name="Lyon Biopôle")
    assert pairs() == {("lyon-biopole", "lyon-biopole-again")}
    # A bulk update bypasses save() and its signals; the page follows it all the same.
    Actor.objects.filter(pk=twin.pk).update(status="archived")
    assert pairs() == set()


def test_merge_confirmation_then_merge(client, twins):
    client.force_login(twins.curator)
    first, second = twins.sparse, twins.rich
    response = client.post(reverse("curation_merge"), merge_data(twins.rich, first, second))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.keep == twins.rich and plan.remove == twins.sparse
    html = response.content.decode()
    assert "Merge Lyon Biopôle into Lyonbiopole?" in html
    assert 'data-field="description" data-winner="kept"' in html
    assert 'data-field="city" data-winner="kept"' in html
    assert "Merge and delete lyon-biopole" in html
    assert Actor.objects.filter(pk=twins.sparse.pk).exists()  # nothing done yet

    response = client.post(
        reverse("curation_merge"), merge_data(twins.rich, first, second, confirm="1"), follow=True
    )
    assert response.redirect_chain[-1][0] == "/actors/lyonbiopole/"
    assert "Lyon Biopôle (lyon-biopole) was merged into Lyonbiopole." in response.content.decode()
    assert not Actor.objects.filter(pk=twins.sparse.pk).exists()
    record = MergeRecord.objects.get()
    assert record.kept == twins.rich and record.merged_by == twins.curator


def test_keeping_the_other_one(client, twins):
    client.force_login(twins.curator)
    data = merge_data(twins.sparse, twins.sparse, twins.rich, confirm="1")
    response = client.post(reverse("curation_merge"), data)
    assert response["Location"] == "/actors/lyon-biopole/"
    keep = Actor.objects.get(pk=twins.sparse.pk)
    assert keep.website == "https://www.lyonbiopole.com" and keep.description == LONG


def test_same_event_conflict_is_explained_and_nothing_changes(client, twins):
    event = EventFactory(slug="bio-korea", name="BIO KOREA matchmaking")
    Participant.objects.create(event=event, actor=twins.sparse)
    Participant.objects.create(event=event, actor=twins.rich)
    client.force_login(twins.curator)
    data = merge_data(twins.rich, twins.sparse, twins.rich)
    response = client.post(reverse("curation_merge"), data)
    html = response.content.decode()
    assert "cannot be done yet" in html and "BIO KOREA matchmaking" in html
    assert "Merge and delete" not in html
    response = client.post(reverse("curation_merge"), {**data, "confirm": "1"})
    assert response.status_code == 200
    assert "BIO KOREA matchmaking" in response.content.decode()
    assert Actor.objects.filter(pk=twins.sparse.pk).exists()
    assert not MergeRecord.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"first": "1", "second": "1", "keep": "1"},
        {"keep": "1"},
        {"first": "999999", "second": "999998", "keep": "999999"},
    ],
)
def test_bad_merge_requests_go_back_to_the_list(client, twins, data):
    client.force_login(twins.curator)
    response = client.post(reverse("curation_merge"), data)
    assert response.status_code == 302 and response["Location"] == "/curation/duplicates/"
    assert Actor.objects.count() == 5


def test_keep_must_be_one_of_the_two(client, twins):
    client.force_login(twins.curator)
    data = merge_data(twins.actor, twins.sparse, twins.rich, confirm="1")
    response = client.post(reverse("curation_merge"), data, follow=True)
    assert "Choose which of the two profiles to keep." in response.content.decode()
    assert Actor.objects.filter(pk=twins.sparse.pk).exists()


def test_merge_needs_the_csrf_token(twins):
    client = Client(enforce_csrf_checks=True)
    client.force_login(twins.curator)
    data = merge_data(twins.rich, twins.sparse, twins.rich, confirm="1")
    assert client.post(reverse("curation_merge"), data).status_code == 403
    assert Actor.objects.filter(pk=twins.sparse.pk).exists()

    page = client.get(reverse("curation_duplicates"))
    token = page.cookies["csrftoken"].value
    response = client.post(reverse("curation_merge"), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not Actor.objects.filter(pk=twins.sparse.pk).exists()


def test_quality_page_lowest_first_with_missing_items(client, twins):
    client.force_login(twins.curator)
    response = client.get(reverse("curation_quality"))
    assert response.status_code == 200
    rows = list(response.context["page"])
    scores = [q.score for _, q in rows]
    assert scores == sorted(scores)
    assert len(rows) == Actor.objects.count()
    html = response.content.decode()
    assert "description under 20 words" in html and "the ranking reads it" in html
    assert reverse("admin:directory_actor_change", args=[twins.sparse.pk]) in html


def test_quality_page_filters_and_pages(client, cast):
    for i in range(55):
        ActorFactory(slug=f"kr-{i:02d}", name=f"Korean {i:02d}", side="kr", country="KR")
    ActorFactory(slug="draft-one", status="draft")
    client.force_login(cast.curator)
    url = reverse("curation_quality")
    first = client.get(url, {"side": "kr"})
    assert first.context["page"].paginator.count == 56  # 55 and the cast's Korean actor
    assert len(first.context["page"]) == 50
    second = client.get(url, {"side": "kr", "page": 2})
    assert len(second.context["page"]) == 6
    assert all(a.side == "kr" for a, _ in second.context["page"])
    assert "side=kr" in second.context["query_string"]
    drafts = client.get(url, {"status": "draft"})
    assert [a.slug for a, _ in drafts.context["page"]] == ["draft-one"]
    # A bad filter value is ignored rather than failing.
    assert client.get(url, {"side": "mars"}).status_code == 200


def test_stale_tab_lists_old_and_unverified_profiles(client, cast):
    Actor.objects.update(last_verified=datetime.date.today())
    ActorFactory(slug="old-one", name="Old One", last_verified=datetime.date(2019, 1, 1))
    ActorFactory(slug="never-one", name="Never One", last_verified=None)
    ActorFactory(slug="draft-old", status="draft", last_verified=None)
    client.force_login(cast.curator)
    response = client.get(reverse("curation_quality"), {"show": "stale"})
    assert [a.slug for a in response.context["page"]] == ["never-one", "old-one"]
    html = response.content.decode()
    assert "Not verified for 12 months" in html
    old = Actor.objects.get(slug="old-one")
    assert reverse("admin:directory_actor_change", args=[old.pk]) in html
    kr_only = client.get(reverse("curation_quality"), {"show": "stale", "side": "kr"})
    assert list(kr_only.context["page"]) == []
    bad_side = client.get(reverse("curation_quality"), {"show": "stale", "side": "mars"})
    assert bad_side.context["tab"] == "stale"
    assert len(bad_side.context["page"]) == 2


@pytest.mark.parametrize("name", PAGES)
def test_queries_do_not_grow_with_the_directory(client, cast, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.curator)

    def add_twins(prefix: str, count: int) -> None:
        for i in range(count):
            ActorFactory(slug=f"{prefix}-{i}-a", name=f"Zorblat {prefix} {i} Foundation")
            ActorFactory(slug=f"{prefix}-{i}-b", name=f"Zorblat {prefix} {i} Foundation.")

    add_twins("first", 2)
    client.get(reverse(name))  # build the ranking index outside the count
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    add_twins("second", 6)
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(name))
    if name == "curation_duplicates":
        assert len(response.context["rows"]) >= 8
    assert len(many) == len(few)


def _page_queries(client, url: str):
    """The queries of a second look at the page (the first builds the ranking index)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def _add_pending_changes(cast, sectors, *, count: int) -> None:
    """`count` managers' changes waiting, each on its own actor, touching every kind of field."""
    offered, _ = InterestFactory._meta.model.objects.get_or_create(
        code="market-access", defaults={"label": "Market access"}
    )
    for i in range(PendingChange.objects.count(), PendingChange.objects.count() + count):
        actor = ActorFactory(slug=f"waiting-{i}", name=f"Waiting Cluster {i}", sectors=sectors[:1])
        ContactFactory(actor=actor, name=f"Person {i}")
        PendingChange.objects.create(
            actor=actor,
            author=cast.manager,
            proposed={
                "description": f"New text {i}",
                "keywords": "vaccines",
                "website": "https://example.org",
                "sectors": [sectors[1].code],
                "offers": [offered.code],
                "seeks": [],
                "contacts": [{"name": f"Other {i}", "role": "", "email": "", "phone": ""}],
            },
        )


def _add_versions(actor, sectors, *, count: int) -> None:
    """`count` edits of the actor, each changing its city and swapping its one sector."""
    for i in range(count):
        actor.city = f"{actor.city} {i}"
        actor.save()
        first, second = sectors
        actor.sectors.set([second if actor.sectors.filter(pk=first.pk).exists() else first])


def test_review_queue_queries_do_not_grow_with_waiting_changes(client, cast, sectors):
    client.force_login(cast.curator)
    url = reverse("curation_review")
    _add_pending_changes(cast, sectors, count=3)
    few, response = _page_queries(client, url)
    assert len(response.context["changes"]) == 3
    _add_pending_changes(cast, sectors, count=6)
    many, response = _page_queries(client, url)
    assert len(response.context["changes"]) == 9
    # Each diff still names the sectors and interests as people read them.
    html = response.content.decode()
    assert html.count("Medical devices") == 9 and html.count("Market access") == 9
    assert many == few


def test_history_page_queries_do_not_grow_with_versions(client, cast, sectors):
    client.force_login(cast.curator)
    url = reverse("curation_history", args=[cast.actor.slug])
    _add_versions(cast.actor, sectors, count=3)
    few, response = _page_queries(client, url)
    versions = len(response.context["entries"])
    _add_versions(cast.actor, sectors, count=9)
    many, response = _page_queries(client, url)
    assert len(response.context["entries"]) == cast.actor.history.count() >= 3 * versions
    # The sector changes are listed by label, version after version.
    assert response.content.decode().count("<ins>Medical devices</ins>") == 6
    assert many == few


def test_a_pair_marked_different_leaves_the_list_and_can_be_put_back(client, twins):
    from directory.models import DistinctPair

    client.force_login(twins.curator)
    data = {"first": twins.rich.pk, "second": twins.sparse.pk}
    response = client.post(reverse("curation_distinct"), data, follow=True)
    assert "marked as different organisations" in response.content.decode()
    assert response.context["rows"] == []
    assert "Marked as different organisations" in response.content.decode()
    # Twice, either way round: still one record.
    client.post(reverse("curation_distinct"), {"first": twins.sparse.pk, "second": twins.rich.pk})
    assert DistinctPair.objects.count() == 1
    response = client.post(reverse("curation_distinct"), {**data, "undo": "1"}, follow=True)
    assert len(response.context["rows"]) == 1 and not DistinctPair.objects.exists()


@pytest.mark.parametrize("ids", [("abc", "1"), ("99999999999999", "1"), ("", ""), ("١", "1")])
def test_marking_a_pair_with_ids_that_name_no_actors_changes_nothing(client, twins, ids):
    from directory.models import DistinctPair

    client.force_login(twins.curator)
    response = client.post(reverse("curation_distinct"), {"first": ids[0], "second": ids[1]})
    assert response.status_code == 302
    assert not DistinctPair.objects.exists()


def test_a_pair_is_described_by_how_likely_it_is(twins):
    from curation.duplicates import DuplicatePair

    def words(score):
        return DuplicatePair(
            first=twins.rich, second=twins.sparse, score=score, reasons=()
        ).likelihood

    assert words(0.92) == "very likely the same"
    assert words(0.65) == "likely the same"
    assert words(0.5) == "possibly the same"
    assert words(0.35) == "worth a look"
