"""Writing checked plans: every actor in one transaction, each saved once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from common.history import history_attribute
from curation.transfer.columns import BY_NAME, ROW_COLUMNS
from curation.transfer.resolve import Plan


def write_order(plans: list[Plan]) -> list[Plan]:
    """Parents created by this file come before the actors that point to them, so every actor
    is saved once, with its parent, and gets one history entry rather than two."""
    new = {plan.slug: plan for plan in plans if plan.is_new}
    depth: dict[str, int] = {}

    def depth_of(plan: Plan) -> int:
        chain: list[str] = []
        node = plan
        base = -1
        while True:
            if node.slug in depth:
                base = depth[node.slug]
                break
            chain.append(node.slug)
            parent = node.parent
            if not parent or parent not in new or parent in chain:
                break
            node = new[parent]
        for slug in reversed(chain):
            base += 1
            depth[slug] = base
        return depth[plan.slug]

    return sorted(plans, key=depth_of)


def apply(
    plans: list[Plan],
    *,
    pks: dict[str, int],
    user: Any,
    reason: str,
    after_row: Callable[[int], None] | None,
) -> None:
    """Write the plans (new or changed actors only), all or nothing. `pks` maps the slugs of
    the actors named as parents to their ids, and gains the ids of the actors created."""
    with transaction.atomic():
        for plan in write_order(plans):
            actor = plan.actor
            if plan.parent is not None:
                actor.parent_id = pks[plan.parent] if plan.parent else None
            history_attribute(actor, user=user, reason=reason)
            if plan.is_new:
                actor.save()
            else:
                # Only what the file changes: an edit made meanwhile to another field stays.
                fields = [name for name in plan.changed if name in ROW_COLUMNS]
                actor.save(update_fields=[*fields, "updated_at"])
            pks[plan.slug] = actor.pk
            for name, value in plan.values.items():
                BY_NAME[name].write(
                    actor,
                    value,
                    is_new=plan.is_new,
                    changed=plan.changed,
                    user=user,
                    reason=reason,
                )
            if after_row is not None:
                after_row(plan.record.number)
