from django.contrib import admin
from django.urls import include, path

from config.language import switch_language

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switch (no language prefix in any URL: the cookie decides).
    path("i18n/setlang/", switch_language, name="set_language"),
    path("accounts/", include("directory.account_urls")),
    path("api/", include("api.urls")),
    path("", include("notifications.urls")),
    path("", include("matching.urls")),
    path("", include("events.urls")),
    path("", include("curation.urls")),
    path("", include("insights.urls")),
    path("", include("directory.urls")),
]
