"""The menu marks one current page: the most specific one. The advice and sign-off
pages live under the requests' address, and only their own item is current."""

from __future__ import annotations

import re
from typing import Any

import pytest


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/requests/", "Requests"),
        ("/requests/advice/", "Advice requests"),
        ("/requests/sign-off/", "Waiting for sign-off"),
    ],
)
def test_only_the_most_specific_menu_item_is_current(
    client_for: Any, path: str, current: str
) -> None:
    page = client_for("police_manager").get(path).content.decode()
    marked = re.findall(r'aria-current="page"[^>]*>([^<]+)<', page)
    assert marked == [current]
