"""The development console: one line for each refused or missing page, no tracebacks for
what a visitor did."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def console(settings: Any) -> Iterator[io.StringIO]:
    """What the configured console handlers print (DEBUG on, as under `make run`)."""
    settings.DEBUG = True
    out = io.StringIO()
    handlers = {
        handler
        for logger in (logging.getLogger(), logging.getLogger("django"))
        for handler in logger.handlers
        if type(handler) is logging.StreamHandler
    }
    streams = {handler: handler.setStream(out) for handler in handlers}
    yield out
    for handler, stream in streams.items():
        handler.setStream(stream)


def test_it_logs_a_missing_page_once(client: Any, console: io.StringIO, db: None) -> None:
    assert client.get("/no-such-page/").status_code == 404
    assert console.getvalue().splitlines() == ["Not Found: /no-such-page/"]


def test_it_logs_a_refused_page_once_without_a_traceback(personas: Any, console: Any) -> None:
    bob = personas.client(personas.bob)
    assert bob.get("/learn/manage/").status_code == 403
    assert console.getvalue().splitlines() == ["Forbidden (Permission denied): /learn/manage/"]
