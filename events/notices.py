"""What the events tell people: managers about requests, their schedule and its changes, and
the day before their meetings; organisers about registrations, unanswered requests and
participants a generation left without meetings.

Every message is sent once the change that causes it commits (`transaction.on_commit`), so a
change rolled back tells no one, and is read again from the database then, so it says what was
saved. Nobody is told of their own action. Times are in the event's time zone, which every
message names. A message names the recipient's own organisation and, at most, the other
participants of the same event: never contact persons.

Each recipient reads their message in their own language (`in_language_of`), whoever caused
it: every sentence is one translatable message with placeholders, and times are written as
that language writes them (`events.clock`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from directory.roles import is_organiser
from events import clock
from events.changelog import changes_while_withdrawn, user_name
from events.models import (
    ChangeAction,
    Event,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    RequestStatus,
    ScheduleChange,
    ScheduleRun,
    TimeSlot,
)
from notifications.kinds import register, register_audience
from notifications.language import in_language_of
from notifications.models import Notification
from notifications.service import message_body, notify, notify_each

REQUEST_RECEIVED = "events.request_received"
REQUEST_ANSWERED = "events.request_answered"
REGISTRATION_DECIDED = "events.registration_decided"
SCHEDULE_PUBLISHED = "events.schedule_published"
SCHEDULE_CHANGED = "events.schedule_changed"
MEETING_REMINDER = "events.meeting_reminder"
REGISTRATION_WAITING = "events.registration_waiting"
REQUESTS_WAITING = "events.requests_waiting"
GENERATION_UNMET = "events.generation_unmet"

# Publication and changes reach every participant concerned: written by a job, so that the
# page that publishes does not wait for hundreds of messages.
TELL_CHANGES_JOB = "events.tell_schedule_changes"
# The periodic jobs (registered in `EventsConfig.ready`).
REMINDERS_JOB = "events.meeting_reminders"
REQUESTS_DIGEST_JOB = "events.requests_digest"

# Reminders and the organisers' summary go out from this hour of the day, event time: not at
# midnight, whenever the hourly job first runs.
SEND_FROM_HOUR = 8
# A request unanswered for this long is worth an organiser's nudge; a younger one is likely to
# be answered on its own.
REQUEST_WAITS = timedelta(days=2)


def register_kinds() -> None:
    for key, label, audience in (
        (REQUEST_RECEIVED, gettext_lazy("Meeting requests to your organisation"), "managers"),
        (
            REQUEST_ANSWERED,
            gettext_lazy("Answers to your organisation's meeting requests"),
            "managers",
        ),
        (
            REGISTRATION_DECIDED,
            gettext_lazy("Your event registrations accepted or declined"),
            "managers",
        ),
        (SCHEDULE_PUBLISHED, gettext_lazy("Your meeting schedule published"), "managers"),
        (SCHEDULE_CHANGED, gettext_lazy("Changes to your published meetings"), "managers"),
        (MEETING_REMINDER, gettext_lazy("Reminder the day before your first meeting"), "managers"),
        (
            REGISTRATION_WAITING,
            gettext_lazy("Registrations waiting for your decision"),
            "organisers",
        ),
        (
            REQUESTS_WAITING,
            gettext_lazy("Meeting requests left unanswered (daily summary)"),
            "organisers",
        ),
        (
            GENERATION_UNMET,
            gettext_lazy("Participants left without meetings by a generation"),
            "organisers",
        ),
    ):
        register(key, label=label, audience=audience)
    register_audience("organisers", includes=_organises)


def _organises(user) -> bool:
    """In the Organisers group, or named an organiser of some event."""
    return is_organiser(user) or bool(user.is_authenticated and user.organised_events.exists())


def register_jobs() -> None:
    from jobs.periodic import register_periodic
    from jobs.registry import register as register_job

    register_job(TELL_CHANGES_JOB, tell_changes_job)
    register_job(REMINDERS_JOB, reminders_job)
    register_job(REQUESTS_DIGEST_JOB, requests_digest_job)
    every_hour = timedelta(hours=1)
    register_periodic(
        name=REMINDERS_JOB,
        kind=REMINDERS_JOB,
        title=gettext_lazy("Meeting reminders"),
        every=every_hour,
    )
    register_periodic(
        name=REQUESTS_DIGEST_JOB,
        kind=REQUESTS_DIGEST_JOB,
        title=gettext_lazy("Unanswered meeting requests, for the organisers"),
        every=every_hour,
    )


# -- wording shared by the messages ---------------------------------------------------------------


def when(instant: dt.datetime, *, event: Event) -> str:
    """A moment as the participants read it: the day and the time, in the event's zone."""
    return clock.day_clock(instant, event.zone)


