from django.urls import path

from events import views

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("events/<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("events/<slug:slug>/register/", views.event_register, name="event_register"),
    path("events/<slug:slug>/participants/", views.participants, name="event_participants"),
    path(
        "events/<slug:slug>/participants/add/",
        views.participant_add_view,
        name="event_participant_add",
    ),
    path(
        "events/<slug:slug>/participants/import/",
        views.participants_import_view,
        name="event_participants_import",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/",
        views.participant_detail,
        name="event_participant",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/decide/",
        views.participant_decide_view,
        name="event_participant_decide",
    ),
    path("events/<slug:slug>/participants/<int:pk>/agenda/", views.agenda, name="event_agenda"),
    path(
        "events/<slug:slug>/participants/<int:pk>/agenda.<str:fmt>",
        views.agenda_export,
        name="event_agenda_export",
    ),
    path("events/<slug:slug>/pairs/", views.pairs, name="event_pairs"),
    path(
        "events/<slug:slug>/exclusions/add/", views.exclusion_add_view, name="event_exclusion_add"
    ),
    path(
        "events/<slug:slug>/exclusions/<int:pk>/remove/",
        views.exclusion_remove_view,
        name="event_exclusion_remove",
    ),
    path("events/<slug:slug>/schedule/", views.schedule, name="event_schedule"),
    path(
        "events/<slug:slug>/schedule/generate/",
        views.schedule_generate_view,
        name="event_schedule_generate",
    ),
    path(
        "events/<slug:slug>/schedule/publish/",
        views.schedule_publish_view,
        name="event_schedule_publish",
    ),
    path("events/<slug:slug>/meetings/add/", views.meeting_add_view, name="event_meeting_add"),
    path(
        "events/<slug:slug>/meetings/<int:pk>/move/",
        views.meeting_move_view,
        name="event_meeting_move",
    ),
    path(
        "events/<slug:slug>/meetings/<int:pk>/cancel/",
        views.meeting_cancel_view,
        name="event_meeting_cancel",
    ),
    path(
        "events/<slug:slug>/meetings/<int:pk>/pin/",
        views.meeting_pin_view,
        name="event_meeting_pin",
    ),
    path(
        "events/<slug:slug>/meetings/<int:pk>/outcome/",
        views.outcome_record_view,
        name="event_outcome_record",
    ),
    path(
        "events/<slug:slug>/meetings/<int:pk>/partnership/",
        views.outcome_partnership_view,
        name="event_outcome_partnership",
    ),
    path("events/<slug:slug>/outcomes/", views.outcomes, name="event_outcomes"),
    path(
        "events/<slug:slug>/export/<str:what>.<str:fmt>",
        views.event_export,
        name="event_export",
    ),
]
