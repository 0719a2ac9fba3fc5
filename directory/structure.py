"""The directory as a tree: who is part of whom, for the structure page, its export and the
breadcrumb of each actor page. One rule for all three (docs/data-model.md, "Structure").

- **Parent** (`Actor.parent`) is the one link that builds the tree: a Mini Cluster's
  industrial complex, a complex's managing body (KICOX, MOTIE), an agency's ministry, a
  sub-network's network.
- **Member of a network**: an actor whose parent is a cluster network, or an actor of the same
  side tied to a cluster network by a documented partnership of kind *agreement* or
  *cooperation* (`MEMBERSHIP_KINDS`). Such a tie with an actor of the other side (EUREKA and
  MOTIE, TCI and KICOX) is a partnership across the two sides, not a membership: the network
  lists those as its partners on the other side. A tie between two networks makes neither a
  member of the other.
- **Visible**: the directory's rule (`Actor.objects.visible_to`): published actors for
  everyone, drafts and archived ones for curators. An actor whose parent the reader may not see
  stands at the top of its own branch.
- **Loops**: parent links that go round (A -> B -> A, which an import can write) are found by
  `ancestry` and cut at the loop's oldest actor, which then stands at the top of its branch;
  curators are told which actors loop.

The tree costs a fixed number of queries whatever its size (actors, partnerships, and the
filter's matches when there is a filter); the breadcrumb one query per four levels of parents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import django_filters
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries

from directory.choices import KINDS
from directory.models import (
    Actor,
    Kind,
    Partnership,
    PartnershipKind,
    Region,
    Sector,
    Side,
    Status,
)
from directory.roles import is_curator
from directory.rules import is_published

NETWORK = "cluster-network"
COMPLEX = "industrial-complex"
MINI_CLUSTER = "mini-cluster"
MEMBERSHIP_KINDS = (PartnershipKind.AGREEMENT, PartnershipKind.COOPERATION)
# Parents fetched per breadcrumb query (the actor's parent and three above it): the demo's
# deepest chain, Mini Cluster > complex > KICOX > MOTIE, costs one query.
BREADCRUMB_LEVELS_PER_QUERY = 4
_KIND_ORDER = {code: index for index, (code, _label) in enumerate(KINDS)}
_KIND_LABELS = dict(Kind.choices)
_STATUS_LABELS = dict(Status.choices)
_SLUG = "--slug--"


def kind_label(code: str) -> str:
    return str(_KIND_LABELS.get(code, code))


# ---------------------------------------------------------------------------------------------
# The one rule for walking up parent links


@dataclass(frozen=True)
class Ancestry:
    """The parents of an actor, nearest first, and the loop that stopped the walk if any."""

    parents: list[int]
    loop: list[int]


def ancestry(*, start: int, parent_of: Callable[[int], int | None]) -> Ancestry:
    """Walk up from `start` until an actor without parent, or until an actor comes round again
    (a loop in the data): then stop, and say which actors make the loop."""
    trail = [start]
    seen = {start}
    current = start
    while True:
        parent = parent_of(current)
        if parent is None:
            return Ancestry(parents=trail[1:], loop=[])
        if parent in seen:
            return Ancestry(parents=trail[1:], loop=trail[trail.index(parent) :])
        trail.append(parent)
        seen.add(parent)
        current = parent


# ---------------------------------------------------------------------------------------------
# The tree


@dataclass(frozen=True)
class RegionInfo:
    code: str
    name: str
    name_ko: str
    short_name: str
    economic_region: str


@dataclass(eq=False)
class Node:
    """One visible actor in the tree, with what the page shows about it."""

    id: int
    slug: str
    name: str
    name_ko: str
    acronym: str
    kind: str
    side: str
    status: str
    country: str
    region: RegionInfo | None
    parent_id: int | None
    url: str
    children: list[Node] = field(default_factory=list)
    # Same-side actors tied to this network by a documented agreement or cooperation.
    members: list[Node] = field(default_factory=list)
    # Other-side actors with such a tie: partners, listed but not counted as members.
    partners: list[Node] = field(default_factory=list)
    matched: bool = True
    complexes: int = 0
    mini_clusters: int = 0
    descendants: int = 0

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def status_label(self) -> str:
        return str(_STATUS_LABELS.get(self.status, self.status))

    @property
    def is_network(self) -> bool:
        return self.kind == NETWORK

    @property
    def complex_children(self) -> list[Node]:
        return [child for child in self.children if child.kind == COMPLEX]

    @property
    def unit_children(self) -> list[Node]:
        return [child for child in self.children if child.kind != COMPLEX]

    @property
    def complex_regions(self) -> list[Group]:
        """The industrial complexes below this actor, grouped by region (none: an empty list)."""
        return region_groups(self.complex_children)

    @property
    def has_body(self) -> bool:
        return bool(self.children or self.members or self.partners)

    @property
    def count_text(self) -> str:
        """ "48 industrial complexes, 66 Mini Clusters" in the reader's language."""
        members = self.descendants + len(self.members)
        return counts_text(
            complexes=self.complexes,
            mini_clusters=self.mini_clusters,
            others=members - self.complexes - self.mini_clusters,
        )


