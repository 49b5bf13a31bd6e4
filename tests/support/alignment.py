"""Builders for L&D request test data: a request from a partner person or a staff member's
department, as the intake would record it. Used by tests and the isolation cases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from touchpoint.alignment import actions
from touchpoint.alignment.models import LearningRequest
from touchpoint.orgs.models import Department, User


def make_request(
    requester: User,
    title: str = "X200 service course",
    *,
    department: str = "Service",
    **fields: Any,
) -> LearningRequest:
    values: dict[str, Any] = {
        "need": "Technicians need the 50-hour service steps.",
        "audience": "Service technicians",
        "business_outcome": "Fewer repeat visits.",
        "deadline": timezone.localdate() + timedelta(days=60),
        **fields,
    }
    dept = Department.objects.get_or_create(name=department)[0] if requester.is_vendor else None
    return actions.submit_request(
        requester, LearningRequest(title=title, **values), department=dept
    )
