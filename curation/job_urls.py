"""The background jobs' pages, under the "jobs" namespace (`reverse("jobs:detail", args=[id])`):
any app that queues work sends people to its job page by this name."""

from django.urls import path

from curation.views import jobs

urlpatterns = [
    path("jobs/", jobs.job_list, name="list"),
    path("jobs/<int:pk>/", jobs.job_detail, name="detail"),
    path("jobs/<int:pk>/status.json", jobs.job_status, name="status"),
    path("jobs/<int:pk>/retry/", jobs.job_retry, name="retry"),
]
