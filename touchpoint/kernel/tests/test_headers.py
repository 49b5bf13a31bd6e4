"""Security headers on every response: a Permissions-Policy that keeps the camera,
microphone, location, payment and USB off (a page opts in to what it needs), the files'
sandbox on files the portal generates, and a clean `check --deploy` with the environment a
real deploy sets."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client, RequestFactory

from touchpoint.kernel.headers import PermissionsPolicyMiddleware, allow_features

ROOT = Path(__file__).resolve().parents[3]
OFF = ("camera", "microphone", "geolocation", "payment", "usb", "serial", "display-capture")


def features(header: str) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in header.split(","))


def test_every_kind_of_response_carries_the_permissions_policy(personas: Any) -> None:
    from touchpoint.kernel.models import PortalSettings

    portal = PortalSettings.load()
    portal.logo.save("logo.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32))
    bob = personas.client(personas.bob)
    responses = {
        "a page": bob.get("/"),
        "a missing page": bob.get("/no-such-page/"),
        "a file": Client().get(portal.logo_url),
        "the API": Client().get("/api/v1/openapi.json"),
        "the sign-in page": Client().get("/accounts/login/"),
        "a redirect to sign in": Client().get("/learn/"),
    }
    for what, response in responses.items():
        policy = features(response["Permissions-Policy"])
        assert all(policy[feature] == "()" for feature in OFF), (what, policy)
        assert policy["fullscreen"] == "(self)", what  # the video player's own button


def test_a_page_that_needs_the_camera_gets_it_on_our_origin_only(rf: RequestFactory) -> None:
    @allow_features("camera", "microphone")
    def recorder(request: Any) -> HttpResponse:
        return HttpResponse("record")

    middleware = PermissionsPolicyMiddleware(recorder)
    policy = features(middleware(rf.get("/record/"))["Permissions-Policy"])
    assert policy["camera"] == policy["microphone"] == "(self)"
    assert policy["geolocation"] == "()"
    plain = PermissionsPolicyMiddleware(lambda request: HttpResponse("page"))
    assert features(plain(rf.get("/"))["Permissions-Policy"])["camera"] == "()"


def test_a_file_the_portal_makes_is_sandboxed_like_an_upload(personas: Any) -> None:
    from django.urls import reverse

    from touchpoint.comms.tests.helpers import announce
    from touchpoint.kernel.files import FILE_POLICY

    export = personas.client(personas.pat).get(
        reverse("comms:reach_csv", args=[announce(personas.pat).pk])
    )
    assert export["Content-Disposition"].startswith("attachment")
    assert export["Content-Security-Policy"] == FILE_POLICY
    assert export["X-Content-Type-Options"] == "nosniff"
    page = personas.client(personas.pat).get("/")
    assert page["Content-Security-Policy"] != FILE_POLICY  # pages keep their own policy


def deploy_check(**env: str) -> subprocess.CompletedProcess[str]:
    """`manage.py check --deploy` in a fresh process: settings are read from the environment
    once, at start-up, as in production."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env={**keep, **env}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


# What docs/deploy.md tells an operator to set.
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "partners.example.com",
    "SITE_URL": "https://partners.example.com",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.com",
    "BEHIND_TLS_PROXY": "1",
    "TRUSTED_PROXY_COUNT": "1",
}


def test_the_deploy_check_is_clean_with_the_settings_a_deploy_sets() -> None:
    result = deploy_check(**PRODUCTION, SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr
    # And it does look: without a secret key of its own, the same deploy is refused.
    insecure = deploy_check(**PRODUCTION)
    assert insecure.returncode != 0 and "security.W009" in insecure.stdout + insecure.stderr
