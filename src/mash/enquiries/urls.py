from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views, views_feedback, views_strategy, views_threshold, views_work

app_name = "enquiries"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.enquiry_list, name="list"),
    path("new", views.start, name="start"),
    path("<uuid:enquiry_id>/", views.detail, name="detail"),
    path("<uuid:enquiry_id>/people", views.people, name="people"),
    path("<uuid:enquiry_id>/people/add", views.person, name="person-add"),
    path("<uuid:enquiry_id>/people/<uuid:person_id>/change", views.person, name="person-change"),
    path(
        "<uuid:enquiry_id>/people/<uuid:person_id>/date-of-death",
        views.date_of_death,
        name="person-date-of-death",
    ),
    path(
        "<uuid:enquiry_id>/people/<uuid:person_id>/remove",
        views.person_remove,
        name="person-remove",
    ),
    path("<uuid:enquiry_id>/check", views.check, name="check"),
    path("<uuid:enquiry_id>/submitted", views.submitted, name="submitted"),
    path("<uuid:enquiry_id>/close", views_threshold.record_decision, name="close"),
    path(
        "<uuid:enquiry_id>/threshold/<uuid:decision_id>",
        views_threshold.review,
        name="threshold-review",
    ),
    path("<uuid:enquiry_id>/feedback", views_feedback.send, name="feedback"),
    path(
        "<uuid:enquiry_id>/strategy-discussion",
        views_strategy.record_discussion,
        name="strategy",
    ),
    path("<uuid:enquiry_id>/restrict", views.restrict, name="restrict"),
    path("<uuid:enquiry_id>/unrestrict", views.unrestrict, name="unrestrict"),
    path("<uuid:enquiry_id>/break-glass", views.break_glass, name="break-glass"),
    path("glass-breaks", views.glass_breaks, name="glass-breaks"),
    path(
        "glass-breaks/<uuid:glass_break_id>/review",
        views.glass_break_review,
        name="glass-break-review",
    ),
    path("<uuid:enquiry_id>/take", views_work.take, name="take"),
    path("<uuid:enquiry_id>/allocate", views_work.allocate, name="allocate"),
    path("<uuid:enquiry_id>/<slug:step>", views.step, name="step"),
]
