"""The structure page, its export and the actor page's place in the tree (issue 16, point 5)."""

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse
from django.utils import translation

from directory.models import Actor, Partnership, PartnershipKind
from directory.permissions import CURATORS_GROUP
from directory.structure import ancestry, structure_tree
from tests.factories import ActorFactory, RegionFactory, SectorFactory, UserFactory

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
STRUCTURE = "/directory/structure/"


def _demo_rows() -> list[dict]:
    rows = []
    for path in sorted(DEMO.glob("*.yaml")):
        rows.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return rows


def _nodes_by_slug(structure) -> dict:
    found = {}
    stack = [*structure.korea_bodies, *(n for g in structure.korea_regions for n in g.nodes)]
    for group in structure.europe_countries:
        stack.extend(group.networks + group.nodes)
    while stack:
        node = stack.pop()
        found[node.slug] = node
        stack.extend(node.children)
    return found


def _curator():
    user = UserFactory(username="structure-curator")
    user.groups.add(Group.objects.get_or_create(name=CURATORS_GROUP)[0])
    return user


def _korean(**fields):
    return ActorFactory(side="kr", country="KR", city="Gumi", **fields)


def _section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


# -- the demo tree ---------------------------------------------------------------------------


def test_demo_tree_runs_motie_kicox_complexes_mini_clusters_with_the_fixtures_counts(
    demo_directory,
):
    rows = _demo_rows()
    published = {row["slug"] for row in rows if row.get("status", "published") == "published"}
    minis_of = Counter(
        row["parent"]
        for row in rows
        if row["kind"] == "mini-cluster" and row.get("parent") and row["slug"] in published
    )
    kicox_complexes = [
        row["slug"]
        for row in rows
        if row["kind"] == "industrial-complex" and row.get("parent") == "kicox"
    ]
    structure, _filter = structure_tree(user=AnonymousUser())
    nodes = _nodes_by_slug(structure)

    assert structure.korea_bodies[0].slug == "motie"  # the body with the most under it
    motie, kicox = nodes["motie"], nodes["kicox"]
    assert kicox in motie.children
    assert kicox.complexes == len(kicox_complexes) == 48
    assert kicox.mini_clusters == sum(minis_of[slug] for slug in kicox_complexes)
    assert motie.complexes == kicox.complexes + sum(
        1 for row in rows if row["kind"] == "industrial-complex" and row.get("parent") == "motie"
    )
    for complex_slug, count in minis_of.items():
        assert nodes[complex_slug].mini_clusters == count, complex_slug
    assert nodes["gumi-national-industrial-complex"].mini_clusters == 7
    # Korea's totals: every complex and Mini Cluster of the fixtures, once
    kinds = Counter(row["kind"] for row in rows if row["side"] == "kr")
    assert structure.korea_complexes == kinds["industrial-complex"]
    assert structure.korea_mini_clusters == kinds["mini-cluster"]

    # The Gyeongbuk group under KICOX counts its complexes and their Mini Clusters.
    gyeongbuk = next(g for g in kicox.complex_regions if g.key == "kr-gyeongbuk")
    expected = [s for s in kicox_complexes if nodes[s].region.code == "kr-gyeongbuk"]
    assert gyeongbuk.complexes == len(expected)
    assert gyeongbuk.mini_clusters == sum(minis_of[s] for s in expected)
    assert gyeongbuk.count_text == (
        f"{len(expected)} industrial complexes, {gyeongbuk.mini_clusters} Mini Clusters"
    )


def test_structure_page_lists_the_tree_with_counts_links_and_korean_names(client, demo_directory):
    html = client.get(STRUCTURE).content.decode()
    korea = _section(html, 'id="structure-korea"', 'id="structure-europe"')
    motie = korea.index('href="/actors/motie/"')
    kicox = korea.index('href="/actors/kicox/"')
    gumi = korea.index('href="/actors/gumi-national-industrial-complex/"')
    mobile = korea.index('href="/actors/gumi-mobile-mini-cluster/"')
    assert motie < kicox < gumi < mobile
    assert "48 industrial complexes" in korea
    gumi_line = korea[gumi : korea.index("</summary>", gumi)]
    assert '<span class="name-alt" lang="ko">구미국가산업단지</span>' in gumi_line
    assert "7 Mini Clusters" in gumi_line
    # The region groups name the province in both languages and its 5+2 economic region.
    assert (
        '<strong>Gyeongsangbuk-do (North Gyeongsang)</strong> <span class="name-alt" lang="ko">'
        "경상북도</span>"
    ) in korea
    assert "Daegyeong region" in korea
    # Universities and other unattached actors, by region
    others = korea[korea.index("Other organisations by region") :]
    assert 'href="/actors/kyungpook-national-university/"' in others
    # Collapsible without a script
    assert "<details" in korea and "<summary>" in korea and "<script" not in korea
    # Europe: by country, a network with its member
    europe = html[html.index('id="structure-europe"') :]
    belgium = europe[europe.index("<strong>Belgium</strong>") :]
    eureka = belgium.index('href="/actors/eureka/"')
    assert eureka < belgium.index('href="/actors/itea/"')
    netherlands = europe[europe.index("<strong>Netherlands</strong>") :]
    assert "Listed under a network or body based elsewhere" in netherlands.split("</details>")[0]


