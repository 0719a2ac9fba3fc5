from django.urls import path

from directory import saved_search_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("actors/", views.actor_list, name="actor_list"),
    path("actors/<slug:slug>/", views.actor_page, name="actor_detail"),
    path("actors/<slug:slug>/edit/", views.actor_edit, name="actor_edit"),
    path("my/organisations/", views.my_organisations, name="my_organisations"),
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
