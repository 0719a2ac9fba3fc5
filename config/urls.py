from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("directory.account_urls")),
    path("api/", include("api.urls")),
    path("", include("matching.urls")),
    path("", include("matching.events.urls")),
    path("", include("directory.curation_urls")),
    path("", include("directory.curator_urls")),
    path("", include("directory.urls")),
]
