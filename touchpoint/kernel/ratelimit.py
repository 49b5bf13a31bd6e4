"""The one rate limit: a fixed window per client address, for public forms and endpoints
(sign-in has allauth's)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from touchpoint.kernel.requestcontext import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def over_limit(request: HttpRequest, action: str, *, scope: object = None) -> bool:
    """Count one attempt; True when this address has used up its allowance for `action`
    (the setting `<ACTION>_RATE_LIMIT`, e.g. "5/h"). With `scope`, each scope (e.g. each
    widget integration) has an allowance of its own per address."""
    rate = getattr(settings, f"{action.upper()}_RATE_LIMIT", "5/h")
    allowed, period = rate.split("/")
    who = client_ip(request) if scope is None else f"{scope}:{client_ip(request)}"
    key = f"ratelimit:{action}:{who}"
    cache.add(key, 0, PERIODS[period])
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, PERIODS[period])
        count = 1
    return count > int(allowed)
