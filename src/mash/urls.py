from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from mash import check, views
from mash.agencies import oidc
from mash.agencies import views as agency_views
from mash.api.main import api
from mash.enquiries import views_work
from mash.operations import views as operations_views

admin.site.site_header = "MASH hub administration"
admin.site.site_title = "MASH hub administration"

urlpatterns = [
    path("", views.start, name="start"),
    path("sign-in", agency_views.SignInView.as_view(), name="sign-in"),
    path("sign-in/two-factor", agency_views.two_factor, name="two-factor"),
    path("sign-in/two-factor/set-up", agency_views.set_up, name="two-factor-set-up"),
    path("sign-in/recovery-codes", agency_views.recovery_codes, name="recovery-codes"),
    path("sign-out", agency_views.sign_out, name="sign-out"),
    path("oidc/authenticate/", oidc.authentication_init, name="oidc_authentication_init"),
    path("oidc/callback/", oidc.authentication_callback, name="oidc_authentication_callback"),
    path("account", agency_views.account, name="account"),
    path(
        "account/sign-out-everywhere",
        agency_views.sign_out_everywhere,
        name="sign-out-everywhere",
    ),
    path("decisions/check", check.decision_check, name="decision-check"),
    path("guidance/", include("mash.guidance.urls")),
    path("healthz", operations_views.healthz, name="healthz"),
    path("my-work", views_work.my_work, name="my-work"),
    path("enquiries/", include("mash.enquiries.urls")),
    path("concerns/", include("mash.enquiries.urls_concerns")),
    path("strategy-discussions/", include("mash.enquiries.urls_strategy")),
    path("requests/", include("mash.sharing.urls")),
    path("consent/", include("mash.consent.urls")),
    path("people/", include("mash.people.urls")),
    path("record/", include("mash.records.urls")),
    path("retention/", include("mash.retention.urls")),
    path("reports/", include("mash.reports.urls")),
    path("notifications/", include("mash.timeliness.urls")),
    path("api/v1/", api.urls),
    # One way in: the admin's own password-only sign-in page sends people to ours.
    path(
        "admin/login/",
        RedirectView.as_view(url="/sign-in", query_string=True),
        name="admin-sign-in",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "mash.views.bad_request"
handler403 = "mash.views.forbidden"
handler404 = "mash.views.not_found"
handler500 = "mash.views.server_error"
