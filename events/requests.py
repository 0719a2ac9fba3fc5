"""Meeting requests: a participant asks another for a meeting, with a short message; the other
side accepts or declines, with a reply.

An accepted request is a must-meet for the schedule and a declined one a never
(`events.pairs.pair_matrix` reads them). A request is one row per sender and receiver: a
declined request stays declined (asking again would only put the same question to people who
said no), while a withdrawn one can be sent again, which reuses its row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.text import field_problem
from events import notices
from events.models import (
    Event,
    Exclusion,
    Meeting,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    RequestStatus,
    Wish,
    WishLevel,
)

MESSAGE_MAX = 500

CONFLICT = gettext_lazy(
    "Someone else answered or changed this request at the same time; reload the page to see "
    "where it stands."
)


def _pair(a: Participant, b: Participant) -> tuple[Participant, Participant]:
    return (a, b) if a.actor.side == "eu" else (b, a)


def _lock(*participants: Participant) -> None:
    # In primary-key order, so that two requests between the same pair (one each way) wait
    # for each other instead of both passing the checks.
    ids = sorted({p.pk for p in participants})
    list(Participant.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _text(label: str, value: str) -> str:
    problem = field_problem(label, value, max_length=MESSAGE_MAX)
    if problem:
        raise ValidationError(problem, code="text")
    return value.strip()


def _pair_problems(*, sender: Participant, receiver: Participant) -> list[str]:
    """What rules out a meeting between the two whoever asks: not both accepted in one event
    on opposite sides, already meeting, or excluded by the organisers."""
    if sender.event_id != receiver.event_id:
        return [_("Both participants must take part in the same event.")]
    if sender.actor.side == receiver.actor.side:
        return [_("Meetings are between a European and a Korean participant.")]
    problems = []
    if sender.status != ParticipantStatus.ACCEPTED:
        problems.append(
            _(
                "%(name)s is not an accepted participant yet: meeting requests open once the "
                "organisers accept the participation."
            )
            % {"name": sender.actor.name}
        )
    if receiver.status != ParticipantStatus.ACCEPTED:
        problems.append(
            _("%(name)s is not an accepted participant of this event.")
            % {"name": receiver.actor.name}
        )
    eu, kr = _pair(sender, receiver)
    pair = {"european": eu.actor.name, "korean": kr.actor.name}
    meeting = Meeting.objects.filter(eu=eu, kr=kr).select_related("slot__event").first()
    if meeting is not None:
        problems.append(
            _("%(european)s and %(korean)s already have a meeting: %(round)s, table %(table)s.")
            % {**pair, "round": meeting.slot, "table": meeting.table}
        )
    if Exclusion.objects.filter(eu=eu, kr=kr).exists():
        problems.append(
            _(
                "The organisers have ruled out a meeting between %(european)s and %(korean)s; "
                "ask them if this should change."
            )
            % pair
        )
    return problems


def meeting_request_problems(*, sender: Participant, receiver: Participant) -> list[str]:
    """Why `sender` cannot ask `receiver` for a meeting now, in words; [] if it can."""
    problems = _pair_problems(sender=sender, receiver=receiver)
    if problems:
        return problems
    name = {"name": receiver.actor.name}
    if Wish.objects.filter(participant=sender, target=receiver, level=WishLevel.NOT).exists():
        return [
            _(
                "%(sender)s marked %(name)s as not interested; change that wish on the "
                "participant page first if you do want to meet."
            )
            % {**name, "sender": sender.actor.name}
        ]
    reverse = MeetingRequest.objects.filter(sender=receiver, receiver=sender).first()
    if reverse is not None and reverse.status != RequestStatus.WITHDRAWN:
        if reverse.status == RequestStatus.PENDING:
            said = _("%(name)s has already asked to meet you: accept their request instead.")
        elif reverse.status == RequestStatus.ACCEPTED:
            said = _("You already accepted %(name)s's request to meet.")
        else:
            said = _(
                "You declined %(name)s's request to meet, so the two are not scheduled "
                "together; ask the organisers if this should change."
            )
        return [said % name]
    earlier = MeetingRequest.objects.filter(sender=sender, receiver=receiver).first()
    if earlier is not None and earlier.status != RequestStatus.WITHDRAWN:
        if earlier.status == RequestStatus.PENDING:
            said = _("You already asked %(name)s; their answer is awaited.")
        elif earlier.status == RequestStatus.ACCEPTED:
            said = _("%(name)s already accepted your request.")
        else:
            said = _("%(name)s declined your request; a declined request cannot be sent again.")
        return [said % name]
    return []


@transaction.atomic
def meeting_request_send(
    *, sender: Participant, receiver: Participant, message: str = "", by=None
) -> MeetingRequest:
    """`sender` asks `receiver` for a meeting. A withdrawn request is sent again; any other
    earlier request between the two, either way, is refused with what became of it."""
    message = _text(_("The message"), message)
    _lock(sender, receiver)
    problems = meeting_request_problems(sender=sender, receiver=receiver)
    if problems:
        raise ValidationError(problems, code="refused")
    now = timezone.now()
    earlier = MeetingRequest.objects.filter(sender=sender, receiver=receiver).first()
    if earlier is not None:
        earlier.status, earlier.message, earlier.reply = RequestStatus.PENDING, message, ""
        earlier.requested_by, earlier.answered_by, earlier.answered_at = by, None, None
        earlier.created_at = now
        earlier.save()
        notices.request_sent(meeting_request=earlier, by=by)
        return earlier
    try:
        with transaction.atomic():
            sent = MeetingRequest.objects.create(
                event_id=sender.event_id, sender=sender, receiver=receiver, message=message,
                requested_by=by,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(CONFLICT, code="conflict") from None
    notices.request_sent(meeting_request=sent, by=by)
    return sent


def _locked_pending(meeting_request: MeetingRequest) -> MeetingRequest:
    current = (
        MeetingRequest.objects.select_for_update()
        .select_related("sender__actor", "receiver__actor", "event")
        .get(pk=meeting_request.pk)
    )
    if current.status != RequestStatus.PENDING:
        raise ValidationError(
            _("This request was already %(status)s; nothing changed.")
            % {"status": current.get_status_display()},
            code="answered",
        )
    return current


@transaction.atomic
def meeting_request_answer(
    *, meeting_request: MeetingRequest, accept: bool, reply: str = "", by=None
) -> MeetingRequest:
    """The receiver accepts (the pair becomes a must-meet) or declines (never scheduled)."""
    reply = _text(_("The reply"), reply)
    current = _locked_pending(meeting_request)
    sender, receiver = current.sender, current.receiver
    if accept:
        problems = _pair_problems(sender=sender, receiver=receiver)
        if problems:
            raise ValidationError(problems, code="pair")
        refused = Wish.objects.filter(participant=receiver, target=sender, level=WishLevel.NOT)
        if refused.exists():
            raise ValidationError(
                _(
                    "%(receiver)s marked %(sender)s as not interested: change that wish on the "
                    "participant page first, or decline."
                )
                % {"receiver": receiver.actor.name, "sender": sender.actor.name},
                code="not_interested",
            )
    current.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    current.reply, current.answered_by, current.answered_at = reply, by, timezone.now()
    current.save(update_fields=["status", "reply", "answered_by", "answered_at"])
    notices.request_answered(meeting_request=current, by=by)
    return current


@transaction.atomic
def meeting_request_withdraw(*, meeting_request: MeetingRequest, by=None) -> MeetingRequest:
    """The sender takes back a request still waiting for an answer; it can be sent again."""
    current = _locked_pending(meeting_request)
    current.status, current.answered_by, current.answered_at = (
        RequestStatus.WITHDRAWN, by, timezone.now(),
    )  # fmt: skip
    current.save(update_fields=["status", "answered_by", "answered_at"])
    return current


# -- what the pages show ----------------------------------------------------------------------


def _with_names(queryset: QuerySet[MeetingRequest]) -> QuerySet[MeetingRequest]:
    return queryset.select_related(
        "sender__actor", "receiver__actor", "requested_by", "answered_by"
    )


@dataclass
class ParticipantRequests:
    incoming: list[MeetingRequest]
    outgoing: list[MeetingRequest]

    @property
    def waiting(self) -> list[MeetingRequest]:
        """Incoming requests this participant has yet to answer."""
        return [r for r in self.incoming if r.status == RequestStatus.PENDING]


def participant_requests(*, participant: Participant) -> ParticipantRequests:
    return ParticipantRequests(
        incoming=list(_with_names(participant.requests_received.all())),
        outgoing=list(_with_names(participant.requests_sent.all())),
    )


def requestable(*, participant: Participant) -> list[Participant]:
    """The other side's accepted participants this one could still ask: no meeting, no
    exclusion, and no request either way other than a withdrawn one."""
    if participant.status != ParticipantStatus.ACCEPTED:
        return []
    side = participant.actor.side
    mine, theirs = ("eu", "kr") if side == "eu" else ("kr", "eu")
    busy = set(Meeting.objects.filter(**{mine: participant}).values_list(f"{theirs}_id", flat=True))
    busy |= set(
        Exclusion.objects.filter(**{mine: participant}).values_list(f"{theirs}_id", flat=True)
    )
    asked = MeetingRequest.objects.filter(Q(sender=participant) | Q(receiver=participant)).exclude(
        status=RequestStatus.WITHDRAWN
    )
    for sender_id, receiver_id in asked.values_list("sender_id", "receiver_id"):
        busy.add(receiver_id if sender_id == participant.pk else sender_id)
    return list(
        Participant.objects.filter(event_id=participant.event_id, status=ParticipantStatus.ACCEPTED)
        .exclude(actor__side=side)
        .exclude(pk__in=busy)
        .select_related("actor")
        .order_by("actor__name")
    )


def event_requests(*, event: Event, status: str = "") -> list[MeetingRequest]:
    found = event.meeting_requests.all()
    if status:
        found = found.filter(status=status)
    return list(_with_names(found))


def request_counts(*, event: Event) -> dict[str, int]:
    """Requests of the event by status, every status present (0 when none)."""
    counted = Counter(event.meeting_requests.values_list("status", flat=True))
    return {value: counted[value] for value in RequestStatus.values}


def accepted_without_meeting(*, event: Event) -> list[tuple[MeetingRequest, str]]:
    """Accepted requests whose pair has no meeting, each with why no schedule update can place
    it any more ('' when one can): a side no longer accepted, an exclusion by the organisers (a
    cancelled meeting leaves one) or a "not interested" wish. A few queries in all."""
    met = set(event.meetings.values_list("eu_id", "kr_id"))
    found = _with_names(event.meeting_requests.filter(status=RequestStatus.ACCEPTED))
    unmet = [(r, _pair(r.sender, r.receiver)) for r in found]
    unmet = [(r, (eu, kr)) for r, (eu, kr) in unmet if (eu.pk, kr.pk) not in met]
    if not unmet:
        return []
    ruled_out = {
        (eu_id, kr_id): reason
        for eu_id, kr_id, reason in event.exclusions.values_list("eu_id", "kr_id", "reason")
    }
    refused = set(
        Wish.objects.filter(participant__event=event, level=WishLevel.NOT).values_list(
            "participant_id", "target_id"
        )
    )
    listed = []
    for r, (eu, kr) in unmet:
        gone = [p.actor.name for p in (eu, kr) if p.status != ParticipantStatus.ACCEPTED]
        if len(gone) == 2:
            reason = _("%(first)s and %(second)s are no longer accepted participants") % {
                "first": gone[0],
                "second": gone[1],
            }
        elif gone:
            reason = _("%(name)s is no longer an accepted participant") % {"name": gone[0]}
        elif (eu.pk, kr.pk) in ruled_out:
            note = ruled_out[(eu.pk, kr.pk)]
            reason = (
                _("ruled out by the organisers (%(note)s)") % {"note": note}
                if note
                else _("ruled out by the organisers")
            )
        elif (eu.pk, kr.pk) in refused or (kr.pk, eu.pk) in refused:
            one, other = (eu, kr) if (eu.pk, kr.pk) in refused else (kr, eu)
            reason = _("%(name)s marked %(other)s as not interested") % {
                "name": one.actor.name,
                "other": other.actor.name,
            }
        else:
            reason = ""
        listed.append((r, reason))
    return listed


def accepted_unplaced(*, event: Event) -> list[MeetingRequest]:
    """Accepted requests whose pair has no meeting in the schedule and can still have one.
    Once the schedule is published nothing places them by itself: an organiser has to update
    it. Pairs that can no longer meet are left out: no update would place them."""
    return [r for r, reason in accepted_without_meeting(event=event) if not reason]
