"""Paging a search in one pass: the same pages and totals as Django's paginator."""

import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.paging import KeysFirstPaginator, OnePassPaginator
from directory.models import Actor
from directory.search import actor_search


def pages_of(paginator_class, queryset, number):
    page = paginator_class(queryset, 2).get_page(number)
    return [a.slug for a in page], page.number, page.paginator.count, page.paginator.num_pages


@pytest.mark.parametrize("number", [1, 2, "3", None, "", "x", "0", "-1", 999, "2.0"])
def test_every_page_and_total_are_those_of_djangos_paginator(demo_directory, number):
    found = actor_search(queryset=Actor.objects.published(), text="bio")
    ranked = found.order_by("-rank", "name")
    assert found.count() > 4  # several pages of two
    assert pages_of(OnePassPaginator, ranked, number) == pages_of(Paginator, ranked, number)


def test_a_page_and_its_total_come_from_one_pass_over_the_matches(demo_directory):
    ranked = actor_search(queryset=Actor.objects.published(), text="bio").order_by("-rank")
    with CaptureQueriesContext(connection) as queries:
        page = OnePassPaginator(ranked, 3).get_page("2")
        shown = list(page)
        total = page.paginator.count
    assert len(shown) == 3 and total == ranked.count()
    # The keys and the total, then the three rows (their sectors are not prefetched here):
    # no COUNT of its own.
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 2 and not any(s.startswith("SELECT COUNT") for s in sql)


def test_a_distinct_query_is_counted_the_usual_way(demo_directory):
    duplicated = Actor.objects.filter(sectors__isnull=False)
    distinct = duplicated.distinct().order_by("name")
    assert duplicated.count() > distinct.count()  # the join repeats actors
    assert pages_of(OnePassPaginator, distinct, 1) == pages_of(Paginator, distinct, 1)


def test_the_directory_search_shows_the_right_total(client, demo_directory):
    expected = actor_search(queryset=Actor.objects.published(), text="water").count()
    html = client.get("/actors/?q=water").content.decode()
    assert re.search(r'<strong id="result-total">(\d+)</strong>', html).group(1) == str(expected)
    assert html.count('class="card actor-card"') == min(expected, 20)


# Page numbers a hostile address may carry (found by a review): digits to str.isdigit() that
# int() refuses, numbers past the database's integers, more digits than Python converts.
HOSTILE_PAGES = ["²", "³", "9" * 20, str(2**63), "9" * 5000, "١"]


@pytest.mark.parametrize("number", HOSTILE_PAGES, ids=lambda n: f"{len(n)}-chars-{ord(n[0]):x}")
def test_hostile_page_numbers_page_as_djangos_paginator_does(client, demo_directory, number):
    ranked = actor_search(queryset=Actor.objects.published(), text="bio").order_by("-rank", "name")
    assert pages_of(OnePassPaginator, ranked, number) == pages_of(Paginator, ranked, number)
    assert client.get("/actors/", {"q": "bio", "page": number}).status_code == 200


@pytest.mark.parametrize(
    "number", [1, 2, "3", None, "", "x", "0", "-1", 999, "2.0", *HOSTILE_PAGES]
)
@pytest.mark.parametrize("orphans", [0, 1])
def test_keys_first_pages_are_those_of_djangos_paginator(demo_directory, number, orphans):
    listed = Actor.objects.published().select_related("region", "parent").order_by("name")
    ours = KeysFirstPaginator(listed, 3, orphans=orphans).get_page(number)
    django = Paginator(listed, 3, orphans=orphans).get_page(number)
    assert [a.slug for a in ours] == [a.slug for a in django]
    assert (ours.number, ours.paginator.num_pages) == (django.number, django.paginator.num_pages)


def test_a_page_far_down_skips_keys_not_joined_rows(demo_directory):
    listed = Actor.objects.published().select_related("region", "parent").order_by("name")
    with CaptureQueriesContext(connection) as queries:
        shown = list(KeysFirstPaginator(listed, 2).page(3))
    skipping = [q["sql"] for q in queries.captured_queries if "OFFSET" in q["sql"]]
    # The one query that skips rows reads their keys only: no join, no description.
    assert len(skipping) == 1 and "JOIN" not in skipping[0] and "description" not in skipping[0]
    assert [a.slug for a in shown] == [a.slug for a in listed[4:6]]
    assert shown[0].region_id is None or shown[0].region is not None


def test_the_directory_pages_through_every_published_actor_by_name(client, demo_directory):
    expected = list(Actor.objects.published().order_by("name", "pk").values_list("slug", flat=True))
    assert len(expected) > 20  # two pages at least
    seen = []
    for number in range(1, (len(expected) + 19) // 20 + 1):
        html = client.get("/actors/", {"page": number}).content.decode()
        seen += re.findall(r'class="card actor-card" data-slug="([^"]+)"', html)
    assert seen == expected
