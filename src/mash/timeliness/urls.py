from __future__ import annotations

from django.urls import path

from . import views

app_name = "timeliness"

urlpatterns = [
    path("", views.notifications, name="notifications"),
]
