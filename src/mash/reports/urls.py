from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views, views_dashboard, views_print

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_dashboard.dashboard_page, name="dashboard"),
    path("guidance", views_dashboard.guidance_page, name="guidance"),
    path("guidance/decisions", views_dashboard.decisions_behind, name="decisions"),
    path("feedback/decisions", views_dashboard.feedback_behind, name="feedback"),
    path("export/<slug:table>.<slug:fmt>", views_dashboard.export, name="export"),
    path("print/decisions/<uuid:decision_id>.pdf", views_print.decision_pdf, name="print-decision"),
    path("print/enquiries/<uuid:enquiry_id>.pdf", views_print.enquiry_pdf, name="print-enquiry"),
    path("performance", views.performance, name="performance"),
    path("performance.csv", views.performance_csv, name="performance-csv"),
]