def zone_sentence(event: Event) -> str:
    """Which zone the times of a message are in, e.g. "Times are in the event's time zone,
    Asia/Seoul (UTC+09:00)." The offset is the one on the event's first day."""
    first = dt.datetime.combine(event.starts_on, dt.time(12), tzinfo=event.zone)
    offset = first.strftime("%z")
    utc = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return _("Times are in the event's time zone, %(zone)s (%(offset)s).") % {
        "zone": event.timezone,
        "offset": utc,
    }


def _render(name: str, context: dict) -> str:
    return message_body(f"events/notifications/{name}.txt", context)


def _managers(participant: Participant, *, but: Iterable = ()) -> list:
    """The active managers of the participant's organisation, less those in `but` (the people
    whose own action the message is about), each with the language they read."""
    left_out = {u.pk for u in but if u is not None}
    return [
        user
        for user in participant.actor.managers.filter(is_active=True)
        .select_related("language_choice")
        .order_by("pk")
        if user.pk not in left_out
    ]


def _organisers(event: Event, *, but: Iterable = ()) -> list:
    left_out = {u.pk for u in but if u is not None}
    return [
        user
        for user in event.organisers.filter(is_active=True)
        .select_related("language_choice")
        .order_by("pk")
        if user.pk not in left_out
    ]


def _after_commit(func, **kwargs) -> None:
    # Robust: the change is saved whatever happens to its messages, and a page never fails
    # because a message could not be written.
    transaction.on_commit(lambda: func(**kwargs), robust=True)


def _agenda_lines(participant: Participant) -> list[str]:
    from events.agenda import participant_meetings

    event = participant.event
    lines = []
    for meeting in participant_meetings(participant):
        other = meeting.kr if meeting.eu_id == participant.pk else meeting.eu
        lines.append(
            _("%(start)s-%(end)s, table %(table)s: %(name)s")
            % {
                "start": when(meeting.slot.starts_at, event=event),
                "end": clock.clock(meeting.slot.ends_at, event.zone),
                "table": meeting.table,
                "name": other.actor.name,
            }
        )
    return lines


def _agenda_link(participant: Participant) -> str:
    return reverse("event_agenda", kwargs={"slug": participant.event.slug, "pk": participant.pk})


def _requests_link(participant: Participant) -> str:
    return reverse("event_requests", kwargs={"slug": participant.event.slug, "pk": participant.pk})


# -- meeting requests -----------------------------------------------------------------------------


def request_sent(*, meeting_request: MeetingRequest, by=None) -> None:
    """After a request is sent: every manager of the receiving participant hears of it."""
    _after_commit(_request_sent, request_id=meeting_request.pk, by_id=getattr(by, "pk", None))


def _request_sent(*, request_id: int, by_id: int | None) -> None:
    request = (
        MeetingRequest.objects.select_related("event", "sender__actor", "receiver__actor")
        .filter(pk=request_id, status=RequestStatus.PENDING)
        .first()
    )
    if request is None:
        return
    receiver, event = request.receiver, request.event
    context = {"request": request, "event": event, "sender": request.sender, "receiver": receiver}
    names = {"sender": request.sender.actor.name, "receiver": receiver.actor.name, "event": event}
    notify_each(
        recipients=_managers(receiver, but=_users(by_id)),
        kind=REQUEST_RECEIVED,
        subject=lambda: _("%(sender)s asks to meet %(receiver)s at %(event)s") % names,
        body=lambda: _render("request_received", context),
        link=_requests_link(receiver),
        dedupe_key=f"{REQUEST_RECEIVED}:{request.pk}:{request.created_at.isoformat()}",
    )


def request_answered(*, meeting_request: MeetingRequest, by=None) -> None:
    """After a request is accepted or declined: the sender's managers hear the answer."""
    _after_commit(_request_answered, request_id=meeting_request.pk, by_id=getattr(by, "pk", None))


def _request_answered(*, request_id: int, by_id: int | None) -> None:
    request = (
        MeetingRequest.objects.select_related("event", "sender__actor", "receiver__actor")
        .filter(pk=request_id, status__in=[RequestStatus.ACCEPTED, RequestStatus.DECLINED])
        .first()
    )
    if request is None or request.answered_at is None:
        return
    sender, event = request.sender, request.event
    accepted = request.status == RequestStatus.ACCEPTED
    context = {
        "request": request,
        "event": event,
        "sender": sender,
        "receiver": request.receiver,
        "accepted": accepted,
    }
    names = {"receiver": request.receiver.actor.name, "sender": sender.actor.name, "event": event}
    if accepted:
        subject = gettext_lazy(
            "%(receiver)s accepted the request of %(sender)s to meet at %(event)s"
        )
    else:
        subject = gettext_lazy(
            "%(receiver)s declined the request of %(sender)s to meet at %(event)s"
        )
    notify_each(
        recipients=_managers(sender, but=_users(by_id)),
        kind=REQUEST_ANSWERED,
        subject=lambda: str(subject) % names,
        body=lambda: _render("request_answered", context),
        link=_requests_link(sender),
        dedupe_key=f"{REQUEST_ANSWERED}:{request.pk}:{request.answered_at.isoformat()}",
    )


