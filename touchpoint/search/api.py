"""The search API: the same ranked, audience-filtered results as the search page."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from touchpoint.kernel.forms import QUERY_MAX_LENGTH
from touchpoint.orgs.access import require_scope
from touchpoint.search.query import search as run_search

router = Router(tags=["search"])


class HitOut(Schema):
    kind: str = Field(description="course, lesson, asset or article")
    title: str = Field(description="HTML: the title with matched words in <mark>")
    snippet: str = Field(description="HTML: matching text with matched words in <mark>")
    url: str = Field(description="Path of the item on the portal")
    section: str


class ResultsOut(Schema):
    query: str
    total: int
    approximate: bool = Field(description="True when these are near misses for a typo")
    facets: dict[str, int] = Field(description="Matches per kind")
    results: list[HitOut]


@router.get("/search", response=ResultsOut, summary="Search courses, lessons, assets, articles")
def search(
    request: HttpRequest, q: str, kind: str = "", section: int | None = None, page: int = 1
) -> ResultsOut:
    user = require_scope(request, "content:read")
    found = run_search(user, q[:QUERY_MAX_LENGTH], kind=kind, section=section, page=max(page, 1))
    return ResultsOut(
        query=found.query,
        total=found.total,
        approximate=found.approximate,
        facets=found.facets,
        results=[
            HitOut(kind=h.kind, title=h.title, snippet=h.snippet, url=h.url, section=h.section)
            for h in found.hits
        ],
    )
