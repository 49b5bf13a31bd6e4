"""The embeddable widget's JSON endpoint.

GET /widget/v1/items/?app=…&screen=…&product=…&topic=… with the header
`X-Touchpoint-Token: tpw_…` answers the items for that context as the integration sees them
(items for everyone, plus items for the integration's audience, if it names one). Links go
to the portal's counted /go/item/<id>/, where the person signs in and the portal checks
their own access. CORS: the response carries `Access-Control-Allow-Origin` with the exact
origin only when it is one the integration registered; never credentials (no cookies are
read or set). A preflight (OPTIONS) is answered for an origin some active integration
registered. A request without an Origin header (a server, curl) needs only the token.

Errors are JSON: 401 for a missing, unknown or revoked token; 403 (without CORS headers)
for an origin the integration did not register; 429 when over the rate limit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from touchpoint.contextual import actions
from touchpoint.contextual.models import Integration
from touchpoint.contextual.resolve import Context, Resolution, Viewer, resolve
from touchpoint.kernel.ratelimit import over_limit
from touchpoint.kernel.tokens import hash_token

TOKEN_HEADER = "X-Touchpoint-Token"  # noqa: S105 (a header name, not a secret)


def _error(status: int, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    patch_vary_headers(response, ["Origin"])
    response["Cache-Control"] = "no-store"
    return response


def _allow(response: HttpResponse, origin: str) -> HttpResponse:
    if origin:
        response["Access-Control-Allow-Origin"] = origin
    patch_vary_headers(response, ["Origin"])
    return response


def _integration(request: HttpRequest) -> Integration | None:
    raw = request.headers.get(TOKEN_HEADER, "").strip()
    if not raw.startswith(Integration.PREFIX) or len(raw) > 200:
        return None
    return Integration.objects.active().filter(key_hash=hash_token(raw)).first()


def _preflight(origin: str) -> HttpResponse:
    # Integrations are few (one per connected system), so reading their origins is cheap.
    if origin and any(
        i.allows(origin) for i in Integration.objects.active().only("allowed_origins")
    ):
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = "GET"
        response["Access-Control-Allow-Headers"] = TOKEN_HEADER
        response["Access-Control-Max-Age"] = "600"
        return _allow(response, origin)
    return _error(403, "This origin is not registered for the Touchpoint widget.")


def labels() -> dict[str, str]:
    """The panel's words, in the language the page asked for."""
    return {
        "heading": _("Help & training for this screen"),
        "close": _("Close"),
        "empty": _("Nothing is linked to this screen yet. Search the portal instead."),
        "search": _("Search the portal"),
        "more": _("Open in the portal"),
        "new_tab": _("opens in a new tab"),
        "sign_in": _("The portal may ask you to sign in."),
        "error": _("Help is not available right now."),
    }


@csrf_exempt  # no cookies are read: the token in the header is the only credential
def widget_items(request: HttpRequest) -> HttpResponse:
    origin = request.headers.get("Origin", "")
    if request.method == "OPTIONS":
        return _preflight(origin)
    if request.method != "GET":
        return _error(405, "Use GET.")
    integration = _integration(request)
    if integration is None:
        return _error(401, "Missing, unknown or revoked widget token.")
    if origin and not integration.allows(origin):
        return _error(403, "This origin is not registered for this integration.")
    # A fixed window per integration and client address (WIDGET_RATE_LIMIT, e.g. 120/m).
    if over_limit(request, "widget", scope=integration.pk):
        return _allow(_error(429, "Too many requests; try again in a minute."), origin)

    language = request.GET.get("lang", "")[:10].lower().split("-")[0]
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        # Resolved in the page's language: the items' kind labels are translated here.
        resolution = resolve(Context.from_data(request.GET), Viewer.integration(integration))
        payload = _answer(request, resolution)
    actions.record_widget_ask(integration, resolution)
    response = JsonResponse(payload)
    response["Cache-Control"] = "no-store"
    return _allow(response, origin)


def _answer(request: HttpRequest, resolution: Resolution) -> dict[str, Any]:
    context = resolution.context
    more = context.go_url + ("&" if context.query else "?") + "via=widget"
    return {
        "context": context.values,
        "context_label": resolution.heading,
        "items": [
            {
                "title": item.title,
                "kind": item.kind,
                "kind_label": item.kind_label,
                "summary": item.summary,
                "url": request.build_absolute_uri(item.open_url(context, via="widget")),
            }
            for item in resolution.items
        ],
        "more_url": request.build_absolute_uri(more),
        "search_url": request.build_absolute_uri(resolution.search_url),
        "labels": labels(),
    }


urlpatterns: list[URLPattern] = [
    path("widget/v1/items/", widget_items, name="widget_items"),
]
