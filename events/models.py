"""Matchmaking events: set-up, participants, wishes, and the meeting schedule.

The rules that decide what may change (who may register, what a move must respect) live in
the services beside this module (`events.setup`, `events.schedule`, ...); the database
constraints here are the last line of defence, so that two organisers editing the same
schedule at once cannot double-book a table or a participant.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from common.text import validate_one_line, validate_storable
from common.timezones import validate_timezone
from directory.models import Actor
from events import clock

# The tables keep the names they had when events were part of the matching app (migration
# events.0001 moved the models without touching a row), hence db_table on every model.


EARLIEST_EVENT_YEAR, LATEST_EVENT_YEAR = 2000, 2100


def validate_event_date(value) -> None:
    if not EARLIEST_EVENT_YEAR <= value.year <= LATEST_EVENT_YEAR:
        raise ValidationError(
            _("Give a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": EARLIEST_EVENT_YEAR, "last": LATEST_EVENT_YEAR},
        )


class Event(models.Model):
    """A matchmaking event: one-to-one meetings between European and Korean participants."""

    name = models.CharField(max_length=200, validators=[validate_one_line])
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(
        blank=True, max_length=5000, validators=[validate_storable, MaxLengthValidator(5000)]
    )
    place = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy("Venue and city; leave empty for an online event."),
    )
    online = models.BooleanField(default=False)
    timezone = models.CharField(
        max_length=64,
        default="Asia/Seoul",
        validators=[validate_timezone],
        help_text=gettext_lazy("Session times are in this time zone."),
    )
    # Far-off years are typing slips, and near year 1 or 9999 time-zone arithmetic overflows.
    starts_on = models.DateField(validators=[validate_event_date])
    ends_on = models.DateField(validators=[validate_event_date])
    meeting_minutes = models.PositiveSmallIntegerField(
        default=25, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    break_minutes = models.PositiveSmallIntegerField(
        default=5,
        validators=[MaxValueValidator(120)],
        help_text=gettext_lazy("Between two meetings."),
    )
    tables = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    max_meetings = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=gettext_lazy("The most meetings one participant can have."),
    )
    min_meetings = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(100)],
        help_text=gettext_lazy(
            "Every accepted participant gets at least this many meetings where the event "
            "allows it (availability, exclusions, not interested); 0 to let the best pairs win."
        ),
    )
    min_fit = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=gettext_lazy(
            "Pairs whose fit (0-100, as on the pages) is below this are not proposed, unless "
            "one of them asked for the meeting. Organisers can still place them by hand."
        ),
    )
    video_link = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_one_line],
        help_text=gettext_lazy(
            "Online and hybrid events: the video address of a meeting. {table} is replaced by "
            "the table number and {meeting} by a code for the meeting, e.g. "
            "https://meet.example.org/eu-korea-table-{table}."
        ),
    )
    registration_open = models.BooleanField(default=False)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_events", blank=True
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("When the schedule was published to participants."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "matching_event"
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(tables__gte=1), name="event_has_tables"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("event_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The event cannot end before it starts.")})
        if not self.online and not self.place:
            raise ValidationError({"place": _("Say where the event takes place, or tick online.")})

    @property
    def published(self) -> bool:
        return self.published_at is not None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class EventSession(models.Model):
    """A block of meetings on one day, e.g. "Day 1 afternoon", 14:00-17:30."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(max_length=100, validators=[validate_one_line])
    date = models.DateField()
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        db_table = "matching_eventsession"
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s (%(day)s %(start)s-%(end)s)") % {
            "name": self.name,
            "day": clock.padded_day_month(self.date),
            "start": clock.clock(self.start),
            "end": clock.clock(self.end),
        }

    def clean(self) -> None:
        # The database constraint says the same, but only as its own name.
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValidationError({"end": _("A session must end after it starts.")})


