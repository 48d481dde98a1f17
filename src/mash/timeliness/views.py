"""The in-app notifications list. It shows references, agencies' names and links only,
never anyone's details, so it is not a view of personal data."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mash.agencies.models import User

from . import services
from .models import Notification


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first. Showing them marks them read."""
    user = cast(User, request.user)
    page = Paginator(Notification.objects.filter(user=user).select_related("notice"), 50).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    unread = {n.pk for n in shown if n.read_at is None}
    services.mark_read(user=user, notifications=shown, now=timezone.now())
    return render(
        request,
        "timeliness/notifications.html",
        {"page": page, "notifications": shown, "unread": unread, "unread_notifications": 0},
    )
