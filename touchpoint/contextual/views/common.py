"""Small helpers the contextual views share."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def internal_redirect(request: HttpRequest, url: str) -> HttpResponseRedirect:
    """Redirect within this site only. Item URLs come from reverse(), so this never fails in
    practice; it is the guard that keeps /go/ from ever becoming an open redirect."""
    if (
        not url.startswith("/")
        or url.startswith("//")
        or "\\" in url
        or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    ):
        raise Http404("Not an address on this site")
    return HttpResponseRedirect(url)
