"""Cross-partner isolation cases, one module per area of the product.

Each module defines CASES (URL name -> Case) and may define NOT_RECORDS (URL name -> why
its path parameter is not a record id). tests/test_isolation.py gathers them all and fails
when a URL pattern with a parameter has neither.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conftest import Personas
from touchpoint.orgs.models import User


@dataclass
class Case:
    """How to reach one URL: the record that is not Alice's, and who may open it."""

    target: Callable[[Personas], Any]  # the other partner's (or the vendor's) record
    owner: Callable[[Personas], User]  # someone who may open it
    method: str = "get"
    args: Callable[[Any], list[Any]] = lambda obj: [obj.pk]
    # The arguments of a record that does not exist (default: the last id replaced).
    missing: Callable[[Any], list[Any]] | None = None
    # Form data sent with the request (the same for Alice and for the owner), or a function
    # of the record that builds it.
    data: dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None


def gather() -> tuple[dict[str, Case], dict[str, str]]:
    cases: dict[str, Case] = {}
    not_records: dict[str, str] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for name, case in getattr(module, "CASES", {}).items():
            assert name not in cases, f"{name} has two cases"
            cases[name] = case
        not_records.update(getattr(module, "NOT_RECORDS", {}))
    return cases, not_records
