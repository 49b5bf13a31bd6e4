"""Isolation cases for the translations page (kernel.translations): one URL for every kind of
translatable item, each gated by its own kind's `manageable_by`, so each kind has a scene
with the outsiders of that kind's authoring cases."""

from __future__ import annotations

from typing import Any

from tests.isolation_cases import Case
from tests.isolation_cases import comms as c
from tests.isolation_cases import contextual as ctx
from tests.isolation_cases import courses_author as ca
from tests.isolation_cases import library as lib


def of(kind: str) -> Any:
    return lambda obj: [kind, obj.pk]


CASES = {
    "kernel:translations": [
        Case(c.birchwood_news, c.pat, args=of("announcement"), outsiders=c.not_the_author),
        Case(c.birchwood_tour, c.pat, args=of("tour"), outsiders=c.not_a_portal_admin),
        Case(ca.drafted, ca.mia, args=of("course"), outsiders=ca.not_sales_authors),
        Case(lib.vendor_item, lib.pat, args=of("asset"), outsiders=lib.not_authors),
        Case(ctx.birchwood_link, ctx.pat, args=of("launcher"), outsiders=ctx.not_admins),
        Case(
            ca.drafted,
            ca.mia,
            "post",
            args=of("course"),
            data={"language": "es", "0-title": "Curso"},
            outsiders=ca.not_sales_authors,
        ),
    ],
}
