"""One way to page a list on a screen: ?page=N, the portal's PAGE_SIZE unless a list says."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(request: HttpRequest, items: Any, per_page: int | None = None) -> Page:
    return Paginator(items, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))
