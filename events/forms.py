from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms import inlineformset_factory

from common.forms import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    SiteInlineFormSet,
    bounded_formfield,
)
from directory.models import Kind, Sector, Side
from directory.permissions import ORGANISERS_GROUP
from events.models import (
    Attendee,
    Event,
    EventSession,
    FollowUp,
    Participant,
    ParticipantStatus,
)

COMMON_ZONES = ["Asia/Seoul", "Europe/Brussels", "Europe/Paris", "Europe/Berlin", "UTC"]


def _zone_choices() -> list[tuple[str, str]]:
    rest = sorted(zoneinfo.available_timezones() - set(COMMON_ZONES))
    return [(z, z) for z in COMMON_ZONES + rest]


class EventForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=_zone_choices, initial="Asia/Seoul", label="Time zone")
    organisers = BoundedModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who else may run this event (users in the Organisers group).",
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
        help_texts = {"slug": "Short name for the address, e.g. eu-korea-2026."}
        labels = {
            "min_meetings": "At least this many meetings each",
            "min_fit": "Lowest fit proposed (0-100)",
            "video_link": "Video address",
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

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if self.instance.pk and self.instance.published and slug != self.instance.slug:
            raise forms.ValidationError(
                "The address cannot change once the schedule is published: participants' "
                "agendas, calendars and shared links use it."
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
)


class DirectorySearchForm(forms.Form):
    """Find actors to add as participants."""

    q = forms.CharField(required=False, label="Name or keyword")
    side = forms.ChoiceField(choices=[("", "Both sides"), *Side.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Kind.choices], required=False)
    sector = BoundedModelChoiceField(
        queryset=Sector.objects.all(), to_field_name="code", required=False, empty_label="Any"
    )


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV (UTF-8) or XLSX; see the organiser's guide.")
    dry_run = forms.BooleanField(
        required=False, initial=True, label="Dry run: check the file, write nothing"
    )


class RegisterForm(forms.Form):
    actor = BoundedModelChoiceField(queryset=None, label="Organisation", empty_label=None)
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Note to the organisers",
    )

    def __init__(self, *args, actors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(ParticipantStatus.ACCEPTED, "Accept"), (ParticipantStatus.DECLINED, "Decline")]
    )
    message = forms.CharField(required=False, max_length=500)


class AvailabilityForm(forms.Form):
    attends = BoundedModelMultipleChoiceField(
        queryset=EventSession.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Sessions attended",
        help_text="Untick the sessions this participant will miss.",
    )

    def __init__(self, *args, participant: Participant, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        sessions = participant.event.sessions.all()
        self.fields["attends"].queryset = sessions
        self.fields["attends"].initial = sessions.exclude(
            pk__in=participant.absent_from.values("pk")
        )


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
)


class PairForm(forms.Form):
    """Two participants of an event, one from each side."""

    eu = BoundedModelChoiceField(queryset=None, label="European participant")
    kr = BoundedModelChoiceField(queryset=None, label="Korean participant")

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
    reason = forms.CharField(required=False, max_length=300)


class MeetingAddForm(PairForm):
    slot = BoundedModelChoiceField(queryset=None, label="Round")
    table = forms.IntegerField(
        required=False, min_value=1, help_text="Leave empty for the first free table."
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, event=event, **kwargs)
        self.fields["slot"].queryset = event.slots.select_related("event")


class MeetingMoveForm(forms.Form):
    slot = BoundedModelChoiceField(queryset=None, label="Round")
    table = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = event.slots.select_related("event")


HELD_CHOICES = [("", "not recorded"), ("yes", "held"), ("no", "not held")]


class OutcomeForm(forms.Form):
    held = forms.ChoiceField(choices=HELD_CHOICES, required=False)
    follow_up = forms.ChoiceField(choices=[("", "—"), *FollowUp.choices], required=False)
    note = forms.CharField(required=False, max_length=2000)

    def held_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["held"])
