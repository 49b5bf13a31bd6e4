"""Isolation cases, one module per area of the product.

Each module defines CASES (URL name -> a Case, or a list of Cases for several scenes on one
URL) and may define API_CASES (API URL name -> ApiCase) and NOT_RECORDS (URL name -> why its
path parameter is not a record id). tests/test_isolation.py gathers them all and fails when
a URL pattern of ours, or an API route, takes a parameter and has neither.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conftest import Personas
from touchpoint.orgs.models import User


def alice_only(p: Personas) -> list[User]:
    return [p.alice]


@dataclass
class Case:
    """How to reach one URL: a record some people may not reach, who may, and who may not."""

    target: Callable[[Personas], Any]  # the record the outsiders must not reach
    owner: Callable[[Personas], User]  # someone who may open it
    method: str = "get"
    args: Callable[[Any], list[Any]] = lambda obj: [obj.pk]
    # The arguments of a record that does not exist (default: the last id replaced).
    missing: Callable[[Any], list[Any]] | None = None
    # Form data sent with the request (the same for everyone), or a function of the record.
    data: dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None
    # Everyone who must get the same 404 as for a missing record: by default Alice, the
    # partner admin of another partner; scenes add Bob (a member against his own admin's
    # pages), Carol, the other channel manager, a content owner of another department.
    outsiders: Callable[[Personas], list[User]] = alice_only


@dataclass
class ApiCase:
    """One API route with a record in its path or query, called with an outsider's token."""

    method: str
    path: str  # with {} where the record's id goes
    target: Callable[[Personas], Any]
    owner: Callable[[Personas], User]
    body: dict[str, Any] | None = None
    outsiders: Callable[[Personas], list[User]] = alice_only


def gather() -> tuple[dict[str, list[Case]], dict[str, ApiCase], dict[str, str]]:
    cases: dict[str, list[Case]] = {}
    api_cases: dict[str, ApiCase] = {}
    not_records: dict[str, str] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for name, found in getattr(module, "CASES", {}).items():
            assert name not in cases, f"{name} has cases in two modules"
            cases[name] = found if isinstance(found, list) else [found]
        for name, api_case in getattr(module, "API_CASES", {}).items():
            assert name not in api_cases, f"{name} has two API cases"
            api_cases[name] = api_case
        not_records.update(getattr(module, "NOT_RECORDS", {}))
    return cases, api_cases, not_records
