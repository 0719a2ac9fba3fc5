from django.urls import path

from insights import views

urlpatterns = [
    path("insights/", views.insights_page, name="insights"),
    path("insights/<slug:key>.<str:fmt>", views.insights_export, name="insights_export"),
]
