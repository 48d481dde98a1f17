from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "consent"

urlpatterns: list[URLPattern | URLResolver] = [
    path("people/<uuid:person_id>/", views.person_consent, name="person"),
    path("people/<uuid:person_id>/record", views.record_consent, name="record"),
    path("records/<uuid:record_id>/withdraw", views.withdraw_consent, name="withdraw"),
    path("records/<uuid:record_id>/evidence", views.evidence, name="evidence"),
    path("records/<uuid:record_id>/fhir", views.fhir_export, name="fhir"),
]
