from django.urls import path

from events.views import (
    agenda_pages,
    change_pages,
    event_pages,
    export_pages,
    feed_pages,
    feedback_pages,
    onsite_pages,
    outcome_pages,
    pair_pages,
    participant_pages,
    request_pages,
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
        "events/<slug:slug>/participants/import/template.<str:fmt>",
        participant_pages.participants_import_template,
        name="event_participants_template",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/",
        participant_pages.participant_detail,
        name="event_participant",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/withdraw/",
        participant_pages.participant_withdraw_view,
        name="event_participant_withdraw",
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

# Participants acting for themselves (meeting requests, the day itself, feedback) and the
# organisers' pages for the day of the event.
urlpatterns += [
    path(
        "events/<slug:slug>/participants/<int:pk>/requests/",
        request_pages.participant_requests_page,
        name="event_requests",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/requests/answer/",
        request_pages.request_answer_view,
        name="event_request_answer",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/requests/withdraw/",
        request_pages.request_withdraw_view,
        name="event_request_withdraw",
    ),
    path(
        "events/<slug:slug>/requests/", request_pages.event_requests_page, name="event_requests_all"
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/meetings/<int:meeting>/late/",
        onsite_pages.meeting_late_view,
        name="event_meeting_late",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/meetings/<int:meeting>/cancel/",
        onsite_pages.meeting_call_off_view,
        name="event_meeting_call_off",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/feedback/",
        feedback_pages.feedback_page,
        name="event_feedback",
    ),
    path("events/<slug:slug>/check-in/", onsite_pages.checkin_page, name="event_checkin"),
    path(
        "events/<slug:slug>/check-in/mark/",
        onsite_pages.checkin_mark_view,
        name="event_checkin_mark",
    ),
    path("events/<slug:slug>/on-the-day/", onsite_pages.on_the_day_page, name="event_on_the_day"),
    path(
        "events/<slug:slug>/meetings/<int:pk>/no-show/",
        onsite_pages.meeting_no_show_view,
        name="event_meeting_no_show",
    ),
]

# The private calendar address of an agenda (the feed itself needs no login: the secret in the
# address is the key) and the dashboard as a spreadsheet.
urlpatterns += [
    path(
        "events/<slug:slug>/participants/<int:pk>/agenda/calendar/",
        agenda_pages.agenda_calendar,
        name="event_agenda_calendar",
    ),
    path(
        "events/calendar/<int:pk>/<str:token>.ics",
        feed_pages.calendar_feed_view,
        name="event_calendar_feed",
    ),
    path(
        "events/<slug:slug>/dashboard.<str:fmt>",
        export_pages.dashboard_export,
        name="event_dashboard_export",
    ),
]

# The published schedule's change log and its update (computed, shown, then confirmed).
urlpatterns += [
    path(
        "events/<slug:slug>/schedule/changes/",
        change_pages.schedule_changes,
        name="event_schedule_changes",
    ),
    path(
        "events/<slug:slug>/schedule/update/",
        change_pages.schedule_update_view,
        name="event_schedule_update",
    ),
    path(
        "events/<slug:slug>/schedule/update/<int:pk>/",
        change_pages.schedule_proposal,
        name="event_schedule_proposal",
    ),
    path(
        "events/<slug:slug>/schedule/update/<int:pk>/apply/",
        change_pages.schedule_proposal_apply,
        name="event_schedule_proposal_apply",
    ),
    path(
        "events/<slug:slug>/schedule/update/<int:pk>/discard/",
        change_pages.schedule_proposal_discard,
        name="event_schedule_proposal_discard",
    ),
]
