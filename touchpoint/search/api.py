"""The search API: the same ranked, audience-filtered results as the search page."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from touchpoint.kernel.apischema import errors, text
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


class SearchIn(Schema):
    q: str = text(max_length=QUERY_MAX_LENGTH, description="The words to look for")
    kind: str = text(
        "", max_length=20, description="Only this kind: course, lesson, asset or article"
    )
    section: int | None = Field(None, ge=1, le=2**31 - 1, description="Only this library section")
    page: int = Field(1, ge=1, le=10_000, description="The page of results, from 1")


@router.get(
    "/search",
    response={200: ResultsOut, **errors(422)},
    summary="Search courses, lessons, assets, articles",
)
def search(request: HttpRequest, query: Query[SearchIn]) -> ResultsOut:
    user = require_scope(request, "content:read")
    found = run_search(user, query.q, kind=query.kind, section=query.section, page=query.page)
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
