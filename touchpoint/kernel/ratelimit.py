"""A fixed-window rate limit per client address, for public forms (sign-in has allauth's)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from touchpoint.kernel.requestcontext import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def over_limit(request: HttpRequest, action: str) -> bool:
    """Count one attempt; True when this address has used up its allowance for `action`."""
    rate = getattr(settings, f"{action.upper()}_RATE_LIMIT", "5/h")
    allowed, period = rate.split("/")
    key = f"ratelimit:{action}:{client_ip(request)}"
    cache.add(key, 0, PERIODS[period])
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, PERIODS[period])
        count = 1
    return count > int(allowed)
