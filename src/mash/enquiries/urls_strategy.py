"""A partner agency's strategy discussions, and any owner's "done" for an action."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views_strategy

app_name = "strategy"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_strategy.partner_list, name="list"),
    path("<uuid:discussion_id>", views_strategy.partner_record, name="record"),
    path("actions/<uuid:action_id>/done", views_strategy.action_done, name="action-done"),
]
