"""Template context shared by every page: the portal's settings (name, logo and the theme
style sheet's URL) and the person's navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from touchpoint.kernel.forms import QUERY_MAX_LENGTH
from touchpoint.kernel.portal import get_portal
from touchpoint.portal.navigation import navigation_for, phone_bar_for


def portal(request: HttpRequest) -> dict[str, Any]:
    settings_row = get_portal(request)
    context: dict[str, Any] = {
        "portal": settings_row,
        # The top bar's search box echoes the query of the page, as much as search takes.
        "query_max_length": QUERY_MAX_LENGTH,
        "topbar_query": request.GET.get("q", "")[:QUERY_MAX_LENGTH],
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav_groups"] = navigation_for(user, request.path)
        context["phone_bar"] = phone_bar_for(user, request.path)
    return context