def counts_text(*, complexes: int, mini_clusters: int, others: int) -> str:
    parts = []
    if complexes:
        parts.append(
            ngettext("%(count)s industrial complex", "%(count)s industrial complexes", complexes)
            % {"count": number_format(complexes, force_grouping=True)}
        )
    if mini_clusters:
        parts.append(
            ngettext("%(count)s Mini Cluster", "%(count)s Mini Clusters", mini_clusters)
            % {"count": number_format(mini_clusters, force_grouping=True)}
        )
    if others and parts:
        parts.append(
            ngettext("%(count)s other member or unit", "%(count)s other members or units", others)
            % {"count": number_format(others, force_grouping=True)}
        )
    elif others:
        parts.append(
            ngettext("%(count)s member or unit", "%(count)s members or units", others)
            % {"count": number_format(others, force_grouping=True)}
        )
    return ", ".join(parts)


@dataclass(eq=False)
class Group:
    """Actors listed together under a heading: a region (Korea) or a country (Europe)."""

    key: str
    region: RegionInfo | None = None
    country: str = ""
    nodes: list[Node] = field(default_factory=list)
    # Europe: the country's networks and the rest; members of networks based elsewhere.
    networks: list[Node] = field(default_factory=list)
    elsewhere: list[tuple[Node, Node]] = field(default_factory=list)
    actors: int = 0

    @property
    def country_name(self) -> str:
        return str(countries.name(self.country)) if self.country else ""

    @property
    def complexes(self) -> int:
        return sum((n.kind == COMPLEX and n.matched) + n.complexes for n in self._all())

    @property
    def mini_clusters(self) -> int:
        return sum((n.kind == MINI_CLUSTER and n.matched) + n.mini_clusters for n in self._all())

    def _all(self) -> list[Node]:
        return self.networks + self.nodes

    @property
    def count_text(self) -> str:
        total = self.actors or sum(n.matched + n.descendants for n in self._all())
        complexes, minis = self.complexes, self.mini_clusters
        if complexes or minis:
            return counts_text(
                complexes=complexes, mini_clusters=minis, others=total - complexes - minis
            )
        return ngettext("%(count)s organisation", "%(count)s organisations", total) % {
            "count": number_format(total, force_grouping=True)
        }


def _region_sort_key(region: RegionInfo | None) -> tuple:
    # Regions by their 5+2 economic region, then name; actors without a region last.
    if region is None:
        return (1, "", "")
    return (0, region.economic_region, region.name)


def region_groups(nodes: list[Node]) -> list[Group]:
    groups: dict[str, Group] = {}
    for node in nodes:
        key = node.region.code if node.region else ""
        groups.setdefault(key, Group(key=key, region=node.region)).nodes.append(node)
    return sorted(groups.values(), key=lambda group: _region_sort_key(group.region))


@dataclass
class Structure:
    """What the structure page shows."""

    korea_bodies: list[Node]
    korea_regions: list[Group]
    europe_countries: list[Group]
    loops: list[list[Node]]
    korea_total: int
    europe_total: int
    filtered: bool

    @property
    def korea_complexes(self) -> int:
        return sum(
            (n.kind == COMPLEX and n.matched) + n.complexes
            for n in self.korea_bodies + [n for g in self.korea_regions for n in g.nodes]
        )

    @property
    def korea_mini_clusters(self) -> int:
        return sum(
            (n.kind == MINI_CLUSTER and n.matched) + n.mini_clusters
            for n in self.korea_bodies + [n for g in self.korea_regions for n in g.nodes]
        )


