from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.forms import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    SiteInlineFormSet,
    bounded_formfield,
)
from common.text import validate_storable
from directory.permissions import ORGANISERS_GROUP
from events import clock
from events.models import (
    Attendee,
    Event,
    EventSession,
    FollowUp,
    Participant,
    ParticipantStatus,
    TimeSlot,
)
from events.video import video_pattern_check

COMMON_ZONES = ["Asia/Seoul", "Europe/Brussels", "Europe/Paris", "Europe/Berlin", "UTC"]


def _zone_choices() -> list[tuple[str, str]]:
    rest = sorted(zoneinfo.available_timezones() - set(COMMON_ZONES))
    return [(z, z) for z in COMMON_ZONES + rest]


class EventForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=_zone_choices, initial="Asia/Seoul", label=_("Time zone"))
    organisers = BoundedModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Organisers"),
        help_text=_("Who else may run this event (users in the Organisers group)."),
    )

    class Meta:
        model = Event
        fields = [
            "name", "slug", "description", "place", "online", "timezone", "starts_on", "ends_on",
            "meeting_minutes", "break_minutes", "tables", "max_meetings", "min_meetings",
            "min_fit", "video_link", "registration_open",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"slug": _("Short name for the address, e.g. eu-korea-2026.")}
        labels = {
            "name": _("Name"),
            "slug": _("Slug"),
            "description": _("Description"),
            "place": _("Place"),
            "online": _("Online"),
            "starts_on": _("Starts on"),
            "ends_on": _("Ends on"),
            "meeting_minutes": _("Meeting minutes"),
            "break_minutes": _("Break minutes"),
            "tables": _("Tables"),
            "max_meetings": _("Max meetings"),
            "min_meetings": _("At least this many meetings each"),
            "min_fit": _("Lowest fit proposed (0-100)"),
            "video_link": _("Video address"),
            "registration_open": _("Registration open"),
        }

    def __init__(self, *args, creator=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = (
            get_user_model()
            .objects.filter(Q(groups__name=ORGANISERS_GROUP) | Q(is_superuser=True), is_active=True)
            .distinct()
            .order_by("username")
        )
        # Left empty, the fairness settings take their defaults rather than fail the form.
        for name in ("min_meetings", "min_fit"):
            self.fields[name].required = False
        if self.instance.pk:
            self.fields["organisers"].initial = self.instance.organisers.all()
        elif creator is not None:
            # The creator runs the event (saving adds them anyway): say so on the form.
            self.fields["organisers"].initial = [creator.pk]

    def _default_if_empty(self, name: str) -> int:
        value = self.cleaned_data.get(name)
        if value is None:
            return Event._meta.get_field(name).get_default()
        return value

    def clean_min_meetings(self) -> int:
        return self._default_if_empty("min_meetings")

    def clean_min_fit(self) -> int:
        return self._default_if_empty("min_fit")

    def clean_video_link(self) -> str:
        link = self.cleaned_data["video_link"].strip()
        video_pattern_check(link)
        return link

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if self.instance.pk and self.instance.published and slug != self.instance.slug:
            raise forms.ValidationError(
                _(
                    "The address cannot change once the schedule is published: participants' "
                    "agendas, calendars and shared links use it."
                )
            )
        return slug


SessionFormSet = inlineformset_factory(
    Event,
    EventSession,
    formset=SiteInlineFormSet,
    fields=["name", "date", "start", "end"],
    formfield_callback=bounded_formfield,
    extra=2,
    can_delete=True,
    max_num=60,
    validate_max=True,
    absolute_max=65,  # see ContactFormSet: a forged form count builds no more than this
    widgets={
        "date": forms.DateInput(attrs={"type": "date"}),
        "start": forms.TimeInput(attrs={"type": "time"}),
        "end": forms.TimeInput(attrs={"type": "time"}),
    },
    labels={
        "name": _("Name"),
        "date": _("Date"),
        "start": _("Start"),
        "end": _("End"),
    },
)


# Characters a pasted table may hold: about 20,000 rows of participants, under Django's limit
# on a posted form.
PASTE_MAX = 2_000_000


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        label=_("File"),
        help_text=_("CSV (UTF-8, comma or semicolon) or XLSX."),
    )
    text = forms.CharField(
        required=False,
        max_length=PASTE_MAX,
        strip=False,
        label=_("Or paste the rows"),
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_("Copied from a spreadsheet (header row first) or typed as CSV."),
    )
    dry_run = forms.BooleanField(
        required=False, initial=True, label=_("Dry run: check the rows, write nothing")
    )

    def clean(self) -> dict:
        data = super().clean()
        has_file, has_text = bool(data.get("file")), bool((data.get("text") or "").strip())
        if has_file and has_text:
            raise forms.ValidationError(_("Send a file or pasted rows, not both."))
        if not has_file and not has_text and not self.errors:
            raise forms.ValidationError(_("Choose a file or paste the rows to import."))
        return data


class RegisterForm(forms.Form):
    actor = BoundedModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Note to the organisers"),
    )

    def __init__(self, *args, actors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (ParticipantStatus.ACCEPTED, pgettext_lazy("decision", "Accept")),
            (ParticipantStatus.DECLINED, pgettext_lazy("decision", "Decline")),
        ],
        label=_("Decision"),
    )
    message = forms.CharField(
        required=False,
        max_length=500,
        label=_("Message to the participant"),
        help_text=_("Optional; its managers see it beside the decision."),
        validators=[validate_storable],
    )
    # A decline is confirmed on a page that says what it cancels (see participant_decide_view).
    confirm = forms.BooleanField(required=False)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(required=False)


@dataclass(frozen=True)
class RoundChoice:
    slot: TimeSlot
    label: str  # "09:30–09:55", in the event's time zone
    attends: bool


