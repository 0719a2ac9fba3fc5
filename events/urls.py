from django.urls import path

from events.views import (
    agenda_pages,
    event_pages,
    outcome_pages,
    pair_pages,
    participant_pages,
    schedule_pages,
)

urlpatterns = [
    path("events/", event_pages.event_list, name="event_list"),
    path("events/new/", event_pages.event_create, name="event_create"),
    path("events/<slug:slug>/", event_pages.event_detail, name="event_detail"),
    path("events/<slug:slug>/edit/", event_pages.event_edit, name="event_edit"),
    path("events/<slug:slug>/register/", event_pages.event_register, name="event_register"),
    path(
        "events/<slug:slug>/participants/",
        participant_pages.participants,
        name="event_participants",
    ),
    path(
        "events/<slug:slug>/participants/add/",
        participant_pages.participant_add_view,
        name="event_participant_add",
    ),
    path(
        "events/<slug:slug>/participants/import/",
        participant_pages.participants_import_view,
        name="event_participants_import",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/",
        participant_pages.participant_detail,
        name="event_participant",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/decide/",
        participant_pages.participant_decide_view,
        name="event_participant_decide",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/agenda/", agenda_pages.agenda, name="event_agenda"
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/agenda.<str:fmt>",
        agenda_pages.agenda_export,
        name="event_agenda_export",
    ),
    path("events/<slug:slug>/pairs/", pair_pages.pairs, name="event_pairs"),
    path(
        "events/<slug:slug>/exclusions/add/",
        pair_pages.exclusion_add_view,
        name="event_exclusion_add",
    ),
    path(
        "events/<slug:slug>/exclusions/<int:pk>/remove/",
        pair_pages.exclusion_remove_view,
        name="event_exclusion_remove",
    ),
    path("events/<slug:slug>/schedule/", schedule_pages.schedule, name="event_schedule"),
    path(
        "events/<slug:slug>/schedule/generate/",
        schedule_pages.schedule_generate_view,
        name="event_schedule_generate",
    ),
    path(
        "events/<slug:slug>/schedule/publish/",
        schedule_pages.schedule_publish_view,
        name="event_schedule_publish",
    ),
    path(
        "events/<slug:slug>/meetings/add/",
        schedule_pages.meeting_add_view,
        name="event_meeting_add",
    ),
    path(
        "events/<slug:slug>/meetings/<int:pk>/move/",
        schedule_pages.meeting_move_view,
        name="event_meeting_move",
    ),
    path(
        "events/<slug:slug>/meetings/<int:pk>/cancel/",
        schedule_pages.meeting_cancel_view,
        name="event_meeting_cancel",
    ),
    path(
        "events/<slug:slug>/meetings/<int:pk>/pin/",
        schedule_pages.meeting_pin_view,
        name="event_meeting_pin",
    ),
    path(
        "events/<slug:slug>/meetings/<int:pk>/outcome/",
        outcome_pages.outcome_record_view,
        name="event_outcome_record",
    ),
    path(
        "events/<slug:slug>/meetings/<int:pk>/partnership/",
        outcome_pages.outcome_partnership_view,
        name="event_outcome_partnership",
    ),
    path("events/<slug:slug>/outcomes/", outcome_pages.outcomes, name="event_outcomes"),
    path(
        "events/<slug:slug>/export/<str:what>.<str:fmt>",
        schedule_pages.event_export,
        name="event_export",
    ),
]
