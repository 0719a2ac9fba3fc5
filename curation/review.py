"""Curators' review of managers' edits (proposed in `directory.proposals`).

A curator sees each waiting change as a field-by-field diff against the profile as it is when
they look; approving applies it in one transaction, recorded in the history under the curator's
name with the author as the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.history import history_attribute
from curation.notices import edit_reviewed
from directory.models import (
    Actor,
    ChangeStatus,
    ContactPerson,
    Interest,
    PendingChange,
    Sector,
)
from directory.proposals import (
    CONTACT_FIELDS,
    KOREAN_FIELDS,
    LABELS,
    LIST_FIELDS,
    MANAGER_SOURCE,
    PROFILE_FIELDS,
    list_labels,
    profile_snapshot,
)


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    before: str
    after: str
    # For sectors and interests: the labels before and after. Shown as items kept, removed
    # and added; compared as text, adding one sector looked like removing another.
    items: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    @property
    def lang(self) -> str:
        """The language of the texts when it is not the page's own: Korean fields say "ko"."""
        return "ko" if self.field in KOREAN_FIELDS else ""

    def marked(self, *, context: int | None = None) -> tuple[str, str]:
        """Both texts as HTML with the removed words in <del> and the added ones in <ins>.

        With `context`, unchanged passages keep only that many words on each side of a change
        (an ellipsis stands for the rest): a one-word edit in a long text stays readable.
        """
        if self.items is not None:
            return self._marked_items(*self.items)
        left, right = [], []
        runs = _diff(_tokens(self.before), _tokens(self.after))
        if context is not None:
            runs = _shortened(runs, context=context)
        for op, a, b in runs:
            a_html, b_html = escape(" ".join(a)), escape(" ".join(b))
            if op == "equal":
                left.append(a_html)
                right.append(b_html)
            else:
                if a_html:
                    left.append(f"<del>{a_html}</del>")
                if b_html:
                    right.append(f"<ins>{b_html}</ins>")
        as_html = lambda parts: mark_safe(  # noqa: E731, S308 - every part is escaped above
            " ".join(parts).replace(" \n ", "<br>").replace("\n", "<br>")
        )
        return as_html(left), as_html(right)

    @staticmethod
    def _marked_items(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[str, str]:
        def listed(items: tuple[str, ...], other: tuple[str, ...], tag: str):
            if not items:
                return mark_safe("—")  # noqa: S308 - a constant
            return format_html_join(
                ", ",
                "{}",
                ((format_html("<{0}>{1}</{0}>", tag, i) if i not in other else i,) for i in items),
            )

        return listed(before, after, "del"), listed(after, before, "ins")


# Word-level comparison costs up to the product of the two lengths (and more in the worst
# case): a 3,600-word proposal took 30 s. Texts are compared sentence by sentence first, and
# words are compared only inside changed passages small enough for this budget; a larger
# changed passage is shown removed and added whole.
WORD_DIFF_BUDGET = 40_000


def _tokens(text: str) -> list[str]:
    # Words and line breaks as tokens, so a contact added on a new line is one insertion.
    return re.findall(r"\S+|\n", text)


def _sentences(tokens: list[str]) -> list[tuple[str, ...]]:
    out, current = [], []
    for token in tokens:
        current.append(token)
        if token == "\n" or token[-1] in ".!?":
            out.append(tuple(current))
            current = []
    if current:
        out.append(tuple(current))
    return out


def _shortened(runs: list, *, context: int) -> list:
    out = []
    for index, (op, a, b) in enumerate(runs):
        if op != "equal" or len(a) <= 2 * context + 1:
            out.append((op, a, b))
            continue
        first, last = index == 0, index == len(runs) - 1
        head = [] if first else a[:context]
        tail = [] if last else a[-context:]
        kept = [*head, "…", *tail]
        out.append((op, kept, kept))
    return out


def _diff(old: list[str], new: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """(op, old words, new words) runs, op being "equal" or "change"."""
    old_s, new_s = _sentences(old), _sentences(new)
    runs: list[tuple[str, list[str], list[str]]] = []
    # autojunk: a sentence said many times (a pasted block repeated) is not used as an anchor,
    # which keeps the comparison fast whatever the text.
    matcher = SequenceMatcher(a=old_s, b=new_s)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a = [w for sentence in old_s[i1:i2] for w in sentence]
        b = [w for sentence in new_s[j1:j2] for w in sentence]
        if op == "equal":
            runs.append(("equal", a, b))
        elif a and b and len(a) * len(b) <= WORD_DIFF_BUDGET:
            words = SequenceMatcher(a=a, b=b, autojunk=False)
            for wop, k1, k2, l1, l2 in words.get_opcodes():
                runs.append(("equal" if wop == "equal" else "change", a[k1:k2], b[l1:l2]))
        else:
            runs.append(("change", a, b))
    return runs


def _as_text(name: str, value, *, labels: dict[str, dict[str, str]]) -> str:
    if name in LIST_FIELDS:
        return ", ".join(labels[name].get(code, code) for code in value)
    if name == "contacts":
        return "\n".join(
            " · ".join(part for part in (p["name"], p["role"], p["email"], p["phone"]) if part)
            for p in value
        )
    return value or ""


def change_diff(
    *, change: PendingChange, labels: dict[str, dict[str, str]] | None = None
) -> list[FieldDiff]:
    """Only the fields the proposal changes, against the profile as it is now.

    `labels` (from `list_labels`) lets a page of many changes load the taxonomy once.
    """
    current = profile_snapshot(actor=change.actor)
    labels = list_labels() if labels is None else labels
    diffs = []
    for name in (*PROFILE_FIELDS, *LIST_FIELDS, "contacts"):
        before, after = current[name], change.proposed.get(name, current[name])
        if name in LIST_FIELDS:
            before, after = sorted(before), sorted(after)
        if before == after:
            continue
        items = None
        if name in LIST_FIELDS:
            items = tuple(tuple(labels[name].get(c, c) for c in v) for v in (before, after))
        diffs.append(
            FieldDiff(
                field=name,
                label=LABELS[name],
                before=_as_text(name, before, labels=labels),
                after=_as_text(name, after, labels=labels),
                items=items,
            )
        )
    return diffs


def profile_apply(*, actor: Actor, proposed: dict, user, reason: str) -> None:
    """Write a proposal to the profile: what approving a manager's change does.

    Live edits (directory/views.py actor_edit) save their forms instead: the contact formset
    knows each row by its id, so a renamed contact stays the same row with its legal basis and
    source, whereas a proposal has no ids and `contacts_apply` matches contacts by name and
    email.
    """
    for name in PROFILE_FIELDS:
        setattr(actor, name, proposed[name])
    history_attribute(actor, user=user, reason=reason)
    actor.full_clean(exclude=["slug"])
    actor.save()
    actor.sectors.set(Sector.objects.filter(code__in=proposed["sectors"]))
    actor.offers.set(Interest.objects.filter(code__in=proposed["offers"]))
    actor.seeks.set(Interest.objects.filter(code__in=proposed["seeks"]))
    contacts_apply(actor=actor, people=proposed["contacts"], user=user)


def contacts_apply(
    *, actor: Actor, people: list[dict], user, fields: tuple[str, ...] = CONTACT_FIELDS
) -> None:
    """Make the contacts match `people`, writing `fields` of each, keeping the rows that stay.

    With the default fields (what a manager edits) a kept row keeps its legal basis and
    source, and a new one is recorded as the manager's; a restore passes those two as well.
    """
    existing = list(actor.contacts.order_by("pk"))
    kept: set[int] = set()
    for person in people:
        match = next(
            (
                c
                for c in existing
                if c.pk not in kept
                and c.name == person["name"]
                and (c.email == person["email"] or not c.email or not person["email"])
            ),
            None,
        )
        if match is None:
            match = ContactPerson(actor=actor, source=MANAGER_SOURCE)
        changed = match.pk is None or any(getattr(match, f) != person[f] for f in fields)
        for f in fields:
            setattr(match, f, person[f])
        if changed:
            history_attribute(match, user=user)
            match.full_clean(exclude=["actor"])
            match.save()
        kept.add(match.pk)
    for contact in existing:
        if contact.pk not in kept:
            history_attribute(contact, user=user).delete()


@transaction.atomic
def change_approve(*, change: PendingChange, reviewer, message: str = "") -> None:
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PENDING:
        raise ValidationError(_("This change was already reviewed."), code="reviewed")
    author = change.author.get_username() if change.author else "a former user"
    proposed = {**profile_snapshot(actor=change.actor), **change.proposed}
    profile_apply(
        actor=change.actor,
        proposed=proposed,
        user=reviewer,
        reason=f"approved edit by {author}",
    )
    change.status = ChangeStatus.APPROVED
    change.reviewer, change.reviewed_at, change.message = reviewer, timezone.now(), message[:1000]
    change.save(update_fields=["status", "reviewer", "reviewed_at", "message"])
    edit_reviewed(change=change)


@transaction.atomic
def change_reject(*, change: PendingChange, reviewer, message: str) -> None:
    if not message.strip():
        raise ValidationError(_("Tell the manager why the change is rejected."), code="message")
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PENDING:
        raise ValidationError(_("This change was already reviewed."), code="reviewed")
    change.status = ChangeStatus.REJECTED
    change.reviewer, change.reviewed_at, change.message = reviewer, timezone.now(), message[:1000]
    change.save(update_fields=["status", "reviewer", "reviewed_at", "message"])
    edit_reviewed(change=change)