class TimeSlot(models.Model):
    """One meeting round. Derived from the sessions and meeting length by `event_slots_sync`."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(EventSession, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        db_table = "matching_timeslot"
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="slot_once_per_start"),
        ]

    def __str__(self) -> str:
        # In the reader's language: rounds name themselves on pages, in forms and in messages.
        return clock.day_clock(self.starts_at, self.event.zone)


class ParticipantStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("waiting for the organisers")
    ACCEPTED = "accepted", pgettext_lazy("participant status", "accepted")
    DECLINED = "declined", pgettext_lazy("participant status", "declined")


class Participant(models.Model):
    """An actor taking part in an event; its side (European or Korean) is the actor's."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    status = models.CharField(
        max_length=10, choices=ParticipantStatus.choices, default=ParticipantStatus.PENDING
    )
    absent_from = models.ManyToManyField(
        EventSession,
        blank=True,
        related_name="absentees",
        help_text=gettext_lazy("Sessions it will miss."),
    )
    absent_rounds = models.ManyToManyField(
        TimeSlot,
        blank=True,
        related_name="absentees",
        help_text=gettext_lazy("Single rounds it will miss, inside sessions it attends."),
    )
    calendar_token = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text=gettext_lazy("Secret of the private calendar address; cleared to revoke it."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(
        blank=True,
        max_length=2000,
        validators=[validate_storable, MaxLengthValidator(2000)],
        help_text=gettext_lazy("Seen by the organisers only."),
    )
    decision_message = models.CharField(max_length=500, blank=True, validators=[validate_storable])
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "matching_participant"
        ordering = ["actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "actor"], name="participant_once_per_event"),
        ]

    def __str__(self) -> str:
        return _("%(organisation)s at %(event)s") % {
            "organisation": self.actor,
            "event": self.event,
        }

    @property
    def side(self) -> str:
        return self.actor.side


class Attendee(models.Model):
    """A person who will sit at the table for a participant. Personal data."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendees")
    first_name = models.CharField(max_length=100, validators=[validate_one_line])
    last_name = models.CharField(max_length=100, validators=[validate_one_line])
    job_title = models.CharField(max_length=150, blank=True, validators=[validate_one_line])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=[validate_one_line])
    checked_in_at = models.DateTimeField(
        null=True, blank=True, help_text=gettext_lazy("When the person arrived at the event.")
    )

    class Meta:
        db_table = "matching_attendee"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class WishLevel(models.TextChoices):
    MUST = "must", gettext_lazy("must meet")
    LIKE = "like", gettext_lazy("would like to meet")
    NOT = "not", gettext_lazy("not interested")


class Wish(models.Model):
    """What one participant wants from meeting another (set by it or by an organiser)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="wishes")
    target = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="wished_by")
    level = models.CharField(max_length=4, choices=WishLevel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "matching_wish"
        constraints = [
            models.UniqueConstraint(fields=["participant", "target"], name="wish_once_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(participant=models.F("target")), name="wish_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant.actor} {self.get_level_display()} {self.target.actor}"


class Exclusion(models.Model):
    """A pair the organisers never schedule (conflict of interest, same group...)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="exclusions")
    eu = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    kr = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, blank=True, validators=[validate_one_line])

    class Meta:
        db_table = "matching_exclusion"
        constraints = [
            models.UniqueConstraint(fields=["eu", "kr"], name="exclusion_once_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.eu.actor} / {self.kr.actor}"


class FollowUp(models.TextChoices):
    NONE = "none", pgettext_lazy("follow-up of a meeting", "none")
    TALKS = "talks", gettext_lazy("further talks")
    VISIT = "visit", pgettext_lazy("follow-up of a meeting", "visit")
    MOU = "mou", gettext_lazy("MoU or agreement")
    PROJECT = "project", gettext_lazy("joint project")


class NoShow(models.TextChoices):
    EU = "eu", gettext_lazy("the European participant did not come")
    KR = "kr", gettext_lazy("the Korean participant did not come")
    BOTH = "both", gettext_lazy("neither came")


# Which side of a meeting (late, feedback): the European or the Korean participant.
SIDE_CHOICES = [("eu", gettext_lazy("European")), ("kr", gettext_lazy("Korean"))]

# Meetings the organisers recorded something about (held or not, a follow-up, a note).
ORGANISER_RECORD = Q(held__isnull=False) | ~Q(follow_up="") | ~Q(outcome_note="")


class Meeting(models.Model):
    """One European and one Korean participant at a table in a time slot."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    slot = models.ForeignKey(TimeSlot, on_delete=models.PROTECT, related_name="meetings")
    table = models.PositiveSmallIntegerField()
    eu = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="eu_meetings")
    kr = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="kr_meetings")
    fixed = models.BooleanField(
        default=False,
        help_text=gettext_lazy("Placed by an organiser: kept when the schedule is regenerated."),
    )
    score = models.FloatField(default=0.0, help_text=gettext_lazy("The pair's ranking score."))
    reason = models.TextField(blank=True, help_text=gettext_lazy("Why the two were matched."))
    held = models.BooleanField(null=True, blank=True)
    follow_up = models.CharField(max_length=10, choices=FollowUp.choices, blank=True)
    outcome_note = models.TextField(
        blank=True, max_length=2000, validators=[validate_storable, MaxLengthValidator(2000)]
    )
    no_show = models.CharField(max_length=4, choices=NoShow.choices, blank=True)
    late_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(240)],
        help_text=gettext_lazy(
            "A participant said on the day that they will be this many minutes late."
        ),
    )
    late_side = models.CharField(
        max_length=2,
        choices=SIDE_CHOICES,
        blank=True,
        help_text=gettext_lazy("Which side said it will be late."),
    )
    video_url = models.URLField(
        max_length=500,
        blank=True,
        help_text=gettext_lazy("Overrides the event's video address pattern."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "matching_meeting"
        ordering = ["slot__starts_at", "table"]
        constraints = [
            # No double booking, whoever writes: one meeting per table, per participant and
            # per pair.
            models.UniqueConstraint(fields=["slot", "table"], name="meeting_one_per_table"),
            models.UniqueConstraint(fields=["slot", "eu"], name="meeting_eu_once_per_slot"),
            models.UniqueConstraint(fields=["slot", "kr"], name="meeting_kr_once_per_slot"),
            models.UniqueConstraint(fields=["eu", "kr"], name="meeting_pair_once"),
            models.CheckConstraint(condition=models.Q(table__gte=1), name="meeting_table_positive"),
        ]

    def __str__(self) -> str:
        return _("%(european)s / %(korean)s, %(round)s, table %(table)s") % {
            "european": self.eu.actor,
            "korean": self.kr.actor,
            "round": self.slot,
            "table": self.table,
        }

    @property
    def has_organiser_record(self) -> bool:
        """Organisers recorded held or not held, a follow-up or a note (`ORGANISER_RECORD`)."""
        return self.held is not None or bool(self.follow_up) or bool(self.outcome_note)

    @property
    def has_outcome(self) -> bool:
        """Something was recorded about how the meeting went, by the organisers or as a side's
        feedback (as `outcome_recorded()` says in a query): the meeting is never lost."""
        return self.has_organiser_record or self.feedback.exists()


class ScheduleRun(models.Model):
    """One generation of the schedule, kept so organisers see how close to optimal it was."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meetings = models.PositiveIntegerField()
    fixed = models.PositiveIntegerField()
    value = models.FloatField()
    bound = models.FloatField()
    seconds = models.FloatField()
    optimal = models.BooleanField(default=False)
    # Fairness, in meetings per accepted participant: the target the organiser set, the best
    # smallest count the event allows (at most the target), and what the schedule gives.
    fairness_target = models.PositiveSmallIntegerField(default=0)
    fairness_bound = models.PositiveSmallIntegerField(default=0)
    fewest = models.PositiveSmallIntegerField(default=0)
    without_meetings = models.PositiveIntegerField(default=0)
    repair = models.BooleanField(
        default=False,
        help_text=gettext_lazy("A repair of a published schedule rather than a generation."),
    )

    class Meta:
        db_table = "matching_schedulerun"
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.event}: {self.meetings} meetings at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def ratio(self) -> float:
        return self.value / self.bound if self.bound > 0 else 1.0

    @property
    def percent(self) -> str:
        return f"{self.ratio * 100:.1f}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("meeting request status", "accepted")
    DECLINED = "declined", pgettext_lazy("meeting request status", "declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("meeting request status", "withdrawn")


class MeetingRequest(models.Model):
    """One participant asks to meet another; the other side accepts (a must-meet for the
    schedule) or declines (never scheduled)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    sender = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="requests_sent")
    receiver = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="requests_received"
    )
    message = models.CharField(max_length=500, blank=True, validators=[validate_storable])
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    reply = models.CharField(max_length=500, blank=True, validators=[validate_storable])
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "receiver"], name="request_once_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("receiver")), name="request_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender.actor} asks {self.receiver.actor}"