def test_home_and_directory_link_to_the_structure(client, db):
    assert f'href="{STRUCTURE}"' in client.get("/").content.decode()
    assert f'href="{STRUCTURE}"' in client.get("/actors/").content.decode()


# -- visibility ------------------------------------------------------------------------------


@pytest.fixture
def draft_complex(db):
    region = RegionFactory(code="kr-gyeongbuk", name="Gyeongsangbuk-do", country="KR")
    agency = _korean(slug="kicox", name="KICOX Agency", kind="cluster-agency", region=region)
    draft = _korean(
        slug="draft-complex",
        name="Draft Complex Hidden",
        kind="industrial-complex",
        parent=agency,
        region=region,
        status="draft",
    )
    mini = _korean(
        slug="mini", name="Visible Mini Cluster", kind="mini-cluster", parent=draft, region=region
    )
    return agency, draft, mini


def test_drafts_are_hidden_from_visitors_and_shown_to_curators(client, draft_complex):
    html = client.get(STRUCTURE).content.decode()
    assert "Draft Complex Hidden" not in html
    # Its published Mini Cluster stays listed, by region, without the hidden parent.
    others = html[html.index("Other organisations by region") :]
    assert 'href="/actors/mini/"' in others
    client.force_login(_curator())
    html = client.get(STRUCTURE).content.decode()
    assert html.index('href="/actors/draft-complex/"') < html.index('href="/actors/mini/"')
    assert '<span class="badge status-draft">Draft</span>' in html
    export = client.get(reverse("directory_structure_export")).content.decode("utf-8-sig")
    assert "Draft Complex Hidden" in export


# -- loops -----------------------------------------------------------------------------------


def test_ancestry_stops_at_a_loop_and_names_it():
    parents = {1: 2, 2: 3, 3: 2}
    walk = ancestry(start=1, parent_of=parents.get)
    assert walk.parents == [2, 3]
    assert walk.loop == [2, 3]
    assert ancestry(start=4, parent_of={4: 5}.get).loop == []


def test_a_loop_of_parents_neither_hangs_nor_hides_its_actors(client, db):
    first = _korean(slug="loop-a", name="Loop Agency A", kind="cluster-agency")
    second = _korean(slug="loop-b", name="Loop Agency B", kind="government-body", parent=first)
    # What a bad import can write: A's parent is B, whose parent is A.
    Actor.objects.filter(pk=first.pk).update(parent=second)
    html = client.get(STRUCTURE).content.decode()
    assert 'href="/actors/loop-a/"' in html and 'href="/actors/loop-b/"' in html
    assert "go round in a circle" not in html  # curators' business
    page = client.get(first.get_absolute_url())
    assert page.status_code == 200
    crumbs = _crumbs(page.content.decode())
    assert crumbs == ["Loop Agency B", "Loop Agency A"]
    client.force_login(_curator())
    html = client.get(STRUCTURE).content.decode()
    assert "These parent links go round in a circle:" in html
    assert "go round in a circle" in client.get(first.get_absolute_url()).content.decode()


# -- the breadcrumb --------------------------------------------------------------------------


