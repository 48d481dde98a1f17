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
    path("<uuid:indexed_person_id>/chronology", views.chronology_page, name="chronology"),
    path("<uuid:indexed_person_id>/chronology.pdf", views.chronology_pdf, name="chronology-pdf"),
    path("<uuid:indexed_person_id>/merge", views.merge_page, name="merge"),
    path("<uuid:indexed_person_id>/merges", views.merges, name="merges"),
    path("merges/<uuid:merge_id>/unmerge", views.unmerge_page, name="unmerge"),
]
