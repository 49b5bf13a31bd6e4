"""API endpoint for contextual help: the items for a context, as the signed-in person or the
token's owner may see them (the same resolution as /go/ and the widget).

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from touchpoint.contextual import actions
from touchpoint.contextual.resolve import Context, Viewer, resolve
from touchpoint.kernel.apischema import errors, text
from touchpoint.orgs.access import require_scope

router = Router(tags=["contextual help"])


class ContextIn(Schema):
    app: str = text("", description="The asking system, e.g. pos, dms, crm, service-app")
    screen: str = text("", description="The screen, e.g. extended-warranty")
    product: str = text("", description="The product or model code, e.g. model-x200")
    topic: str = text("", description="A topic, e.g. financing")


class ContextValues(Schema):
    app: str
    screen: str
    product: str
    topic: str


class ContextItemOut(Schema):
    id: int = Field(description="The mapping item's id")
    title: str
    kind: str = Field(description="asset, course or lesson")
    kind_label: str = Field(description="How the kind reads to people, translated")
    summary: str
    url: str = Field(
        description="Absolute portal address that opens the item and counts the open "
        "(/go/item/<id>/ with the context)"
    )


class ContextOut(Schema):
    context: ContextValues = Field(description="The asked context, normalised (lowercase, trimmed)")
    matched: ContextValues | None = Field(
        description="The mapping that answered (blank dimensions match anything); null when "
        "nothing matched"
    )
    items: list[ContextItemOut] = Field(description="Best first; empty when nothing is mapped")
    go_url: str = Field(description="Absolute deep link: the one item, or the list")
    search_url: str = Field(
        description="Absolute search page for the context's words: the fallback"
    )


@router.get(
    "/context",
    response={200: ContextOut, **errors(422)},
    summary="Help and training for a context in another system",
    description=(
        "Resolves a context (any of application, screen, product and topic) to the items of "
        "the most specific matching mapping that has items you may see. Values are "
        "normalised: lowercase, trimmed, inner spaces as one hyphen. Each call is recorded "
        "as an activity event."
    ),
)
def context_items(request: HttpRequest, query: Query[ContextIn]) -> ContextOut:
    user = require_scope(request, "content:read")
    context = Context.from_data(query.dict())
    resolution = resolve(context, Viewer.person(user))
    actions.record_ask(user, resolution, "api")
    absolute = request.build_absolute_uri
    return ContextOut(
        context=ContextValues(**context.values),
        matched=ContextValues(**resolution.mapping.values) if resolution.mapping else None,
        items=[
            ContextItemOut(
                id=item.pk,
                title=item.title,
                kind=item.kind,
                kind_label=item.kind_label,
                summary=item.summary,
                url=absolute(item.open_url(context, via="api")),
            )
            for item in resolution.items
        ],
        go_url=absolute(context.go_url),
        search_url=absolute(resolution.search_url),
    )
