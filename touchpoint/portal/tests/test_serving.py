"""`make run PORT=8101`: the portal links to where it is served, and the demo point of sale
served there may ask the widget."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from touchpoint.portal.demo.contextual import _integration as seed_integration
from touchpoint.portal.demo.contextual import demo_token


def site_url(**env: str) -> str:
    """SITE_URL as settings.py computes it in a fresh process with this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    code = "from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(  # noqa: S603 (our own interpreter and a fixed snippet)
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "touchpoint.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_it_links_to_the_port_it_is_served_on() -> None:
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8101") == "http://127.0.0.1:8101"
    assert site_url(HOST="localhost", PORT="8101") == "http://localhost:8101"
    # A real address wins over where the server happens to listen.
    assert site_url(PORT="8101", SITE_URL="https://partners.ridgeline.example/") == (
        "https://partners.ridgeline.example"
    )


@pytest.mark.parametrize("port", ["8000", "8101"])
def test_the_demo_point_of_sale_may_ask_from_the_port_served(
    personas: Any, settings: Any, port: str
) -> None:
    # First loaded at :8000, then `make run PORT=8101` loads the demo again.
    seed_integration(personas.pat)
    settings.SITE_URL = f"http://127.0.0.1:{port}"
    integration = seed_integration(personas.pat)
    assert integration is not None
    asked = Client().get(
        "/widget/v1/items/?app=pos&screen=extended-warranty",
        HTTP_X_TOUCHPOINT_TOKEN=demo_token(),
        HTTP_ORIGIN=f"http://localhost:{port}",
    )
    assert asked.status_code == 200
    assert asked["Access-Control-Allow-Origin"] == f"http://localhost:{port}"
