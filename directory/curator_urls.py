from django.urls import path

from directory import curator_views as views

urlpatterns = [
    path("curation/review/", views.review_queue, name="curation_review"),
    path("curation/review/settings/", views.review_settings, name="curation_review_settings"),
    path("curation/review/<int:pk>/", views.review_decide, name="curation_review_decide"),
    path("curation/actors/<slug:slug>/history/", views.history, name="curation_history"),
    path("curation/history/<int:history_id>/restore/", views.restore, name="curation_restore"),
    path("curation/person/", views.person, name="curation_person"),
    path("curation/person/erase/", views.person_erase_view, name="curation_person_erase"),
]