class StructureFilter(django_filters.FilterSet):
    """The structure page's filters: the directory's side, region and sector filters."""

    side = django_filters.ChoiceFilter(
        choices=Side.choices, empty_label=gettext_lazy("Both sides"), label=gettext_lazy("Side")
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(),
        to_field_name="code",
        empty_label=gettext_lazy("Any region"),
        label=gettext_lazy("Region"),
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors",
        queryset=Sector.objects.all(),
        to_field_name="code",
        empty_label=gettext_lazy("Any sector"),
        label=gettext_lazy("Sector"),
    )

    class Meta:
        model = Actor
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field_ in self.form.fields.values():
            field_.widget.attrs.setdefault("class", "input")
        self.form.fields["sector"].label_from_instance = lambda item: item.display_label()

    @property
    def active(self) -> bool:
        return bool(self.data) and any(self.data.get(name) for name in self.filters)

    @property
    def qs(self) -> QuerySet:
        if self.is_bound and not self.form.is_valid():
            # A mistyped filter matches nothing, never the whole tree.
            return self.queryset.none()
        return super().qs


_FIELDS = (
    "id",
    "slug",
    "name",
    "name_ko",
    "acronym",
    "kind",
    "side",
    "status",
    "country",
    "parent_id",
    "region__code",
    "region__name",
    "region__name_ko",
    "region__short_name",
    "region__economic_region",
)


def _nodes_load(*, visible: QuerySet) -> dict[int, Node]:
    url = reverse("actor_detail", args=[_SLUG])
    regions: dict[str, RegionInfo] = {}
    nodes: dict[int, Node] = {}
    for row in visible.order_by().values_list(*_FIELDS).iterator(chunk_size=2000):
        (pk, slug, name, name_ko, acronym, kind, side, status, country, parent_id) = row[:10]
        region = None
        if row[10]:
            region = regions.get(row[10])
            if region is None:
                region = regions[row[10]] = RegionInfo(*(value or "" for value in row[10:]))
        nodes[pk] = Node(
            id=pk,
            slug=slug,
            name=name,
            name_ko=name_ko,
            acronym=acronym,
            kind=kind,
            side=side,
            status=status,
            country=str(country),
            region=region,
            parent_id=parent_id,
            url=url.replace(_SLUG, slug),
        )
    return nodes


def _loops_cut(nodes: Mapping[int, Node], parent_of: dict[int, int]) -> list[list[Node]]:
    """Cut every loop of parent links (changing `parent_of`), and return the loops."""
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in parent_of.items():
        children[parent].append(child)
    reached: set[int] = set()

    def reach(root: int) -> None:
        stack = [root]
        while stack:
            pk = stack.pop()
            if pk not in reached:
                reached.add(pk)
                stack.extend(children.get(pk, ()))

    for pk in nodes:
        if pk not in parent_of:
            reach(pk)
    loops = []
    for pk in sorted(nodes):
        if pk in reached:
            continue
        walk = ancestry(start=pk, parent_of=parent_of.get)
        if not walk.loop:  # pragma: no cover (an unreached actor always leads to a loop)
            continue
        cut = min(walk.loop)
        loops.append([nodes[member] for member in walk.loop])
        children[parent_of.pop(cut)].remove(cut)
        reach(cut)
    return loops


def _order(node: Node) -> tuple:
    return (_KIND_ORDER.get(node.kind, 99), node.name.casefold(), node.id)


def _memberships(*, nodes: Mapping[int, Node], pairs: list[tuple[int, int]]) -> None:
    for first, second in pairs:
        one, other = nodes.get(first), nodes.get(second)
        if one is None or other is None:
            continue
        for network, actor in ((one, other), (other, one)):
            if not network.is_network or actor.is_network:
                continue
            target = network.members if actor.side == network.side else network.partners
            if actor not in target:
                target.append(actor)


def _walk(roots: list[Node]) -> list[Node]:
    """Every node under `roots`, each after its parent (children only, not members)."""
    order: list[Node] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(node.children))
    return order


def _prune_and_count(roots: list[Node]) -> list[Node]:
    """Counts below each node; with a filter, only matched actors and the parents that lead to
    them stay (the parents as context, not counted)."""
    order = _walk(roots)
    kept: set[int] = set()
    for node in reversed(order):
        node.children = [child for child in node.children if child.id in kept]
        node.members = [member for member in node.members if member.matched]
        node.partners = [partner for partner in node.partners if partner.matched]
        node.complexes = sum(c.complexes + (c.kind == COMPLEX and c.matched) for c in node.children)
        node.mini_clusters = sum(
            c.mini_clusters + (c.kind == MINI_CLUSTER and c.matched) for c in node.children
        )
        node.descendants = sum(c.descendants + c.matched for c in node.children)
        if node.matched or node.children or node.members:
            kept.add(node.id)
    return [root for root in roots if root.id in kept]