def _users(*ids: int | None) -> list:
    wanted = [pk for pk in ids if pk is not None]
    return list(get_user_model().objects.filter(pk__in=wanted)) if wanted else []


# -- registrations --------------------------------------------------------------------------------


def registration_received(*, participant: Participant, by=None) -> None:
    """After a manager registers their organisation: the event's organisers decide on it."""
    _after_commit(_registration_received, participant_id=participant.pk)


def _registration_received(*, participant_id: int) -> None:
    participant = (
        Participant.objects.select_related("event", "actor", "registered_by")
        .filter(pk=participant_id, status=ParticipantStatus.PENDING)
        .first()
    )
    if participant is None:
        return
    event, registrar = participant.event, participant.registered_by
    context = {
        "participant": participant,
        "event": event,
        "actor": participant.actor,
        "registrar": user_name(registrar) if registrar else "",
    }
    link = reverse("event_participant", kwargs={"slug": event.slug, "pk": participant.pk})
    names = {"organisation": participant.actor.name, "event": event}
    notify_each(
        recipients=_organisers(event, but=[registrar]),
        kind=REGISTRATION_WAITING,
        subject=lambda: _("%(organisation)s registered for %(event)s: your decision") % names,
        body=lambda: _render("registration_waiting", context),
        link=link,
        dedupe_key=f"{REGISTRATION_WAITING}:{participant.pk}",
    )


def registration_decided(*, participant: Participant, by=None) -> None:
    """After the organisers accept or decline a participant: its managers hear the decision."""
    _after_commit(
        _registration_decided, participant_id=participant.pk, by_id=getattr(by, "pk", None)
    )


def _registration_decided(*, participant_id: int, by_id: int | None) -> None:
    participant = (
        Participant.objects.select_related("event", "actor").filter(pk=participant_id).first()
    )
    if participant is None or participant.decided_at is None:
        return
    if participant.status == ParticipantStatus.PENDING:
        return
    event = participant.event
    accepted = participant.status == ParticipantStatus.ACCEPTED
    context = {"participant": participant, "event": event, "accepted": accepted}
    names = {"event": event, "organisation": participant.actor.name}
    if accepted:
        subject = gettext_lazy("%(event)s: the organisers accepted %(organisation)s")
    else:
        subject = gettext_lazy("%(event)s: the organisers declined %(organisation)s")
    notify_each(
        recipients=_managers(participant, but=_users(by_id)),
        kind=REGISTRATION_DECIDED,
        subject=lambda: str(subject) % names,
        body=lambda: _render("registration_decided", context),
        link=reverse("event_participant", kwargs={"slug": event.slug, "pk": participant.pk}),
        dedupe_key=f"{REGISTRATION_DECIDED}:{participant.pk}:{participant.decided_at.isoformat()}",
    )


# -- the published schedule and its changes -------------------------------------------------------
#
# The change log (`events.changelog`) records every change to a schedule once it has been
# published. Its rows are what participants are told: `schedule_changes_logged` collects the
# rows one transaction writes (an action often writes several, in one or more calls) and, once
# it commits, each participant concerned gets one message listing all of them.

_local = threading.local()


class _Batch:
    def __init__(self) -> None:
        self.ids: list[int] = []
        self.done = False
        # Django names a failing robust on_commit callback by its __qualname__ when it logs
        # it; an instance has none of its own, and the log call itself would then raise.
        self.__qualname__ = "events.notices.schedule_changes_batch"

    def __call__(self) -> None:
        from events.jobs import event_scope
        from jobs.models import Audience
        from jobs.runner import enqueue

        self.done = True
        by_event: dict[int, list[int]] = defaultdict(list)
        for change_id, event_id in ScheduleChange.objects.filter(pk__in=set(self.ids)).values_list(
            "pk", "event_id"
        ):
            by_event[event_id].append(change_id)
        # One job per event (an action changes one event's schedule): only that event's
        # organisers see it.
        for event_id, found in sorted(by_event.items()):
            ids = sorted(found)
            enqueue(
                kind=TELL_CHANGES_JOB,
                title=_("Tell the participants about a change of the schedule"),
                params={"changes": ids},
                audience=Audience.ORGANISERS,
                dedupe_key=f"{TELL_CHANGES_JOB}:{ids[0]}-{ids[-1]}",
                scope=event_scope(event_id),
            )


