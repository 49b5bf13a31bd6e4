"""Pages that htmx refreshes in part: the whole page on a plain request, only the part on an
htmx one (HX-Request), from the same view and the same context. Every hx-get link also has
a real href, so the page works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    """Set by django-htmx's middleware; False for any request it did not see."""
    return bool(getattr(request, "htmx", False))


def render_page(
    request: HttpRequest,
    page: str,
    part: str,
    context: dict[str, Any] | None = None,
    **kwargs: Any,
) -> HttpResponse:
    """`part` (a template the page includes) for htmx, else the whole `page`."""
    return render(request, part if is_htmx(request) else page, context, **kwargs)