def structure_tree(*, user, params: Mapping | None = None) -> tuple[Structure, StructureFilter]:
    """The tree of every actor `user` may see, filtered by `params` (side, region, sector)."""
    visible = Actor.objects.visible_to(user)
    structure_filter = StructureFilter(params or None, queryset=visible)
    nodes = _nodes_load(visible=visible)
    if structure_filter.active:
        matched = set(structure_filter.qs.order_by().values_list("id", flat=True))
        for node in nodes.values():
            node.matched = node.id in matched
    pairs = list(
        Partnership.objects.filter(kind__in=MEMBERSHIP_KINDS)
        .filter(Q(first__kind=NETWORK) | Q(second__kind=NETWORK))
        .order_by()
        .values_list("first_id", "second_id")
        .distinct()
    )
    _memberships(nodes=nodes, pairs=pairs)
    parent_of = {pk: n.parent_id for pk, n in nodes.items() if n.parent_id in nodes}
    loops = _loops_cut(nodes, parent_of)
    roots = []
    for pk, node in nodes.items():
        if pk in parent_of:
            nodes[parent_of[pk]].children.append(node)
        else:
            roots.append(node)
    for node in nodes.values():
        node.children.sort(key=_order)
        node.members.sort(key=_order)
        node.partners.sort(key=_order)
    roots.sort(key=_order)
    roots = _prune_and_count(roots)

    korea = [root for root in roots if root.side == Side.KR]
    europe = [root for root in roots if root.side != Side.KR]
    bodies = sorted(
        (root for root in korea if root.children),
        key=lambda node: (-node.descendants, node.name.casefold()),
    )
    return (
        Structure(
            korea_bodies=bodies,
            korea_regions=region_groups([root for root in korea if not root.children]),
            europe_countries=_countries_group(europe, nodes=nodes),
            loops=loops,
            korea_total=sum(1 for n in nodes.values() if n.side == Side.KR and n.matched),
            europe_total=sum(1 for n in nodes.values() if n.side != Side.KR and n.matched),
            filtered=structure_filter.active,
        ),
        structure_filter,
    )


def _countries_group(roots: list[Node], *, nodes: Mapping[int, Node]) -> list[Group]:
    """Europe by country: the networks based there (with their members wherever they are),
    then the country's other actors, then its actors listed under a network based elsewhere."""
    groups: dict[str, Group] = {}

    def group(code: str) -> Group:
        return groups.setdefault(code, Group(key=code, country=code))

    placed: dict[int, Node] = {}  # actor id -> the top of the branch it stands in
    member_of: dict[int, Node] = {}  # actor id -> the first network branch naming it a member
    for root in roots:
        for node in _walk([root]):
            placed[node.id] = root
            for member in node.members:
                member_of.setdefault(member.id, root)
    for root in roots:
        if root.is_network:
            group(root.country).networks.append(root)
        elif root.id in member_of and not root.has_body:
            # Listed under its network; its country names it among the members listed abroad.
            placed[root.id] = member_of[root.id]
        else:
            group(root.country).nodes.append(root)
    for pk, top in placed.items():
        node = nodes[pk]
        if not node.matched:
            continue
        group(node.country).actors += 1
        if node.country != top.country:
            group(node.country).elsewhere.append((node, top))
    for item in groups.values():
        item.networks.sort(key=lambda node: (-node.descendants - len(node.members), node.name))
        item.elsewhere.sort(key=lambda pair: pair[0].name.casefold())
    return sorted(
        (item for item in groups.values() if item.actors or item.networks or item.nodes),
        key=lambda item: item.country_name.casefold(),
    )


# ---------------------------------------------------------------------------------------------
# The page as a flat list of rows (no recursion in templates, however deep the data goes), and
# the CSV export from the same rows


@dataclass(frozen=True)
class Row:
    """One step of the nested lists: open a branch, close it, or list one actor."""

    # "open" (an actor with a branch), "leaf", "group" (a region or country), "heading",
    # "elsewhere" (an actor listed under a branch of another country), "close"
    kind: str
    node: Node | None = None
    group: Group | None = None
    heading: str = ""
    expanded: bool = False
    # The actor's own place (not its mention as a network's member): the page's anchor.
    anchor: bool = False
    # For an "elsewhere" row: the branch abroad that lists this country's actor.
    top: Node | None = None
    # Path of names above this row, for the export.
    path: tuple[str, ...] = ()