def tell_changes_job(*, job, params: dict, progress) -> dict:
    """Idempotent: a message already written (same dedupe key) is not written again."""
    sent = schedule_changes_send(change_ids=list(params.get("changes", [])))
    return {
        "summary": ngettext("%(count)d message written.", "%(count)d messages written.", sent)
        % {"count": sent}
    }


def _pending_batch() -> _Batch:
    """The batch this action is collecting, or a new one, sent when the transaction commits."""
    batch = getattr(_local, "batch", None)
    connection = transaction.get_connection()
    # The batch belongs to this action while its callback still waits, registered inside the
    # atomic blocks open now: a rollback drops the callback, and a callback of an earlier
    # action (a savepoint released since, as in tests, where nothing commits) is not this one's.
    open_now = set(connection.savepoint_ids)
    waiting = (
        batch is not None
        and not batch.done
        and any(
            func is batch and savepoints <= open_now
            for savepoints, func, *_ in connection.run_on_commit
        )
    )
    if not waiting:
        batch = _Batch()
        _local.batch = batch
        transaction.on_commit(batch, robust=True)
    return batch


def schedule_changes_logged(changes: Iterable[ScheduleChange]) -> None:
    """Called by the change log for the rows it wrote; the messages go once the transaction
    commits (at once outside one)."""
    ids = [change.pk for change in changes if change is not None and change.pk is not None]
    if not ids:
        return
    if not transaction.get_connection().in_atomic_block:
        batch = _Batch()
        batch.ids.extend(ids)
        batch()
        return
    _pending_batch().ids.extend(ids)


def schedule_changes_send(*, change_ids: list[int]) -> int:
    """Tell each participant concerned by these logged changes (read again: only those that
    were saved): a publication brings every participant its agenda; moves, additions and
    cancellations bring the participants concerned one message each, while the schedule is
    published."""
    changes = list(
        ScheduleChange.objects.filter(pk__in=change_ids)
        .select_related("event", "made_by", "eu__actor", "kr__actor")
        .order_by("pk")
    )
    by_event: dict[int, list[ScheduleChange]] = defaultdict(list)
    for change in changes:
        by_event[change.event_id].append(change)
    sent = 0
    for rows in by_event.values():
        event = rows[0].event
        if event.published_at is None:
            # Withdrawn: nobody sees an agenda now; publishing again sends every agenda.
            continue
        published = [c for c in rows if c.action == ChangeAction.PUBLISHED]
        if published:
            # The agenda the publication sends says where everything is, changes included.
            sent += _schedule_published(event=event, change=published[-1])
        else:
            sent += _schedule_changed(event=event, changes=rows)
    return sent


def _tell_all(recipients: list, *, compose: Callable[[], dict], **message) -> int:
    """One message to each of `recipients`, all or none (a job stopped half-way writes the
    rest when it runs again), its words (`compose`: subject and body) written in each
    recipient's language, once per language. Returns how many were written."""
    composed: dict[str, dict] = {}
    written = 0
    with transaction.atomic():
        for user in recipients:
            with in_language_of(user) as language:
                if language not in composed:
                    composed[language] = compose()
                written += notify(recipient=user, **composed[language], **message) is not None
    return written


def _schedule_published(*, event: Event, change: ScheduleChange) -> int:
    participants = event.participants.filter(status=ParticipantStatus.ACCEPTED).select_related(
        "actor", "event"
    )
    ends = round_ends(event)
    # Published again after a withdrawal: each participant also reads what changed for them
    # meanwhile, not only the new agenda (a meeting they were told of must not vanish
    # without a word).
    meanwhile = changes_while_withdrawn(published=change)
    sent = 0
    for participant in participants:
        net = net_changes(meanwhile, participant=participant, ends=ends)
        # Publishing is the publisher's own act: a publisher who manages a participant hears
        # nothing of it, unless others changed that participant's meetings meanwhile; nobody
        # is told of the changes they made themselves.
        groups = _by_what_they_did_not_do(
            _managers(participant), net, keep_empty=True, author_id=change.made_by_id
        )
        for recipients, shown in groups:
            by_you = change.made_by_id is not None and recipients[0].pk == change.made_by_id

            def compose(participant=participant, shown=shown, by_you=by_you) -> dict:
                context = {
                    "event": event,
                    "participant": participant,
                    "again": bool(meanwhile),
                    "by_you": by_you,
                    "lines": [
                        change_line(c, participant=participant, event=event, ends=ends)
                        for c in shown
                    ],
                    "agenda": _agenda_lines(participant),
                    "zone": zone_sentence(event),
                }
                names = {"event": event, "organisation": participant.actor.name}
                if by_you:
                    subject = _(
                        "%(event)s: others changed the meetings of %(organisation)s while the "
                        "schedule was withdrawn"
                    )
                else:
                    subject = _("%(event)s: the meeting schedule of %(organisation)s is published")
                return {
                    "subject": subject % names,
                    "body": _render("schedule_published", context),
                }

            sent += _tell_all(
                recipients,
                compose=compose,
                kind=SCHEDULE_PUBLISHED,
                link=_agenda_link(participant),
                dedupe_key=f"{SCHEDULE_PUBLISHED}:{change.pk}:{participant.pk}",
            )
    return sent