@dataclass(frozen=True)
class SessionChoice:
    session: EventSession
    label: str
    attends: bool
    rounds: list[RoundChoice]


class AvailabilityForm(forms.Form):
    """The sessions it attends and, inside them, the rounds: unticking a session or a single
    round marks it as missed."""

    attends = BoundedModelMultipleChoiceField(
        queryset=EventSession.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sessions attended"),
        help_text=_("Untick the sessions this participant will miss."),
    )
    rounds = BoundedModelMultipleChoiceField(
        queryset=TimeSlot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Rounds attended"),
    )
    # Set by the page that shows the rounds: a form sent without it (sessions only) leaves
    # the single rounds as they were.
    with_rounds = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, participant: Participant, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        event = participant.event
        self.participant = participant
        sessions = event.sessions.all()
        self.fields["attends"].queryset = sessions
        self.fields["rounds"].queryset = event.slots.all()
        absent = set(participant.absent_from.values_list("pk", flat=True))
        missed = set(participant.absent_rounds.values_list("pk", flat=True))
        self.fields["attends"].initial = [s.pk for s in sessions if s.pk not in absent]
        self.fields["rounds"].initial = [
            pk for pk in event.slots.values_list("pk", flat=True) if pk not in missed
        ]
        self.fields["with_rounds"].initial = True

    def _ticked(self, name: str) -> set[int]:
        if self.is_bound:
            return {
                int(v) for v in self.data.getlist(name) if str(v).isascii() and str(v).isdigit()
            }
        return set(self.fields[name].initial)

    def sessions(self) -> list[SessionChoice]:
        """The sessions, each with its rounds, as the page groups them (times in the event's
        time zone)."""
        event = self.participant.event
        zone = event.zone
        ticked_sessions, ticked_rounds = self._ticked("attends"), self._ticked("rounds")
        by_session: dict[int, list[TimeSlot]] = {}
        for slot in event.slots.order_by("starts_at"):
            by_session.setdefault(slot.session_id, []).append(slot)
        groups = []
        for session in event.sessions.all():
            rounds = [
                RoundChoice(
                    slot=slot,
                    label=f"{clock.clock(slot.starts_at, zone)}–{clock.clock(slot.ends_at, zone)}",
                    attends=slot.pk in ticked_rounds,
                )
                for slot in by_session.get(session.pk, [])
            ]
            groups.append(
                SessionChoice(
                    session=session,
                    label=f"{session.name}, {clock.padded_day(session.date)} "
                    f"{clock.clock(session.start)}–{clock.clock(session.end)}",
                    attends=session.pk in ticked_sessions,
                    rounds=rounds,
                )
            )
        return groups

    def absences(self) -> tuple[list[EventSession], list[TimeSlot] | None]:
        """The sessions missed and the single rounds missed (None: leave them as they were)."""
        attended = {s.pk for s in self.cleaned_data["attends"]}
        missed_sessions = [s for s in self.fields["attends"].queryset if s.pk not in attended]
        if not self.cleaned_data["with_rounds"]:
            return missed_sessions, None
        kept = {slot.pk for slot in self.cleaned_data["rounds"]}
        missed_rounds = [
            slot
            for slot in self.fields["rounds"].queryset
            if slot.pk not in kept and slot.session_id in attended
        ]
        return missed_sessions, missed_rounds


AttendeeFormSet = inlineformset_factory(
    Participant,
    Attendee,
    formset=SiteInlineFormSet,
    fields=["first_name", "last_name", "job_title", "email", "phone"],
    formfield_callback=bounded_formfield,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
    absolute_max=25,
    labels={
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "job_title": _("Job title"),
        "email": _("Email"),
        "phone": _("Phone"),
    },
)


class PairForm(forms.Form):
    """Two participants of an event, one from each side."""

    eu = BoundedModelChoiceField(queryset=None, label=_("European participant"))
    kr = BoundedModelChoiceField(queryset=None, label=_("Korean participant"))

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        accepted = event.participants.filter(status=ParticipantStatus.ACCEPTED).select_related(
            "actor"
        )
        self.fields["eu"].queryset = accepted.filter(actor__side="eu").order_by("actor__name")
        self.fields["kr"].queryset = accepted.filter(actor__side="kr").order_by("actor__name")
        for name in ("eu", "kr"):
            self.fields[name].label_from_instance = lambda p: p.actor.name


class ExclusionForm(PairForm):
    reason = forms.CharField(required=False, max_length=300, label=_("Reason"))


class MeetingAddForm(PairForm):
    slot = BoundedModelChoiceField(queryset=None, label=_("Round"))
    table = forms.IntegerField(
        required=False,
        min_value=1,
        label=_("Table"),
        help_text=_("Leave empty for the first free table."),
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, event=event, **kwargs)
        self.fields["slot"].queryset = event.slots.select_related("event")


class MeetingMoveForm(forms.Form):
    slot = BoundedModelChoiceField(queryset=None, label=_("Round"))
    table = forms.IntegerField(required=False, min_value=1, label=_("Table"))

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = event.slots.select_related("event")


HELD_CHOICES = [
    ("", _("not recorded")),
    ("yes", pgettext_lazy("meeting outcome", "held")),
    ("no", pgettext_lazy("meeting outcome", "not held")),
]


class OutcomeForm(forms.Form):
    held = forms.ChoiceField(choices=HELD_CHOICES, required=False, label=_("Held"))
    follow_up = forms.ChoiceField(
        choices=[("", "—"), *FollowUp.choices], required=False, label=_("Follow-up")
    )
    note = forms.CharField(required=False, max_length=2000, label=_("Note"))

    def held_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["held"])
