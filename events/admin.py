"""Admin views of events, for curators and superusers; organisers work on the event pages."""

from django import forms
from django.contrib import admin

from common.forms import BoundedRelationsAdmin
from events.models import (
    Attendee,
    Event,
    EventSession,
    Exclusion,
    Meeting,
    Participant,
    ScheduleRun,
)
from events.video import video_pattern_check


class SessionInline(BoundedRelationsAdmin, admin.TabularInline):
    model = EventSession
    extra = 0


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["video_link"]  # the admin adds the rest of its fields

    def clean_video_link(self) -> str:
        # The same check as the event form: agendas and calendars turn it into links.
        link = self.cleaned_data["video_link"].strip()
        video_pattern_check(link)
        return link


@admin.register(Event)
class EventAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["name", "starts_on", "place", "registration_open", "published_at"]
    search_fields = ["name", "slug", "place"]
    filter_horizontal = ["organisers"]
    inlines = [SessionInline]
    # Rounds follow from the sessions; the event pages keep them in step (event_slots_sync).
    readonly_fields = ["published_at"]


class AttendeeInline(BoundedRelationsAdmin, admin.TabularInline):
    model = Attendee
    extra = 0


@admin.register(Participant)
class ParticipantAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    list_display = ["actor", "event", "status"]
    list_filter = ["status", "event"]
    search_fields = ["actor__name", "event__name"]
    autocomplete_fields = ["actor"]
    inlines = [AttendeeInline]
    # The private calendar address is the participant's secret: managers create, renew and
    # revoke it on their agenda page; nobody reads it here.
    exclude = ["calendar_token"]


@admin.register(Meeting)
class MeetingAdmin(BoundedRelationsAdmin, admin.ModelAdmin):
    list_display = ["event", "slot", "table", "eu", "kr", "fixed", "held", "follow_up"]
    list_filter = ["event", "fixed", "held", "follow_up"]
    # Placing meetings goes through the schedule page, which checks every rule first.
    readonly_fields = ["event", "slot", "table", "eu", "kr", "score", "reason"]

    def has_add_permission(self, request) -> bool:
        return False


admin.site.register(Exclusion)
admin.site.register(ScheduleRun)
