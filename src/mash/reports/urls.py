from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("performance", views.performance, name="performance"),
    path("performance.csv", views.performance_csv, name="performance-csv"),
]