class MeetingFeedback(models.Model):
    """One side's word on a meeting after the event: a rating and what follows."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    side = models.CharField(max_length=2, choices=SIDE_CHOICES)
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=gettext_lazy("1 (not useful) to 5 (very useful)."),
    )
    follow_up = models.CharField(max_length=10, choices=FollowUp.choices, blank=True)
    comment = models.TextField(
        blank=True, max_length=1000, validators=[validate_storable, MaxLengthValidator(1000)]
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "side"], name="feedback_once_per_side"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.side} rated {self.rating}"


class ChangeAction(models.TextChoices):
    PUBLISHED = "published", gettext_lazy("schedule published")
    UNPUBLISHED = "unpublished", gettext_lazy("schedule withdrawn")
    ADDED = "added", gettext_lazy("meeting added")
    MOVED = "moved", gettext_lazy("meeting moved")
    REMOVED = "removed", gettext_lazy("meeting cancelled")


class ScheduleChange(models.Model):
    """One change to a published schedule, for the change log and for calendars (a removed
    pair becomes a cancelled calendar entry). Times and tables are copied, not linked: the
    round may be gone by the time someone reads the log."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=12, choices=ChangeAction.choices)
    eu = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kr = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pair = models.CharField(
        max_length=420,
        blank=True,
        help_text=gettext_lazy("The two names when the change was made."),
    )
    old_starts_at = models.DateTimeField(null=True, blank=True)
    old_ends_at = models.DateTimeField(null=True, blank=True)
    old_table = models.PositiveSmallIntegerField(null=True, blank=True)
    new_starts_at = models.DateTimeField(null=True, blank=True)
    new_table = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event}: {self.get_action_display()} {self.pair}"


class ScheduleProposal(models.Model):
    """A repair of a published schedule, computed and shown before anything is saved.

    `placements` holds the proposed meetings as plain data; `based_on` fingerprints the
    schedule the proposal was computed from, so that confirming a proposal after someone else
    changed the schedule is refused rather than applied over their change.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="proposals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    based_on = models.CharField(max_length=64)
    placements = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Proposal for {self.event} at {self.created_at:%Y-%m-%d %H:%M}"


def outcome_recorded() -> Q:
    """Meetings with something recorded about how they went, by the organisers or in either
    side's feedback: never lost by a later action (regeneration, update, cancellation, shape
    change). A function, because the feedback subquery needs the models loaded."""
    return ORGANISER_RECORD | Q(
        models.Exists(MeetingFeedback.objects.filter(meeting=models.OuterRef("pk")))
    )
