from django.urls import path

from directory import views

urlpatterns = [
    path("", views.home, name="home"),
    path("actors/", views.actor_list, name="actor_list"),
    path("actors/<slug:slug>/", views.actor_page, name="actor_detail"),
    path("actors/<slug:slug>/edit/", views.actor_edit, name="actor_edit"),
    path("my/organisations/", views.my_organisations, name="my_organisations"),
    path("my/", views.after_login, name="after_login"),
]