def _by_what_they_did_not_do(
    users: list,
    changes: list[ScheduleChange],
    *,
    keep_empty: bool = False,
    author_id: int | None = None,
) -> list[tuple[list, list[ScheduleChange]]]:
    """The users grouped by what they are told: the changes made by others, not by themselves.
    Someone told of none is left out, unless `keep_empty` (the message has more to say, e.g. a
    new agenda) and they are not `author_id` (who made what the message is about)."""
    groups: dict[tuple, tuple[list, list[ScheduleChange]]] = {}
    for user in users:
        shown = [c for c in changes if c.made_by_id is None or c.made_by_id != user.pk]
        if not shown and not (keep_empty and user.pk != author_id):
            continue
        key = (user.pk == author_id, *(id(c) for c in shown))
        groups.setdefault(key, ([], shown))[0].append(user)
    return list(groups.values())


def round_ends(event: Event) -> dict[dt.datetime, dt.datetime]:
    """When each round of the event ends now, by its start (a start names one round)."""
    return dict(event.slots.values_list("starts_at", "ends_at"))


def _new_end(change: ScheduleChange, ends: dict | None) -> dt.datetime | None:
    # The log keeps a meeting's new start, not its new end: the round starting then ends when
    # it ends now (the messages are written once the change is saved).
    if change.new_starts_at is None:
        return None
    if ends is None:
        ends = dict(
            TimeSlot.objects.filter(
                event_id=change.event_id, starts_at=change.new_starts_at
            ).values_list("starts_at", "ends_at")
        )
    return ends.get(change.new_starts_at)


def _changed(change: ScheduleChange, *, ends: dict | None) -> bool:
    """Whether a move changed anything a participant sees: its start, its end or its table."""
    if (change.old_starts_at, change.old_table) != (change.new_starts_at, change.new_table):
        return True
    end = _new_end(change, ends)
    return change.old_ends_at is not None and end is not None and end != change.old_ends_at


def net_changes(
    changes: list[ScheduleChange], *, participant: Participant, ends: dict | None = None
) -> list[ScheduleChange]:
    """What several logged changes (in order) did to `participant`'s meetings, one per pair:
    a meeting moved twice moved once, from its first place to its last; one added then
    cancelled, or moved back where it was (same start, end and table), is no change. Unsaved
    rows, for `change_line`, made by the one person who made all of a pair's changes (nobody
    when several did). `ends`: `round_ends` of the event, read here if not given."""
    by_pair: dict[tuple, list[ScheduleChange]] = defaultdict(list)
    for change in changes:
        if participant.pk not in (change.eu_id, change.kr_id):
            continue
        # A pair whose other side was deleted cannot be matched with its other rows.
        key = (change.eu_id, change.kr_id) if change.eu_id and change.kr_id else (change.pk,)
        by_pair[key].append(change)
    net = []
    for rows in by_pair.values():
        first, last = rows[0], rows[-1]
        existed = first.action != ChangeAction.ADDED
        exists = last.action != ChangeAction.REMOVED
        makers = {row.made_by_id for row in rows}
        fields = {
            "event_id": first.event_id,
            "eu": first.eu,
            "kr": first.kr,
            "made_by_id": makers.pop() if len(makers) == 1 else None,
        }
        old = {
            "old_starts_at": first.old_starts_at,
            "old_ends_at": first.old_ends_at,
            "old_table": first.old_table,
        }
        new = {"new_starts_at": last.new_starts_at, "new_table": last.new_table}
        if existed and not exists:
            net.append(ScheduleChange(action=ChangeAction.REMOVED, **fields, **old))
        elif exists and not existed:
            net.append(ScheduleChange(action=ChangeAction.ADDED, **fields, **new))
        elif exists:
            moved = ScheduleChange(action=ChangeAction.MOVED, **fields, **old, **new)
            if _changed(moved, ends=ends):
                net.append(moved)
    return net


