"""Private calendar addresses: a participant's agenda as a feed that calendar programs
subscribe to, behind a secret in the address instead of a login.

Whoever holds the address sees the agenda, so the secret is long and random, compared in
constant time, and can be renewed (the old address stops working) or revoked at any time. The
feed holds what the agenda shows the participant about its meetings (times, tables, the other
side's organisation, video addresses), never a person's name, e-mail or phone.
"""

from __future__ import annotations

import hmac
import secrets

from django.db import transaction

from events.agenda import agenda_ical, participant_agenda
from events.models import Participant

TOKEN_BYTES = 32  # 43 characters in the address


def _locked(participant: Participant) -> Participant:
    return Participant.objects.select_for_update().get(pk=participant.pk)


@transaction.atomic
def calendar_address_create(*, participant: Participant) -> str:
    """The participant's calendar secret, made now unless it has one already (two managers
    clicking at once get the same address, not two that undo each other)."""
    locked = _locked(participant)
    if not locked.calendar_token:
        locked.calendar_token = secrets.token_urlsafe(TOKEN_BYTES)
        locked.save(update_fields=["calendar_token"])
    participant.calendar_token = locked.calendar_token
    return locked.calendar_token


@transaction.atomic
def calendar_address_renew(*, participant: Participant) -> str:
    """A new secret: the old address stops working at once."""
    locked = _locked(participant)
    locked.calendar_token = secrets.token_urlsafe(TOKEN_BYTES)
    locked.save(update_fields=["calendar_token"])
    participant.calendar_token = locked.calendar_token
    return locked.calendar_token


@transaction.atomic
def calendar_address_revoke(*, participant: Participant) -> None:
    """No secret: the address stops working and no calendar can read the agenda any more."""
    locked = _locked(participant)
    locked.calendar_token = None
    locked.save(update_fields=["calendar_token"])
    participant.calendar_token = None


def participant_for_feed(*, participant_id: int, token: str) -> Participant | None:
    """The participant whose calendar address this is, or None for an unknown participant, a
    wrong, renewed or revoked secret: the caller answers all of them the same way."""
    participant = (
        Participant.objects.select_related("actor", "event").filter(pk=participant_id).first()
    )
    stored = participant.calendar_token if participant else None
    # Compared in constant time whatever happens, so that the answer's timing tells nothing
    # about how much of a guessed secret was right.
    expected = stored or secrets.token_urlsafe(TOKEN_BYTES)
    matches = hmac.compare_digest(expected.encode(), token.encode("utf-8", "replace"))
    return participant if stored and matches else None


def calendar_feed(*, participant: Participant, domain: str) -> bytes:
    """The participant's agenda as a calendar: its meetings and cancellations once the
    schedule is published; empty before (and after a withdrawal), so that subscribed calendars
    drop the entries rather than keep a schedule the organisers took back."""
    if not participant.event.published:
        return agenda_ical(participant=participant, items=[], domain=domain, cancellations=False)
    return agenda_ical(
        participant=participant, items=participant_agenda(participant=participant), domain=domain
    )
