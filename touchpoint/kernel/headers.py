"""Headers beyond the pages' Content-Security-Policy: the Permissions-Policy on every
response, which browser features (camera, microphone, location, payment, USB …) the
portal's pages may use at all (settings.PERMISSIONS_POLICY; a page that needs one opts in
with `allow_features`, so the exception sits on the one view that needs it); and the files'
sandbox policy on every file the portal hands out, generated ones too (certificates,
calendar entries, CSV exports), not only the uploads kernel.files serves."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from touchpoint.kernel.files import FILE_POLICY

Handler = Callable[[HttpRequest], HttpResponseBase]
V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def policy_header(policy: dict[str, list[str]]) -> str:
    """`camera=(), fullscreen=(self)`: the header's structured-field form."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.header = policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        allowed: set[str] = getattr(response, "allowed_features", set())
        if allowed:
            policy = {
                feature: ["self"] if feature in allowed else origins
                for feature, origins in settings.PERMISSIONS_POLICY.items()
            }
            response.headers.setdefault("Permissions-Policy", policy_header(policy))
        else:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class FilePolicyMiddleware:
    """A response that is a file (it says how to save it: Content-Disposition) gets the
    sandbox policy of uploaded files and nosniff, whichever view made it. Listed after
    django-csp's middleware, so it sees the response first and the pages' policy, which
    would let a file run our scripts, never lands on a file."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Disposition" in response:
            response.headers.setdefault("Content-Security-Policy", FILE_POLICY)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


def allow_features(*features: str) -> Callable[[V], V]:
    """Let this view's page use these features on our own origin, e.g. the video recorder's
    `@allow_features("camera", "microphone")`; every other page keeps them off."""
    unknown = set(features) - set(settings.PERMISSIONS_POLICY)
    assert not unknown, f"not in PERMISSIONS_POLICY: {sorted(unknown)}"

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            response.allowed_features = set(features)  # type: ignore[attr-defined]
            return response

        return wrapped  # type: ignore[return-value]

    return decorate
