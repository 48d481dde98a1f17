from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views, views_dashboard

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_dashboard.dashboard_page, name="dashboard"),
    path("guidance", views_dashboard.guidance_page, name="guidance"),
    path("guidance/decisions", views_dashboard.decisions_behind, name="decisions"),
    path("export/<slug:table>.<slug:fmt>", views_dashboard.export, name="export"),
    path("performance", views.performance, name="performance"),
    path("performance.csv", views.performance_csv, name="performance-csv"),
]
