"""Query budgets: home and the news feed stay within a fixed number of queries however many
announcements there are."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import Personas
from touchpoint.comms.models import Priority
from touchpoint.comms.tests.helpers import announce

pytestmark = pytest.mark.django_db

HOME_BUDGET = 40  # the whole home page, every app's rows
FEED_BUDGET = 12


def _many(personas: Personas, n: int) -> None:
    for i in range(n):
        announce(
            personas.pat, f"Bulletin {i}", deliver=i % 2 == 0,
            priority=Priority.URGENT if i % 10 == 0 else Priority.NORMAL, requires_ack=i % 3 == 0,
        )  # fmt: skip


def test_it_serves_the_feed_within_its_query_budget(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    _many(personas, 30)
    bob = personas.client(personas.bob)
    bob.get(reverse("comms:feed"))  # warm the session
    with django_assert_max_num_queries(FEED_BUDGET):
        response = bob.get(reverse("comms:feed"))
    assert response.status_code == 200
    assert response.content.decode().count('class="news-item') == 20
    with django_assert_max_num_queries(FEED_BUDGET):
        bob.get(reverse("comms:feed"), {"page": 2})


def test_it_serves_home_within_its_query_budget(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    bob = personas.client(personas.bob)
    bob.get("/")
    with django_assert_max_num_queries(HOME_BUDGET) as few:
        bob.get("/")
    _many(personas, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = bob.get("/")
    assert 'class="pinned-news"' in response.content.decode()
