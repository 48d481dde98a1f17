"""The menu offers the advice, sign-off and performance pages to those who use them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

ADVICE = reverse("sharing:advice-list")
SIGNOFF = reverse("sharing:signoff-list")
# The reports (the dashboard, which links to the performance table) in the menu.
PERFORMANCE = reverse("reports:dashboard")


@pytest.mark.parametrize(
    ("who", "advice", "signoff", "performance"),
    [
        ("police_practitioner", True, False, False),
        ("police_manager", True, True, False),
        ("hub_practitioner", True, False, False),
        ("hub_manager", True, False, True),
        ("dpo", False, False, True),
    ],
)
def test_the_menu_links(
    cast: Any, client_for: Any, who: str, advice: bool, signoff: bool, performance: bool
) -> None:
    page = client_for(who).get("/decisions/check").content.decode()
    assert (f'href="{ADVICE}"' in page) is advice
    assert (f'href="{SIGNOFF}"' in page) is signoff
    assert (f'href="{PERFORMANCE}"' in page) is performance
