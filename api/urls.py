"""The API's addresses, under /api/ (config/urls.py). Version 1 lives under /api/v1/."""

from django.urls import path, re_path

from api import views

app_name = "api"

urlpatterns = [
    path("v1/actors/", views.ActorList.as_view(), name="actor-list"),
    path("v1/actors/<slug:slug>/", views.ActorDetail.as_view(), name="actor-detail"),
    path("v1/actors/<slug:slug>/matches/", views.ActorMatches.as_view(), name="actor-matches"),
    path("v1/sectors/", views.SectorList.as_view(), name="sector-list"),
    path("v1/interests/", views.InterestList.as_view(), name="interest-list"),
    path("v1/events/", views.EventList.as_view(), name="event-list"),
    path("v1/events/<slug:slug>/", views.EventDetail.as_view(), name="event-detail"),
    path(
        "v1/events/<slug:slug>/participants/",
        views.EventParticipants.as_view(),
        name="event-participants",
    ),
    path("v1/events/<slug:slug>/schedule/", views.EventSchedule.as_view(), name="event-schedule"),
    path("v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("v1/docs/", views.DocsView.as_view(), name="docs"),
    # Anything else under /api/ answers 404 in the API's error shape.
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found, name="not-found"),
]