def _crumbs(html: str) -> list[str]:
    nav = re.search(
        r'<nav class="place-crumbs" aria-label="Place in the structure">(.*?)</nav>', html, re.S
    )
    assert nav, "no breadcrumb"
    items = re.findall(r"<li>(.*?)</li>", nav.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


def test_breadcrumb_shows_the_real_chain_from_the_top(client, demo_directory):
    html = client.get("/actors/gumi-mobile-mini-cluster/").content.decode()
    assert _crumbs(html) == [
        "Ministry of Trade, Industry and Energy",
        "Korea Industrial Complex Corporation",
        "Gumi National Industrial Complex",
        "Gumi Mobile Mini Cluster",
    ]
    start = html.index('class="place-crumbs"')
    nav = html[start : html.index("</nav>", start)]
    assert "<ol>" in nav and 'aria-current="page"' in nav
    assert 'href="/actors/kicox/"' in nav
    assert 'href="/actors/gumi-national-industrial-complex/"' in nav
    # The old single "Part of" line is gone; the complex's page lists its Mini Clusters.
    assert "Part of" not in html
    gumi = client.get("/actors/gumi-national-industrial-complex/").content.decode()
    section = gumi[gumi.index("Mini Clusters of this complex") :]
    assert "(7)" in section[:120]
    assert section.count('href="/actors/gumi-') >= 6


def test_breadcrumb_costs_one_query_for_four_levels(demo_directory, django_assert_num_queries):
    from directory.structure import actor_place

    mini = Actor.objects.get(slug="gumi-mobile-mini-cluster")
    # parents (one query for all three), children, partnerships
    with django_assert_num_queries(3):
        place = actor_place(actor=mini, user=AnonymousUser())
    assert [crumb.actor.slug for crumb in place.chain] == [
        "motie",
        "kicox",
        "gumi-national-industrial-complex",
    ]


def test_unpublished_parents_are_text_for_visitors(client, db):
    ministry = _korean(
        slug="ministry", name="Old Ministry", kind="government-body", status="archived"
    )
    agency = _korean(
        slug="agency",
        name="Secret Draft Agency",
        kind="cluster-agency",
        parent=ministry,
        status="draft",
    )
    complex_ = _korean(
        slug="complex", name="Some Complex", kind="industrial-complex", parent=agency
    )
    html = client.get(complex_.get_absolute_url()).content.decode()
    assert _crumbs(html) == ["Old Ministry Archived", "an unpublished profile", "Some Complex"]
    assert 'href="/actors/ministry/"' not in html and "Secret Draft Agency" not in html
    client.force_login(_curator())
    html = client.get(complex_.get_absolute_url()).content.decode()
    assert _crumbs(html) == ["Old Ministry Archived", "Secret Draft Agency Draft", "Some Complex"]
    assert 'href="/actors/agency/"' in html


# -- networks --------------------------------------------------------------------------------


def test_network_members_are_children_or_same_side_agreements(client, db):
    network = ActorFactory(slug="net", name="Water Network", kind="cluster-network", country="BE")
    ActorFactory(slug="child", name="Child Cluster", country="NL", parent=network)
    member = ActorFactory(slug="member", name="Agreement Cluster", country="FR")
    ActorFactory(slug="alone", name="Lonely Cluster", country="FR")
    korean = _korean(slug="kr-partner", name="Korean Partner Agency", kind="cluster-agency")
    for other in (member, korean):
        low, high = sorted([network, other], key=lambda a: a.pk)
        Partnership.objects.create(
            first=low, second=high, kind=PartnershipKind.AGREEMENT, source="MoU 2020"
        )
    structure, _filter = structure_tree(user=AnonymousUser())
    nodes = _nodes_by_slug(structure)
    assert [m.slug for m in nodes["net"].members] == ["member"]
    assert [p.slug for p in nodes["net"].partners] == ["kr-partner"]
    assert nodes["net"].count_text == "2 members or units"
    html = client.get(STRUCTURE).content.decode()
    europe = html[html.index('id="structure-europe"') :]
    start, end = europe.index("<strong>Belgium</strong>"), europe.index("<strong>France</strong>")
    belgium = europe[start:end]
    assert 'href="/actors/child/"' in belgium and 'href="/actors/member/"' in belgium
    assert "Partners in Korea" in belgium and 'href="/actors/kr-partner/"' in belgium
    france = europe[europe.index("<strong>France</strong>") :]
    assert 'href="/actors/alone/"' in france
    assert "Listed under a network or body based elsewhere" in france
    page = client.get("/actors/member/").content.decode()
    assert "Member of, by a documented agreement or cooperation:" in page
    assert 'href="/actors/net/"' in page


# -- filters, size, export -------------------------------------------------------------------


def test_region_filter_keeps_the_bodies_above_as_context(client, demo_directory):
    html = client.get(STRUCTURE, {"region": "kr-gyeongbuk"}).content.decode()
    assert 'href="/actors/gumi-mobile-mini-cluster/"' in html
    assert 'href="/actors/seoul-digital-national-industrial-complex/"' not in html
    assert re.search(r'<li id="a-kicox" class="context">', html)
    assert 'id="structure-europe"' in html and "No European actor matches these filters." in html
    assert "<strong>Korea</strong>" not in html  # the Korea heading is an h2, not a group
    only_eu = client.get(STRUCTURE, {"side": "eu"}).content.decode()
    assert 'id="structure-korea"' not in only_eu and 'href="/actors/eureka/"' in only_eu
    wrong = client.get(STRUCTURE, {"sector": "no-such-sector"}).content.decode()
    assert "Select a valid choice" in wrong and 'href="/actors/motie/"' not in wrong


def test_sector_filter(client, db):
    chips = SectorFactory(code="semiconductors", label="Semiconductors")
    agency = _korean(slug="agency", name="Agency", kind="cluster-agency")
    _korean(slug="chip-mini", name="Chip Mini", kind="mini-cluster", parent=agency, sectors=[chips])
    _korean(slug="food-mini", name="Food Mini", kind="mini-cluster", parent=agency)
    html = client.get(STRUCTURE, {"sector": "semiconductors"}).content.decode()
    assert 'href="/actors/chip-mini/"' in html and 'href="/actors/food-mini/"' not in html


def test_query_count_is_bounded_at_a_thousand_actors(client, db, django_assert_max_num_queries):
    def actor(n: int, **fields) -> Actor:
        return Actor(
            name=f"Actor {n:04d}",
            slug=f"actor-{n:04d}",
            description="A body of the synthetic structure.",
            status="published",
            **fields,
        )

    korean = {"side": "kr", "country": "KR"}
    agency = Actor.objects.bulk_create([actor(0, kind="cluster-agency", **korean)])[0]
    complexes = Actor.objects.bulk_create(
        [actor(n, kind="industrial-complex", parent=agency, **korean) for n in range(1, 41)]
    )
    minis = [
        actor(100 + i * 20 + j, kind="mini-cluster", parent=complexes[i], **korean)
        for i in range(40)
        for j in range(20)
    ]
    Actor.objects.bulk_create(minis)
    Actor.objects.bulk_create(
        [actor(2000 + n, kind="eu-cluster", side="eu", country="FR") for n in range(159)]
    )
    assert Actor.objects.count() == 1000
    with django_assert_max_num_queries(8):
        response = client.get(STRUCTURE)
    assert "40 industrial complexes, 800 Mini Clusters" in response.content.decode()
    with django_assert_max_num_queries(8):
        assert client.get(STRUCTURE, {"side": "kr"}).status_code == 200
    with django_assert_max_num_queries(4):
        export = client.get(reverse("directory_structure_export"))
    assert len(list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))) == 1001


