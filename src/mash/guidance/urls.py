from __future__ import annotations

from django.urls import URLPattern, path

from . import views

app_name = "guidance"

urlpatterns: list[URLPattern] = [
    path("", views.version_text, name="version"),
    path("golden-rules", views.golden_rules, name="golden-rules"),
]
