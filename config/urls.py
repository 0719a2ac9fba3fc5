from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("directory.account_urls")),
    path("api/", include("api.urls")),
    path("", include("notifications.urls")),
    path("", include("matching.urls")),
    path("", include("events.urls")),
    path("", include("curation.urls")),
    path("", include("directory.urls")),
]
