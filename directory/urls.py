from django.urls import path

from directory import (
    join_views,
    map_views,
    saved_search_views,
    structure_views,
    trust_views,
    views,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("actors/", views.actor_list, name="actor_list"),
    path("actors/<slug:slug>/", views.actor_page, name="actor_detail"),
    path("map/", map_views.actor_map, name="actor_map"),
    path("directory/structure/", structure_views.directory_structure, name="directory_structure"),
    path(
        "directory/structure.csv",
        structure_views.directory_structure_export,
        name="directory_structure_export",
    ),
    path("map/actors.json", map_views.actor_map_data, name="actor_map_data"),
    path("actors/<slug:slug>/edit/", views.actor_edit, name="actor_edit"),
    path("actors/<slug:slug>/logo.png", trust_views.actor_logo, name="actor_logo"),
    path("actors/<slug:slug>/logo/", trust_views.actor_logo_edit, name="actor_logo_edit"),
    path(
        "actors/<slug:slug>/logo/remove/",
        trust_views.actor_logo_delete,
        name="actor_logo_delete",
    ),
    path("actors/<slug:slug>/verify/", trust_views.actor_verify, name="actor_verify"),
    path("my/organisations/", views.my_organisations, name="my_organisations"),
    path("actors/<slug:slug>/claim/", join_views.join_claim, name="join_claim"),
    path("my/requests/<int:pk>/", join_views.join_request, name="join_request"),
    path(
        "my/requests/<int:pk>/withdraw/",
        join_views.join_request_withdraw,
        name="join_request_withdraw",
    ),
    path("my/email/confirm/", join_views.email_confirm_send, name="email_confirm_send"),
    path("my/", views.after_login, name="after_login"),
    path("my/searches/", saved_search_views.saved_searches, name="saved_searches"),
    path("my/searches/save/", saved_search_views.saved_search_save, name="saved_search_save"),
    path(
        "my/searches/<int:pk>/rename/",
        saved_search_views.saved_search_rename_view,
        name="saved_search_rename",
    ),
    path(
        "my/searches/<int:pk>/delete/",
        saved_search_views.saved_search_delete_view,
        name="saved_search_delete",
    ),
    path(
        "my/searches/<int:pk>/alert/",
        saved_search_views.saved_search_alert_view,
        name="saved_search_alert",
    ),
]
