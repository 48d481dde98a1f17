from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from mash import check, views
from mash.agencies import views as agency_views
from mash.api.main import api

admin.site.site_header = "MASH hub administration"
admin.site.site_title = "MASH hub administration"

urlpatterns = [
    path("", views.start, name="start"),
    path("sign-in", agency_views.SignInView.as_view(), name="sign-in"),
    path("sign-out", agency_views.sign_out, name="sign-out"),
    path("decisions/check", check.decision_check, name="decision-check"),
    path("enquiries/", include("mash.enquiries.urls")),
    path("requests/", include("mash.sharing.urls")),
    path("consent/", include("mash.consent.urls")),
    path("record/", include("mash.records.urls")),
    path("retention/", include("mash.retention.urls")),
    path("reports/", include("mash.reports.urls")),
    path("notifications/", include("mash.timeliness.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "mash.views.bad_request"
handler403 = "mash.views.forbidden"
handler404 = "mash.views.not_found"
handler500 = "mash.views.server_error"
