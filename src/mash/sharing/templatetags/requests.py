"""``{% request_due req as words %}``: an open request's deadline in words on its hub's
clock ("due by 18:24 today (in 4 hours)"), for pages whose view did not work it out
(the guided question pages show the same summary as the request page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from mash.sharing.models import RequestStatus
from mash.timeliness.config import hub_clock

register = template.Library()


@register.simple_tag
def request_due(req: Any) -> str:
    if req is None or req.status != RequestStatus.OPEN:
        return ""
    return hub_clock(req.enquiry.hub_id).words(timezone.now(), req.deadline, req.enquiry.rag)
