"""Planning a whole file: each record matched to the directory by slug and resolved, what it
changes, and the checks that need every row at once (repeated slugs, parents)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from common.import_report import ImportReport
from curation.transfer.cells import shown, text_problem
from curation.transfer.columns import BY_NAME
from curation.transfer.export import export_row
from curation.transfer.read import Record
from curation.transfer.resolve import Lookups, Plan, resolve
from directory.models import Actor


def plan_import(
    records: list[Record], *, report: ImportReport
) -> tuple[list[Plan], dict[str, int]]:
    """A plan per record (none for a repeated slug), and the ids of the actors they name."""
    look = Lookups()
    # A slug no actor can have (PostgreSQL refuses a NUL even in a lookup) is left out here;
    # resolve reports it.
    slugs = {slug for r in records if (slug := r.values.get("slug", "")) and not text_problem(slug)}
    existing = {
        actor.slug: actor
        for actor in Actor.objects.filter(slug__in=slugs)
        .select_related("region", "parent")
        .prefetch_related("sectors", "offers", "seeks", "contacts")
    }
    first_row: dict[str, Record] = {}
    plans = []
    for record in records:
        slug = record.values.get("slug", "")
        if slug and slug in first_row:
            used = _("%(slug)s is already used in %(where)s") % {
                "slug": shown(slug),
                "where": first_row[slug].where,
            }
            record.problem(report, "slug", used)
            continue
        if slug:
            first_row[slug] = record
        actor = existing.get(slug)
        # The directory's values, taken before the file's are put on the actor.
        before = export_row(actor, include_contacts=True) if actor is not None else None
        plan = resolve(record, look=look, existing=actor, report=report)
        if before is not None:
            plan.changed = _differences(plan, before=before)
        plans.append(plan)
    parents = {p.parent for p in plans if p.parent} - set(first_row)
    db_slugs = dict(Actor.objects.filter(slug__in=parents).values_list("slug", "pk"))
    db_parents: dict[str, str] = {}
    if any(p.parent for p in plans):
        db_parents = dict(
            Actor.objects.filter(parent__isnull=False).values_list("slug", "parent__slug")
        )
    _check_parents(plans, report=report, db_slugs=set(db_slugs), db_parents=db_parents)
    pks = db_slugs | {slug: actor.pk for slug, actor in existing.items()}
    return plans, pks


def _differences(plan: Plan, *, before: dict[str, Any]) -> list[str]:
    """The columns whose file value differs from the directory's, in the format's order."""
    return [
        name
        for name, column in BY_NAME.items()
        if column.compared
        and name in plan.values
        and not column.same(before[name], plan.values[name])
    ]


def _check_parents(
    plans: list[Plan], *, report: ImportReport, db_slugs: set[str], db_parents: dict[str, str]
) -> None:
    in_file = {plan.slug: plan for plan in plans if plan.slug}
    for plan in plans:
        parent = plan.parent
        record = plan.record
        if not parent or "parent" in record.bad:
            continue
        if parent == plan.slug:
            record.problem(
                report, "parent", _("%(slug)s is the actor itself") % {"slug": shown(parent)}
            )
        elif parent not in in_file and parent not in db_slugs:
            record.problem(
                report,
                "parent",
                _("unknown actor %(slug)s (neither in the directory nor in this file)")
                % {"slug": shown(parent)},
            )

    def parent_of(slug: str) -> str:
        plan = in_file.get(slug)
        if plan is not None and plan.parent is not None:
            return plan.parent
        return db_parents.get(slug, "")

    # A chain of parents must end: Mini Cluster -> complex -> agency, never back to the start.
    # Each chain is walked once (a visited set, no length cap), so a loop of any length is found
    # in time linear in the file and the directory.
    in_loop = _slugs_in_parent_loops([p.slug for p in plans if p.slug], parent_of=parent_of)
    for plan in plans:
        if not plan.parent or "parent" in plan.record.bad or plan.slug not in in_loop:
            continue
        chain = [plan.slug]
        slug = plan.parent
        while slug != plan.slug:
            chain.append(slug)
            slug = parent_of(slug)
        shown_chain = chain + [plan.slug]
        if len(shown_chain) > 8:
            more = _("... (%(count)d more)") % {"count": len(chain) - 6}
            shown_chain = [*shown_chain[:4], more, *shown_chain[-3:]]
        plan.record.problem(
            report,
            "parent",
            _("%(slug)s would make a loop of parents: %(chain)s")
            % {"slug": shown(plan.parent), "chain": " -> ".join(shown_chain)},
        )


def _slugs_in_parent_loops(starts: list[str], *, parent_of) -> set[str]:
    """The slugs that lie on a loop of parents, following `parent_of` from each start."""
    state: dict[str, int] = {}  # 1: on the walk under way, 2: done
    in_loop: set[str] = set()
    for start in starts:
        walk: list[str] = []
        slug = start
        while slug and slug not in state:
            state[slug] = 1
            walk.append(slug)
            slug = parent_of(slug)
        if slug and state.get(slug) == 1:  # the walk came back onto itself
            in_loop.update(walk[walk.index(slug) :])
        for seen in walk:
            state[seen] = 2
    return in_loop
