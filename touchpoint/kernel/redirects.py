"""Going back where a form was posted from: the `next` field when it stays on this site,
else the page the caller names. One rule, so no form becomes an open redirect."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request: HttpRequest, fallback: Any) -> HttpResponseRedirect:
    """`fallback` is anything `redirect()` takes: a model with a URL, a URL or a URL name."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(fallback)