def change_line(
    change: ScheduleChange, *, participant: Participant, event: Event, ends: dict | None = None
) -> str:
    """One change as the participant reads it, e.g. "Your meeting with Chuncheon Bioindustry
    Foundation moved from Tue 24 Nov 09:00-09:25, table 1, to Tue 24 Nov 09:30-09:55, table 2."
    or, when only its end changed, "... on Tue 24 Nov 09:00, table 1, now ends at 09:20 (was
    09:25)." `ends`: `round_ends` of the event, read here if not given."""
    other = change.kr if change.eu_id == participant.pk else change.eu
    name = other.actor.name if other is not None else _("another participant")
    old_end, new_end = change.old_ends_at, _new_end(change, ends)

    def hours(start: dt.datetime, end: dt.datetime | None) -> str:
        if end is None:
            return when(start, event=event)
        return _("%(start)s-%(end)s") % {
            "start": when(start, event=event),
            "end": clock.clock(end, event.zone),
        }

    def place(start: dt.datetime, end: dt.datetime | None, table: int | None) -> str:
        return _("%(time)s, table %(table)s") % {"time": hours(start, end), "table": table}

    said = {"name": name}
    if change.old_starts_at:
        said["old"] = place(change.old_starts_at, old_end, change.old_table)
    if change.new_starts_at:
        said["new"] = place(change.new_starts_at, new_end, change.new_table)
    if change.action == ChangeAction.ADDED:
        if not change.new_starts_at:
            return _("New meeting with %(name)s: a new time.") % said
        return _("New meeting with %(name)s: %(new)s.") % said
    if change.action == ChangeAction.MOVED:
        return _moved_line(change, said=said, old_end=old_end, new_end=new_end, event=event)
    gone = other is not None and other.status != ParticipantStatus.ACCEPTED
    if not change.old_starts_at:
        if gone:
            return (
                _(
                    "Your meeting with %(name)s on its earlier time is cancelled (%(name)s no "
                    "longer takes part in the event)."
                )
                % said
            )
        return _("Your meeting with %(name)s on its earlier time is cancelled.") % said
    if gone:
        return (
            _(
                "Your meeting with %(name)s on %(old)s, is cancelled (%(name)s no longer takes "
                "part in the event)."
            )
            % said
        )
    return _("Your meeting with %(name)s on %(old)s, is cancelled.") % said


def _moved_line(
    change: ScheduleChange,
    *,
    said: dict,
    old_end: dt.datetime | None,
    new_end: dt.datetime | None,
    event: Event,
) -> str:
    """`change_line` for a meeting moved: to another time, another table, or only a new end."""
    same_start = change.old_starts_at is not None and change.old_starts_at == (change.new_starts_at)
    same_end = old_end is None or new_end is None or old_end == new_end
    said = {
        "old": _("its earlier time"),
        "new": _("a new time"),
        **said,
        "old_table": change.old_table,
        "new_table": change.new_table,
    }
    if same_start and not same_end:
        said |= {
            "start": when(change.old_starts_at, event=event),
            "end": clock.clock(new_end, event.zone),
            "was": clock.clock(old_end, event.zone),
        }
        if change.old_table == change.new_table:
            return (
                _(
                    "Your meeting with %(name)s on %(start)s, table %(old_table)s, now ends at "
                    "%(end)s (was %(was)s)."
                )
                % said
            )
        return (
            _(
                "Your meeting with %(name)s on %(start)s now ends at %(end)s (was %(was)s) and "
                "moved from table %(old_table)s to table %(new_table)s."
            )
            % said
        )
    if same_start:
        said["hours"] = (
            _("%(start)s-%(end)s")
            % {
                "start": when(change.old_starts_at, event=event),
                "end": clock.clock(old_end, event.zone),
            }
            if old_end is not None
            else when(change.old_starts_at, event=event)
        )
        return (
            _(
                "Your meeting with %(name)s on %(hours)s moved from table %(old_table)s to table "
                "%(new_table)s."
            )
            % said
        )
    return _("Your meeting with %(name)s moved from %(old)s, to %(new)s.") % said


