from django.urls import path

from matching import views

urlpatterns = [
    path("partners/", views.partners_start, name="partners_start"),
    path("partners/<slug:slug>/", views.partners, name="partners"),
    path("partners/<slug:slug>/export.<str:fmt>", views.partners_export, name="partners_export"),
    path("partners/<slug:slug>/like/<slug:candidate>/", views.partners_like, name="partners_like"),
    path("partners/<slug:slug>/set-aside/", views.set_aside, name="set_aside"),
    path("partners/<slug:slug>/set-aside/add/", views.set_aside_add, name="set_aside_add"),
    path(
        "partners/<slug:slug>/set-aside/<slug:candidate>/restore/",
        views.set_aside_restore,
        name="set_aside_restore",
    ),
    path("partners/<slug:slug>/shortlist/", views.shortlist, name="shortlist"),
    path("partners/<slug:slug>/shortlist/add/", views.shortlist_add_view, name="shortlist_add"),
    path(
        "partners/<slug:slug>/shortlist/<slug:candidate>/remove/",
        views.shortlist_remove_view,
        name="shortlist_remove",
    ),
    path(
        "partners/<slug:slug>/shortlist/<slug:candidate>/note/",
        views.shortlist_note_view,
        name="shortlist_note",
    ),
    path(
        "partners/<slug:slug>/shortlist/<slug:candidate>/notes/<int:note>/delete/",
        views.shortlist_note_delete_view,
        name="shortlist_note_delete",
    ),
    path(
        "partners/<slug:slug>/shortlist/<slug:candidate>/status/",
        views.shortlist_status_view,
        name="shortlist_status",
    ),
    path(
        "partners/<slug:slug>/shortlist/export.<str:fmt>",
        views.shortlist_export,
        name="shortlist_export",
    ),
]
