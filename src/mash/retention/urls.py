from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "retention"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.preview, name="preview"),
    path("holds", views.holds, name="holds"),
    path("batches", views.batches, name="batches"),
    path("batches/<uuid:batch_id>", views.batch, name="batch"),
    path("holds/new/hub", views.place_hold, {"scope": "hub"}, name="hold-hub"),
    path(
        "holds/new/enquiry/<uuid:target_id>",
        views.place_hold,
        {"scope": "enquiry"},
        name="hold-enquiry",
    ),
    path(
        "holds/new/person/<uuid:target_id>",
        views.place_hold,
        {"scope": "person"},
        name="hold-person",
    ),
    path("holds/<uuid:hold_id>/release", views.release_hold, name="hold-release"),
    path("items/<uuid:item_id>", views.item, name="item"),
    path("items/<uuid:item_id>/correct", views.correct_item, name="item-correct"),
    path(
        "items/<uuid:item_id>/challenges/<uuid:dispute_id>/stands",
        views.dispute_stands,
        name="dispute-stands",
    ),
    path("subject-access", views.sar_search, name="sar-search"),
    path("subject-access/results", views.sar_results, name="sar-results"),
    path("subject-access/reviews/<uuid:review_id>", views.sar_review, name="sar-review"),
    path(
        "subject-access/reviews/<uuid:review_id>/export",
        views.sar_review_export,
        name="sar-review-export",
    ),
]
