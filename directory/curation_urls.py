"""Curators' pages (staff only): duplicates and merges, profile quality, stale profiles."""

from django.urls import path

from directory import curation_views

urlpatterns = [
    path("curation/duplicates/", curation_views.duplicates, name="curation_duplicates"),
    path("curation/merge/", curation_views.merge, name="curation_merge"),
    path("curation/quality/", curation_views.quality, name="curation_quality"),
]
