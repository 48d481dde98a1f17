"""An administrator resets someone's two-factor sign-in (a lost phone): their
authenticator and recovery codes go, their sessions end, and the record says who did it."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mash.agencies import services
from mash.agencies.models import User
from mash.records.models import RecordEntry
from tests.conftest import PASSWORD
from tests.two_factor import give_password


def test_the_admin_action_resets_two_factor_and_records_it(cast: dict[str, Any]) -> None:
    hana = cast["hub_practitioner"]
    services.ensure_authenticator(user=hana)
    services.new_recovery_codes(user=hana)
    hanas_browser = Client()
    hanas_browser.force_login(hana)
    assert hanas_browser.get("/enquiries/").status_code == 200

    root = User.objects.create_superuser(username="root", password="x" * 20)
    admin = Client()
    admin.force_login(root)
    response = admin.post(
        "/admin/agencies/user/",
        {"action": "reset_two_factor", "_selected_action": [str(hana.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert b"Two-factor sign-in reset for 1 person" in response.content
    assert not TOTPDevice.objects.filter(user=hana).exists()
    assert not StaticDevice.objects.filter(user=hana).exists()
    entry = RecordEntry.objects.filter(action="auth.two_factor_reset").get()
    assert entry.actor_username == "root"
    assert entry.object_id == str(hana.pk)

    # Hana's session has ended, and her next sign-in sets an authenticator up again.
    assert hanas_browser.get("/enquiries/")["Location"].startswith("/sign-in")
    fresh = Client()
    give_password(fresh, "hana", PASSWORD)
    step = fresh.get("/sign-in/two-factor")
    assert step["Location"].startswith("/sign-in/two-factor/set-up")


def test_the_otp_device_admin_pages_that_show_secrets_are_not_offered(
    cast: dict[str, Any],
) -> None:
    root = User.objects.create_superuser(username="root", password="x" * 20)
    admin = Client()
    admin.force_login(root)
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin.get("/admin/otp_static/staticdevice/").status_code == 404