def _schedule_changed(*, event: Event, changes: list[ScheduleChange]) -> int:
    ends = round_ends(event)
    concerned: dict[int, list[ScheduleChange]] = defaultdict(list)
    people: dict[int, Participant] = {}
    for change in changes:
        if change.action not in (ChangeAction.ADDED, ChangeAction.MOVED, ChangeAction.REMOVED):
            continue
        if change.action == ChangeAction.MOVED and not _changed(change, ends=ends):
            continue
        for participant in (change.eu, change.kr):
            # A participant that left (declined or withdrawn) has no agenda to change.
            if participant is not None and participant.status == ParticipantStatus.ACCEPTED:
                concerned[participant.pk].append(change)
                people[participant.pk] = participant
    sent = 0
    for pk, rows in concerned.items():
        participant = people[pk]
        participant.event = event
        # Each manager hears of the changes others made, not of their own.
        for recipients, shown in _by_what_they_did_not_do(_managers(participant), rows):

            def compose(participant=participant, shown=shown) -> dict:
                context = {
                    "event": event,
                    "participant": participant,
                    "lines": [
                        change_line(c, participant=participant, event=event, ends=ends)
                        for c in shown
                    ],
                    "agenda": _agenda_lines(participant),
                    "zone": zone_sentence(event),
                }
                names = {
                    "event": event,
                    "organisation": participant.actor.name,
                    "count": len(shown),
                }
                if len(shown) == 1:
                    subject = _("%(event)s: a change to the meetings of %(organisation)s")
                else:
                    subject = ngettext(
                        "%(event)s: %(count)d change to the meetings of %(organisation)s",
                        "%(event)s: %(count)d changes to the meetings of %(organisation)s",
                        len(shown),
                    )
                return {
                    "subject": subject % names,
                    "body": _render("schedule_changed", context),
                }

            sent += _tell_all(
                recipients,
                compose=compose,
                kind=SCHEDULE_CHANGED,
                link=_agenda_link(participant),
                dedupe_key=f"{SCHEDULE_CHANGED}:{pk}:{rows[0].pk}-{rows[-1].pk}",
            )
    return sent


# -- the day before: reminders -------------------------------------------------------------------


