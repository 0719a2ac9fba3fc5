"""The contacts column: an actor's contact persons (personal data) in one cell or JSON list.

In a cell, entries are separated by ';' or a line break and their parts by '|':
name | role | email | phone | legal_basis | source. A backslash keeps the next ';', '|', line
break or backslash literal; exports write such escapes, so any contact survives the round trip.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.history import history_attribute
from curation.transfer.cells import NOTHING, clean, kind_of, shown
from directory.models import Actor, ContactPerson, LegalBasis

if TYPE_CHECKING:
    from curation.transfer.resolve import Lookups

CONTACT_PARTS: tuple[str, ...] = ("name", "role", "email", "phone", "legal_basis", "source")


def parse_contacts_text(text: str) -> list[list[str]]:
    """The entries of a cell, each a list of its parts (trimmed); empty entries dropped."""
    entries: list[list[str]] = []
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in "\\;|\n":
            current.append(text[index + 1])
            index += 2
            continue
        if char in ";\n":
            parts.append("".join(current))
            entries.append(parts)
            parts, current = [], []
        elif char == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    entries.append(parts)
    return [[part.strip() for part in entry] for entry in entries if any(p.strip() for p in entry)]


def _contact_dicts(entries: list[list[str]]) -> list[dict[str, str]]:
    contacts = []
    for parts in entries:
        contact = dict(zip(CONTACT_PARTS, parts, strict=False))
        if len(parts) > len(CONTACT_PARTS):
            # Reported by the check rather than silently cut off.
            contact["_extra"] = " | ".join(parts[len(CONTACT_PARTS) :])
        contacts.append(contact)
    return contacts


def _escape_part(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace("|", "\\|").replace("\n", "\\\n")


def contacts_text(contacts: list[dict[str, str]]) -> str:
    """The cell for exported contacts (dicts with the CONTACT_PARTS keys)."""
    entries = []
    for contact in contacts:
        parts = [_escape_part(contact.get(key) or "") for key in CONTACT_PARTS]
        while parts and not parts[-1]:
            parts.pop()
        entries.append(" | ".join(parts))
    return "; ".join(entries)


# -- reading ------------------------------------------------------------------------------------


def contacts_from_cell(text: str) -> list[dict[str, str]]:
    return _contact_dicts(parse_contacts_text(text))


def contacts_from_json(value: object, *, fail: Callable[[str], None]) -> Any:
    """A JSON list of contact objects (or one text written as in a cell); NOTHING after
    reporting, through `fail`, every contact that cannot be read."""
    if value is None:
        return []
    if isinstance(value, str):
        return contacts_from_cell(clean(value))
    if not isinstance(value, list):
        fail(_("expected a list of contact objects, got %(kind)s") % {"kind": kind_of(value)})
        return NOTHING
    contacts = []
    failed = False
    for index, item in enumerate(value, start=1):
        problem = None
        if not isinstance(item, dict):
            problem = _("contact %(index)d: expected an object, got %(kind)s") % {
                "index": index,
                "kind": kind_of(item),
            }
        else:
            unknown = [str(key) for key in item if key not in CONTACT_PARTS]
            wrong = [
                str(key)
                for key, part in item.items()
                if key in CONTACT_PARTS and part is not None and not isinstance(part, str)
            ]
            if unknown:
                problem = _("contact %(index)d: unknown key(s) %(keys)s") % {
                    "index": index,
                    "keys": ", ".join(map(shown, unknown)),
                }
            elif wrong:
                problem = _("contact %(index)d: %(keys)s must be text") % {
                    "index": index,
                    "keys": ", ".join(wrong),
                }
        if problem:
            fail(problem)
            failed = True
            continue
        contacts.append({key: clean(item.get(key) or "") for key in CONTACT_PARTS if key in item})
    return NOTHING if failed else contacts


# -- checking and comparing ---------------------------------------------------------------------


def contacts_check(
    contacts: list[dict[str, str]], *, look: Lookups, problem: Callable[[str], None]
) -> list[tuple[str, ...]]:
    """The contacts as tuples of CONTACT_PARTS, each checked by the ContactPerson model."""
    checked = []
    for index, parts in enumerate(contacts, start=1):
        name = parts.get("name", "")
        if name:
            label = _("contact %(index)d (%(name)s)") % {"index": index, "name": shown(name)[1:-1]}
        else:
            label = _("contact %(index)d") % {"index": index}
        if parts.get("_extra"):
            problem(
                _(
                    "%(contact)s has more than %(count)d parts (extra: %(extra)s); write name | "
                    "role | email | phone | legal_basis | source, and a backslash before a ';' "
                    "or '|' inside a part"
                )
                % {"contact": label, "count": len(CONTACT_PARTS), "extra": shown(parts["_extra"])},
            )
            continue
        basis_text = parts.get("legal_basis", "")
        basis = look.legal_bases.get(basis_text.lower()) if basis_text else LegalBasis.INTEREST
        if basis is None:
            problem(
                _("%(contact)s, legal_basis %(value)s is unknown (%(known)s)")
                % {
                    "contact": label,
                    "value": shown(basis_text),
                    "known": ", ".join(LegalBasis.values),
                },
            )
            continue
        values = {key: parts.get(key, "") for key in CONTACT_PARTS} | {"legal_basis": basis}
        if not values["name"]:
            problem(
                _("%(contact)s has no name (write: name | role | email | phone)")
                % {"contact": label}
            )
            continue
        try:
            ContactPerson(**values).full_clean(exclude=["actor"], validate_constraints=False)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    problem(
                        _("%(contact)s, %(part)s %(value)s is not accepted: %(reason)s")
                        % {
                            "contact": label,
                            "part": key,
                            "value": shown(values.get(key, "")),
                            "reason": message,
                        },
                    )
            continue
        checked.append(tuple(values[key] for key in CONTACT_PARTS))
    return checked


def contacts_same(current: list[dict[str, str]], checked: list[tuple[str, ...]]) -> bool:
    """Whether the exported contacts are the checked ones, in whatever order."""
    keys = sorted(tuple(clean(contact[key] or "") for key in CONTACT_PARTS) for contact in current)
    return keys == sorted(checked)


# -- writing and exporting ----------------------------------------------------------------------


def contacts_write(
    actor: Actor, checked: list[tuple[str, ...]], *, is_new: bool, user: Any, reason: str
) -> None:
    """Replace the actor's contacts, each deletion and creation in the history."""
    for contact in [] if is_new else actor.contacts.all():
        history_attribute(contact, user=user, reason=reason).delete()
    for parts in checked:
        contact = ContactPerson(actor=actor, **dict(zip(CONTACT_PARTS, parts, strict=True)))
        history_attribute(contact, user=user, reason=reason).save()


def contacts_export(actor: Actor) -> list[dict[str, str]]:
    return [
        {key: getattr(contact, key) or "" for key in CONTACT_PARTS}
        for contact in sorted(actor.contacts.all(), key=lambda c: (c.name, c.pk))
    ]
