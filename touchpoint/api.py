"""The REST API, /api/v1/: OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI

from touchpoint.kernel.apiauth import BrowserSession, TokenAuth
from touchpoint.orgs.api import me_router, orgs_router, users_router
from touchpoint.search.api import router as search_router

api = NinjaAPI(
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
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found"}, status=404)


api.add_router("/", me_router)
api.add_router("/orgs", orgs_router)
api.add_router("/users", users_router)
api.add_router("/", "touchpoint.contextual.api.router")  # GET /context
api.add_router("/", search_router)
