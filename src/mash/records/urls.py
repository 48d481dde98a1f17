from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "records"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("activity", views.activity, name="activity"),
    path("activity.csv", views.export, name="export"),
    path("denied", views.denied, name="denied"),
]
