from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views, views_advice, views_offer, views_onward, views_told

app_name = "sharing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inbox, name="inbox"),
    path("advice/", views_advice.advice_list, name="advice-list"),
    path("advice/<uuid:advice_id>", views_advice.advice_detail, name="advice"),
    path("sign-off/", views_advice.signoff_list, name="signoff-list"),
    path("sign-off/<uuid:decision_id>", views_advice.signoff_detail, name="signoff"),
    path("<uuid:request_id>/advice", views_advice.advice_ask, name="advice-ask"),
    path("new/<uuid:enquiry_id>", views.request_create, name="request-create"),
    path("<uuid:request_id>", views.request_detail, name="request"),
    path("<uuid:request_id>/answer", views.answer_start, name="answer-start"),
    path("<uuid:request_id>/answer/decision", views.answer_decision, name="answer-decision"),
    path("<uuid:request_id>/answer/<slug:step>", views.answer_step, name="answer"),
    path("<uuid:request_id>/withdraw", views.request_withdraw, name="withdraw"),
    path("decisions/<uuid:decision_id>", views.decision_detail, name="decision"),
    path("decisions/<uuid:decision_id>/correct", views.correction_start, name="correct"),
    path(
        "decisions/<uuid:decision_id>/told/<uuid:person_id>",
        views_told.record_told,
        name="told",
    ),
    # Information offered by a partner without being asked (views_offer).
    path("offer/<uuid:concern_id>", views_offer.offer_information, name="offer"),
    # Onward sharing by the hub (views_onward).
    path("onward/", views_onward.onward_received, name="onward-received"),
    path("onward/new/<uuid:enquiry_id>", views_onward.onward_new, name="onward-new"),
    path(
        "onward/new/<uuid:enquiry_id>/ask/<uuid:item_id>",
        views_onward.onward_ask,
        name="onward-ask",
    ),
    path("onward/asks/<uuid:ask_id>", views_onward.onward_answer, name="onward-answer"),
    path("onward/<uuid:share_id>", views_onward.onward_share, name="onward-share"),
]
