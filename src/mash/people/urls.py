from __future__ import annotations

from django.urls import URLPattern, path

from . import views

app_name = "people"

urlpatterns: list[URLPattern] = [
    path("search", views.search, name="search"),
    path("search/<uuid:search_id>", views.results, name="results"),
    path(
        "suggestions/<uuid:suggestion_id>/confirm",
        views.confirm,
        name="suggestion-confirm",
    ),
    path(
        "suggestions/<uuid:suggestion_id>/reject",
        views.reject,
        name="suggestion-reject",
    ),
]