def _node_rows(root: Node, *, path: tuple[str, ...], depth: int, open_all: bool) -> list[Row]:
    """The rows of `root`'s branch, in order, built with a stack rather than recursion so that
    no depth of data can overflow it."""
    rows: list[Row] = []
    stack: list[Row | tuple[Node, tuple[str, ...], int]] = [(root, path, depth)]
    while stack:
        item = stack.pop()
        if isinstance(item, Row):
            rows.append(item)
            continue
        node, above, level = item
        if not node.has_body:
            rows.append(Row("leaf", node=node, path=above, anchor=True))
            continue
        rows.append(Row("open", node=node, path=above, anchor=True, expanded=open_all or level < 2))
        inner = (*above, node.name)
        pending: list[Row | tuple[Node, tuple[str, ...], int]] = [
            (child, inner, level + 1) for child in node.unit_children
        ]
        regions = node.complex_regions
        if pending and regions:
            pending.append(Row("heading", heading=_("Industrial complexes by region")))
        for group in regions:
            if len(regions) == 1 and len(group.nodes) <= 3:
                # Two or three complexes in one region need no heading of their own.
                pending.extend((child, inner, level + 1) for child in group.nodes)
                continue
            label = group.region.name if group.region else _("Region not recorded")
            pending.append(Row("group", group=group, path=inner, expanded=open_all))
            pending.extend((child, (*inner, label), level + 1) for child in group.nodes)
            pending.append(Row("close"))
        if node.members:
            pending.append(
                Row("heading", heading=_("Members by documented agreement or cooperation"))
            )
            pending.extend(Row("leaf", node=member, path=inner) for member in node.members)
        if node.partners:
            other = _("Partners in Korea") if node.side != Side.KR else _("Partners in Europe")
            pending.append(Row("heading", heading=other))
            pending.extend(Row("leaf", node=partner, path=inner) for partner in node.partners)
        pending.append(Row("close"))
        stack.extend(reversed(pending))
    return rows


def korea_bodies_rows(structure: Structure) -> list[Row]:
    rows: list[Row] = []
    top = (str(Side.KR.label),)
    for body in structure.korea_bodies:
        rows.extend(_node_rows(body, path=top, depth=0, open_all=structure.filtered))
    return rows


def korea_regions_rows(structure: Structure) -> list[Row]:
    rows: list[Row] = []
    for group in structure.korea_regions:
        label = group.region.name if group.region else _("Region not recorded")
        path = (str(Side.KR.label), label)
        rows.append(Row("group", group=group, expanded=structure.filtered))
        for node in group.nodes:
            rows.extend(_node_rows(node, path=path, depth=1, open_all=structure.filtered))
        rows.append(Row("close"))
    return rows


def europe_rows(structure: Structure) -> list[Row]:
    rows: list[Row] = []
    for group in structure.europe_countries:
        path = (str(Side.EU.label), group.country_name)
        rows.append(Row("group", group=group, expanded=structure.filtered))
        for network in group.networks:
            rows.extend(_node_rows(network, path=path, depth=1, open_all=structure.filtered))
        if group.networks and group.nodes:
            rows.append(Row("heading", heading=_("Other actors")))
        for node in group.nodes:
            rows.extend(_node_rows(node, path=path, depth=1, open_all=structure.filtered))
        if group.elsewhere:
            rows.append(Row("heading", heading=_("Listed under a network or body based elsewhere")))
            rows.extend(Row("elsewhere", node=node, top=top) for node, top in group.elsewhere)
        rows.append(Row("close"))
    return rows


def export_rows(*, structure: Structure, absolute: Callable[[str], str]) -> Iterator[list[str]]:
    """path, name, Korean name, kind, region, country, url: one line per actor as listed."""
    for row in (
        *korea_bodies_rows(structure),
        *korea_regions_rows(structure),
        *europe_rows(structure),
    ):
        if row.node is None or row.kind not in {"open", "leaf"}:
            continue
        node = row.node
        yield [
            " / ".join((*row.path, node.name)),
            node.name,
            node.name_ko,
            node.kind_label,
            node.region.name if node.region else "",
            str(countries.name(node.country)) if node.country else "",
            absolute(node.url),
        ]


def export_header() -> list[str]:
    return [_("Path"), _("Name"), _("Korean name"), _("Kind"), _("Region"), _("Country"), _("URL")]


# ---------------------------------------------------------------------------------------------
# The actor page: its place in the tree


@dataclass(frozen=True)
class Crumb:
    actor: Actor
    linked: bool
    # A draft's name is curators' working material: other readers see that a level is there.
    named: bool