def meeting_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind the managers of every participant whose first meeting is tomorrow (event time),
    from `SEND_FROM_HOUR` on, with its agenda. Sent once per participant and day of that
    first meeting, however often this runs. Returns the number of messages written."""
    from events.dashboard import meetings_involving

    now = now or timezone.now()
    sent = 0
    upcoming = Event.objects.filter(
        published_at__isnull=False, ends_on__gte=now.date() - timedelta(days=1)
    )
    for event in upcoming:
        local = now.astimezone(event.zone)
        if local.hour < SEND_FROM_HOUR:
            continue
        tomorrow = local.date() + timedelta(days=1)
        if not event.starts_on <= tomorrow <= event.ends_on:
            continue
        for participant in event.participants.filter(
            status=ParticipantStatus.ACCEPTED
        ).select_related("actor", "event"):
            first = meetings_involving(participant).order_by("slot__starts_at").first()
            if first is None or first.slot.starts_at.astimezone(event.zone).date() != tomorrow:
                continue

            def compose(participant=participant, event=event, tomorrow=tomorrow) -> dict:
                context = {
                    "event": event,
                    "participant": participant,
                    "day": clock.long_day(tomorrow),
                    "agenda": _agenda_lines(participant),
                    "zone": zone_sentence(event),
                }
                return {
                    "subject": _("Tomorrow at %(event)s: the meetings of %(organisation)s")
                    % {"event": event, "organisation": participant.actor.name},
                    "body": _render("meeting_reminder", context),
                }

            sent += _tell_all(
                _managers(participant),
                compose=compose,
                kind=MEETING_REMINDER,
                link=_agenda_link(participant),
                dedupe_key=f"{MEETING_REMINDER}:{participant.pk}:{tomorrow.isoformat()}",
            )
    return sent


def reminders_job(*, job, params: dict, progress) -> dict:
    sent = meeting_reminders_send()
    return {
        "summary": ngettext("%(count)d reminder written.", "%(count)d reminders written.", sent)
        % {"count": sent}
    }


# -- organisers: requests nobody answered ---------------------------------------------------------


def requests_digest_send(*, now: dt.datetime | None = None) -> int:
    """Once a day at most (event time, from `SEND_FROM_HOUR`), tell each organiser of an event
    not over yet which meeting requests have waited more than `REQUEST_WAITS` for an answer,
    if one of them started to wait that long since their last summary. Only participants answer
    requests; organisers nudge them before generating the schedule, for which an accepted
    request is a must-meet and an unanswered one nothing. Returns the messages written."""
    now = now or timezone.now()
    sent = 0
    events = Event.objects.filter(
        ends_on__gte=now.date() - timedelta(days=1),
        meeting_requests__status=RequestStatus.PENDING,
    ).distinct()
    for event in events:
        local = now.astimezone(event.zone)
        if local.hour < SEND_FROM_HOUR or local.date() > event.ends_on:
            continue
        waiting = list(
            event.meeting_requests.filter(
                status=RequestStatus.PENDING, created_at__lte=now - REQUEST_WAITS
            )
            .select_related("sender__actor", "receiver__actor")
            .order_by("created_at", "pk")
        )
        if not waiting:
            continue
        key_prefix = f"{REQUESTS_WAITING}:{event.pk}:"
        for user in _organisers(event):
            last = _last_summary(user=user, key_prefix=key_prefix)
            if last is not None:
                if local.date() == last.astimezone(event.zone).date():
                    continue  # one summary a day
                if not any(r.created_at + REQUEST_WAITS > last for r in waiting):
                    continue  # nothing new since the last one
            with in_language_of(user):
                written = notify(
                    recipient=user,
                    kind=REQUESTS_WAITING,
                    subject=ngettext(
                        "%(event)s: %(count)d meeting request waiting for an answer",
                        "%(event)s: %(count)d meeting requests waiting for an answer",
                        len(waiting),
                    )
                    % {"event": event, "count": len(waiting)},
                    body=_requests_waiting_body(event=event, waiting=waiting, now=now),
                    link=reverse("event_requests_all", kwargs={"slug": event.slug}),
                    # The moment the summary speaks of, read back by `_last_summary`.
                    dedupe_key=f"{key_prefix}{int(now.timestamp())}",
                )
            sent += written is not None
    return sent


def _requests_waiting_body(*, event: Event, waiting: list, now: dt.datetime) -> str:
    lines = [
        ngettext(
            "%(sender)s asked %(receiver)s on %(day)s (%(count)d day ago)",
            "%(sender)s asked %(receiver)s on %(day)s (%(count)d days ago)",
            (now - r.created_at).days,
        )
        % {
            "sender": r.sender.actor.name,
            "receiver": r.receiver.actor.name,
            "day": clock.padded_day(r.created_at, event.zone),
            "count": (now - r.created_at).days,
        }
        for r in waiting
    ]
    return _render("requests_waiting", {"event": event, "lines": lines, "count": len(waiting)})


def _last_summary(*, user, key_prefix: str) -> dt.datetime | None:
    """When the organiser's last summary of the event's requests was made, from its key."""
    keys = Notification.objects.filter(
        recipient=user, kind=REQUESTS_WAITING, dedupe_key__startswith=key_prefix
    ).values_list("dedupe_key", flat=True)
    stamps = [int(k[len(key_prefix) :]) for k in keys if k[len(key_prefix) :].isdigit()]
    return dt.datetime.fromtimestamp(max(stamps), tz=dt.UTC) if stamps else None


def requests_digest_job(*, job, params: dict, progress) -> dict:
    sent = requests_digest_send()
    return {
        "summary": ngettext("%(count)d summary written.", "%(count)d summaries written.", sent)
        % {"count": sent}
    }


# -- organisers: participants a generation left without meetings ---------------------------------


def schedule_generated(*, run: ScheduleRun, by=None) -> None:
    """After a generation: if it left accepted participants without any meeting, the organiser
    who generated it is told who, and what limits each."""
    if by is None or not getattr(by, "is_authenticated", False) or not run.without_meetings:
        return
    _after_commit(_schedule_generated, run_id=run.pk, user_id=by.pk)


def _schedule_generated(*, run_id: int, user_id: int) -> None:
    from events.dashboard import meeting_fairness

    run = ScheduleRun.objects.select_related("event").filter(pk=run_id).first()
    user = get_user_model().objects.filter(pk=user_id).select_related("language_choice").first()
    if run is None or user is None:
        return
    event = run.event
    # The reasons are sentences too: written in the organiser's language.
    with in_language_of(user):
        fairness = meeting_fairness(event=event)
        without = [f for f in fairness.fewest if f.meetings == 0]
        if not without:
            return  # meetings added by hand since
        listed = [
            _("%(organisation)s (%(side)s): %(reasons)s")
            % {
                "organisation": f.participant.actor.name,
                "side": f.participant.actor.get_side_display(),
                "reasons": "; ".join(f.reasons),
            }
            for f in without
        ]
        total = run.without_meetings
        context = {
            "event": event,
            "lines": listed,
            "total": total,
            "more": max(total - len(listed), 0),
            "run": run,
        }
        notify(
            recipient=user,
            kind=GENERATION_UNMET,
            subject=ngettext(
                "%(event)s: %(count)d participant without a meeting",
                "%(event)s: %(count)d participants without a meeting",
                total,
            )
            % {"event": event, "count": total},
            body=_render("generation_unmet", context),
            link=event.get_absolute_url(),
            dedupe_key=f"{GENERATION_UNMET}:{run.pk}",
        )
