from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "sharing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inbox, name="inbox"),
    path("new/<uuid:enquiry_id>", views.request_create, name="request-create"),
    path("<uuid:request_id>", views.request_detail, name="request"),
    path("<uuid:request_id>/answer", views.answer_start, name="answer-start"),
    path("<uuid:request_id>/answer/decision", views.answer_decision, name="answer-decision"),
    path("<uuid:request_id>/answer/<slug:step>", views.answer_step, name="answer"),
    path("<uuid:request_id>/withdraw", views.request_withdraw, name="withdraw"),
    path("decisions/<uuid:decision_id>", views.decision_detail, name="decision"),
    path("decisions/<uuid:decision_id>/correct", views.correction_start, name="correct"),
]