def test_csv_export_has_path_name_kind_region_and_url(client, demo_directory):
    response = client.get(reverse("directory_structure_export"))
    assert response["Content-Type"].startswith("text/csv")
    assert "cluster-match-structure.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Path", "Name", "Korean name", "Kind", "Region", "Country", "URL"]
    by_name = {row[1]: row for row in rows[1:]}
    mobile = by_name["Gumi Mobile Mini Cluster"]
    assert mobile[0] == (
        "Korea / Ministry of Trade, Industry and Energy / Korea Industrial Complex Corporation"
        " / Gyeongsangbuk-do (North Gyeongsang) / Gumi National Industrial Complex"
        " / Gumi Mobile Mini Cluster"
    )
    assert mobile[3] == "Korean Mini Cluster"
    assert mobile[4] == "Gyeongsangbuk-do (North Gyeongsang)"
    assert mobile[6] == "http://testserver/actors/gumi-mobile-mini-cluster/"
    assert by_name["ITEA - EUREKA Cluster programme for software innovation"][0].startswith(
        "Europe / Belgium / EUREKA"
    )
    # Every published actor is in the export.
    assert {row[6].rsplit("/", 2)[-2] for row in rows[1:]} == set(
        Actor.objects.published().values_list("slug", flat=True)
    )
    # Filtered like the page
    gyeongbuk = client.get(reverse("directory_structure_export"), {"region": "kr-gyeongbuk"})
    assert "Seoul Digital" not in gyeongbuk.content.decode("utf-8-sig")


def test_structure_page_in_korean(client, demo_directory):
    client.cookies["django_language"] = "ko"
    html = client.get(STRUCTURE).content.decode()
    assert '<html lang="ko">' in html
    with translation.override("ko"):
        from django.utils.translation import gettext

        assert gettext("Structure of the directory") in html
    # Korean names first, the English ones marked as English
    assert (
        '산업통상자원부</a> <span class="name-alt" lang="en">'
        "Ministry of Trade, Industry and Energy</span>"
    ) in html
