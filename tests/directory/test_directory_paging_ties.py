"""Actors of the same name (or country, or kind) are paged in a set order: each shows on one
page, none is skipped. The directory's pages are cut by OFFSET (common/paging.py reads a
page's keys first); without the key as last order, PostgreSQL's top-N sort put the ties of
page 1 and page 2 in different orders."""

import re

import pytest
from django.db import connection

from directory.models import Actor
from tests.factories import ActorFactory


@pytest.fixture
def namesakes(db):
    for i in range(45):
        # Seven names for 45 actors: a cluster's regional branches, a duplicate not yet merged.
        ActorFactory(
            slug=f"namesake-{i}",
            name=f"Technopark {i % 7}",
            country="KR",
            side="kr",
            description="Science park for start-ups and research institutes. " * 20,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner's figures, as a live site has them
            cursor.execute("ANALYZE directory_actor")


@pytest.mark.parametrize(
    "query",
    [{}, {"sort": "name"}, {"sort": "-name"}, {"sort": "country"}, {"sort": "kind"},
     {"sort": "-updated_at"}, {"country": "KR"}, {"q": "Technopark"},
     {"q": "Technopark", "sort": "name"}],
)  # fmt: skip
def test_every_actor_is_on_exactly_one_page(client, namesakes, query):
    seen = []
    for page in (1, 2, 3):
        html = client.get("/actors/", {**query, "page": page}).content.decode()
        seen += re.findall(r'class="card actor-card" data-slug="([^"]+)"', html)
    assert sorted(seen) == sorted(Actor.objects.published().values_list("slug", flat=True))
