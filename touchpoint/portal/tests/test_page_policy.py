"""The pages as people get them, with the demo story loaded: every page a demo persona reaches
from the menu, their profile and the pages their home links to, and the sign-in pages for
visitors, carry the Content-Security-Policy and Permissions-Policy and hold nothing that
policy would refuse: no inline <script>, <style>, style="" or on…="" handler (the template
scan in kernel/tests/test_csp.py cannot see what includes and template tags produce); the
operator's admin pages too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.admin import site
from django.core.management import call_command
from django.test import Client

from tests.support import factories as f
from touchpoint.kernel.menu import entries_for
from touchpoint.kernel.tests.test_csp import INLINE
from touchpoint.orgs.models import User

# The demo sign-ins of the README, one of each role.
PERSONAS = [
    "admin@ridgeline.example", "dana@ridgeline.example", "evan@ridgeline.example",
    "mia@ridgeline.example", "lee@ridgeline.example", "ana@ridgeline.example",
    "sam@ridgeline.example", "alice@aldercreek.example", "bob@aldercreek.example",
    "carol@birchwood.example", "javier@haciendaverde.example", "hannah@aldercreek.example",
]  # fmt: skip
VISITOR_PAGES = ["/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"]
LINK = re.compile(r'<a [^>]*href="(/[^"#?]*)"')
# Downloads, redirects out and actions: not pages.
NOT_PAGES = re.compile(r"/(file|download|open|go|logout|icon)/|\.(csv|ics|pdf|json)$|^/accounts/")
LINKS_PER_PAGE = 8


def problems(url: str, response: Any) -> list[str]:
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return []
    found = [f"{url}: no Permissions-Policy"] if "Permissions-Policy" not in response else []
    policy = response.get("Content-Security-Policy", "")
    if "script-src 'self'" not in policy or "unsafe-inline" in policy:
        found.append(f"{url}: policy {policy!r}")
    html = response.content.decode()
    found += [f"{url}: {what}" for what, pattern in INLINE.items() if pattern.search(html)]
    return found


@pytest.mark.django_db
def test_no_page_of_any_persona_holds_what_its_policy_would_refuse() -> None:
    call_command("seed_demo", verbosity=0)
    found: list[str] = []
    opened = 0
    for url in VISITOR_PAGES:
        found += problems(url, Client().get(url))
        opened += 1
    for email in PERSONAS:
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        pages = ["/", "/me/", *(item.url for item in entries_for(user, "/"))]
        seen: set[str] = set()
        for url in pages:
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            found += [f"{email} {problem}" for problem in problems(url, response)]
            opened += 1
            if url == "/" and response.status_code == 200:
                links = [
                    u for u in LINK.findall(response.content.decode()) if not NOT_PAGES.search(u)
                ]
                pages += list(dict.fromkeys(links))[:LINKS_PER_PAGE]
    # The operator's back door (Django's admin) is a page too.
    operator = f.StaffFactory(email="operator@ridgeline.example", name="Op", roles=[])
    User.objects.filter(pk=operator.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    for model in site._registry:
        for url in (
            f"/operator/{model._meta.app_label}/{model._meta.model_name}/",
            f"/operator/{model._meta.app_label}/{model._meta.model_name}/add/",
        ):
            found += problems(url, client.get(url))
            opened += 1
    assert opened > len(PERSONAS) * 5, opened
    assert not found, "\n".join(found)
