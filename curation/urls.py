"""The curators' pages (curators only; others get 404) and the directory's downloads."""

from django.urls import include, path

from curation.views import (
    duplicates,
    history,
    joins,
    partnerships,
    people,
    quality,
    review,
    transfer,
)

urlpatterns = [
    path("actors/export.<str:fmt>", transfer.actor_export, name="actor_export"),
    path("curation/review/", review.review_queue, name="curation_review"),
    path("curation/review/settings/", review.review_settings, name="curation_review_settings"),
    path("curation/review/<int:pk>/", review.review_decide, name="curation_review_decide"),
    path("curation/joins/", joins.joins, name="curation_joins"),
    path("curation/joins/<int:pk>/", joins.join_detail, name="curation_join"),
    path("curation/joins/<int:pk>/decide/", joins.join_decide, name="curation_join_decide"),
    # A person's registration of a new organisation: here, since it looks for duplicates.
    path("my/organisations/register/", joins.join_register, name="join_register"),
    path("curation/actors/<slug:slug>/history/", history.history, name="curation_history"),
    path("curation/history/<int:history_id>/restore/", history.restore, name="curation_restore"),
    path(
        "curation/actors/<slug:slug>/partnerships/new/",
        partnerships.partnership_add,
        name="curation_partnership_add",
    ),
    path(
        "curation/partnerships/<int:pk>/remove/",
        partnerships.partnership_remove_view,
        name="curation_partnership_remove",
    ),
    path("curation/duplicates/", duplicates.duplicates, name="curation_duplicates"),
    path("curation/merge/", duplicates.merge, name="curation_merge"),
    path("curation/duplicates/distinct/", duplicates.distinct, name="curation_distinct"),
    path("curation/quality/", quality.quality, name="curation_quality"),
    path("curation/person/", people.person, name="curation_person"),
    path("curation/person/erase/", people.person_erase_view, name="curation_person_erase"),
    # Background jobs: /jobs/..., url names in the "jobs" namespace (curation/job_urls.py).
    path("", include(("curation.job_urls", "jobs"))),
]
