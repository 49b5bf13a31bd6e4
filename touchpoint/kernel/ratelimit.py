"""The one rate limit: a fixed window per client address, for public forms and endpoints
(sign-in has allauth's)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

from touchpoint.kernel.requestcontext import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def over_limit(request: HttpRequest, action: str, *, scope: object = None) -> bool:
    """Count one attempt; True when this address has used up its allowance for `action`
    (the setting `<ACTION>_RATE_LIMIT`, e.g. "5/h" or "120/m"). With `scope`, each scope
    (e.g. each widget integration) has an allowance of its own per address. Counting is
    django-ratelimit's, in the shared cache; the address is the one behind our trusted
    proxies (kernel.requestcontext), which a client cannot forge."""
    rate = getattr(settings, f"{action.upper()}_RATE_LIMIT", "5/h")
    who = client_ip(request) or "unknown"
    return is_ratelimited(
        request,
        group=f"touchpoint.{action}",
        key=lambda _group, _request: who if scope is None else f"{scope}:{who}",
        rate=rate,
        increment=True,
    )


# --- limits the rows keep themselves (community: FORUM_POST_RATE) -----------------------------
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """A rate as "5/10m" (or "5/m", "120/h"): (5, 600), at most 5 in any 10 minutes.
    ValueError when it does not look like one."""
    match = _RATE.match(str(rate))
    if not match:
        raise ValueError(f"A rate looks like '5/10m' or '5/h', not {rate!r}")
    allowed, amount, unit = match.groups()
    return int(allowed), int(amount or 1) * PERIODS[unit]


def rows_over_rate(
    rows: QuerySet[Any], rate: str, *, field: str = "created_at", now: datetime | None = None
) -> bool:
    """True when `rows` (one person's posts, say) already hold the allowance of `rate`
    within its window, so one more would exceed it. Counted from the rows, not a cache: a
    sliding window every process agrees on, and an attempt that was refused does not count."""
    allowed, seconds = parse_rate(rate)
    since = (now or timezone.now()) - timedelta(seconds=seconds)
    return rows.filter(**{f"{field}__gte": since}).count() >= allowed
