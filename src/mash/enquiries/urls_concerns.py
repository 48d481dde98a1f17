"""A partner agency's concerns raised with the hub (``views_concerns``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views_concerns

app_name = "concerns"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_concerns.concern_list, name="list"),
    path("new", views_concerns.raise_concern, name="new"),
    path("<uuid:concern_id>", views_concerns.concern_detail, name="detail"),
]
