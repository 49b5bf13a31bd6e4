"""The REST API, /api/v1/: OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError
from ninja.openapi.schema import OpenAPISchema

from touchpoint.kernel.apiauth import BrowserSession, TokenAuth
from touchpoint.kernel.apischema import ERROR_STATUSES, INVALID_INPUT
from touchpoint.orgs.api import me_router, orgs_router, users_router
from touchpoint.search.api import router as search_router


class TouchpointAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """The description, with each error response saying when it comes (ninja's own
        descriptions are only the status names)."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if int(status) in ERROR_STATUSES:
                        response["description"] = ERROR_STATUSES[int(status)]
        return schema


api = TouchpointAPI(
    title="Touchpoint API",
    version="1",
    description=(
        "Partner organisations and people, and search across portal content. Authenticate with `Authorization: Bearer tp_…` "
        "(create tokens under Profile → API tokens) or a signed-in browser session. A token "
        "acts as the person who created it, within its scopes."
    ),
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """What the models refuse on saving: 422 with the messages per field."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": INVALID_INPUT, "errors": errors}, status=422)


@api.exception_handler(SchemaValidationError)
def schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    """What the schemas refuse, in the same shape as what the models refuse: one list of
    messages per field, named as sent ("city" of the body, "limit" of the query)."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # ninja's locations: ("body", <view parameter>, "city"), ("query", "limit").
        where = [str(part) for part in error.get("loc", ())]
        name = ".".join(where[2:] if where[:1] == ["body"] else where[1:]) or "__all__"
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        errors.setdefault(name, []).append(message)
    return api.create_response(request, {"detail": INVALID_INPUT, "errors": errors}, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found"}, status=404)


api.add_router("/", me_router)
api.add_router("/orgs", orgs_router)
api.add_router("/users", users_router)
api.add_router("/", "touchpoint.contextual.api.router")  # GET /context
api.add_router("/", search_router)