@dataclass(frozen=True)
class ChildGroup:
    heading: str
    actors: list[Actor]


@dataclass
class Place:
    """An actor's place in the tree: its parents from the top down, its children, the networks
    it is a member of and, for a network, its members by partnership."""

    chain: list[Crumb]
    loop: bool
    child_groups: list[ChildGroup]
    networks: list[Actor]
    members: list[Actor]

    @property
    def children_count(self) -> int:
        return sum(len(group.actors) for group in self.child_groups)

    @property
    def shown(self) -> bool:
        return bool(self.chain or self.child_groups or self.networks or self.members)


def _parents_loader(actor: Actor) -> tuple[Callable[[int], int | None], dict[int, Actor]]:
    """`parent_of` for `ancestry`, loading parents a few levels at a time as the walk asks."""
    loaded: dict[int, Actor] = {actor.pk: actor}
    related = "__".join(["parent"] * (BREADCRUMB_LEVELS_PER_QUERY - 1))

    def parent_of(pk: int) -> int | None:
        if pk not in loaded:
            found = Actor.objects.select_related(related).filter(pk=pk).first()
            while found is not None and found.pk not in loaded:
                loaded[found.pk] = found
                cached = Actor.parent.is_cached(found)
                found = found.parent if cached else None
            if pk not in loaded:  # deleted meanwhile
                return None
        return loaded[pk].parent_id

    return parent_of, loaded


def _child_heading(*, actor: Actor, kind: str) -> str:
    if kind == MINI_CLUSTER and actor.kind == COMPLEX:
        return _("Mini Clusters of this complex")
    if kind == MINI_CLUSTER:
        return _("Mini Clusters")
    if kind == COMPLEX:
        return _("Industrial complexes")
    if actor.kind == NETWORK:
        return _("Members of this network")
    return _("Members and units")


def actor_place(*, actor: Actor, user) -> Place:
    """Where `actor` stands, as `user` may see it: the breadcrumb and the children."""
    curator = is_curator(user)
    parent_of, loaded = _parents_loader(actor)
    walk = ancestry(start=actor.pk, parent_of=parent_of)
    chain = [
        Crumb(
            actor=loaded[pk],
            linked=curator or is_published(loaded[pk].status),
            named=curator or loaded[pk].status != "draft",
        )
        for pk in reversed(walk.parents)
    ]
    children = Actor.objects.visible_to(user).filter(parent=actor).select_related("region")
    grouped: dict[str, list[Actor]] = defaultdict(list)
    for child in sorted(children, key=lambda c: (_KIND_ORDER.get(c.kind, 99), c.name.casefold())):
        bucket = child.kind if child.kind in {MINI_CLUSTER, COMPLEX} else ""
        grouped[bucket].append(child)
    child_groups = [
        ChildGroup(heading=_child_heading(actor=actor, kind=bucket), actors=grouped[bucket])
        for bucket in (MINI_CLUSTER, COMPLEX, "")
        if grouped.get(bucket)
    ]
    networks, members = _partnership_members(actor=actor, user=user)
    return Place(
        chain=chain,
        loop=bool(walk.loop),
        child_groups=child_groups,
        networks=networks,
        members=members,
    )


def _partnership_members(*, actor: Actor, user) -> tuple[list[Actor], list[Actor]]:
    """The networks `actor` is a member of by partnership, and a network's members by it."""
    ties = (
        Partnership.objects.filter(kind__in=MEMBERSHIP_KINDS)
        .filter(Q(first=actor) | Q(second=actor))
        .select_related("first", "second")
    )
    curator = is_curator(user)
    networks: dict[int, Actor] = {}
    members: dict[int, Actor] = {}
    for tie in ties:
        other = tie.other(actor.pk)
        if other.side != actor.side or not (curator or is_published(other.status)):
            continue
        if actor.kind == NETWORK and other.kind != NETWORK:
            members[other.pk] = other
        elif other.kind == NETWORK and actor.kind != NETWORK:
            networks[other.pk] = other
    by_name = lambda item: item.name.casefold()  # noqa: E731
    return sorted(networks.values(), key=by_name), sorted(members.values(), key=by_name)


__all__ = [
    "Ancestry",
    "Place",
    "Structure",
    "StructureFilter",
    "actor_place",
    "ancestry",
    "europe_rows",
    "export_header",
    "export_rows",
    "korea_bodies_rows",
    "korea_regions_rows",
    "structure_tree",
]
