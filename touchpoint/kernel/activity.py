"""Activity events: the one function that records what a person did, and its xAPI form.

Every learner and partner action goes through `record_event`, so Measurement can later
serve these rows as xAPI statements from an LRS without a second source of truth.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils.translation import pgettext_lazy

from touchpoint.kernel.models import ActivityEvent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Our verb codes and the xAPI verb IRIs they stand for (ADL and registry vocabularies).
VERBS: dict[str, str] = {
    "logged-in": "https://w3id.org/xapi/adl/verbs/logged-in",
    "logged-out": "https://w3id.org/xapi/adl/verbs/logged-out",
    "viewed": "http://id.tincanapi.com/verb/viewed",
    "downloaded": "http://id.tincanapi.com/verb/downloaded",
    "opened": "http://activitystrea.ms/schema/1.0/open",
    "searched": "https://w3id.org/xapi/acrossx/verbs/searched",
    "registered": "http://adlnet.gov/expapi/verbs/registered",
    "accepted": "http://activitystrea.ms/schema/1.0/accept",
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "earned": "http://id.tincanapi.com/verb/earned",
    "acknowledged": "https://w3id.org/xapi/dod-isd/verbs/acknowledged",
    "commented": "http://adlnet.gov/expapi/verbs/commented",
    "asked": "http://adlnet.gov/expapi/verbs/asked",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "requested-help": "http://activitystrea.ms/schema/1.0/request",
}

# How each verb reads on a person's activity list ("activity" context: the same English
# word may be a label elsewhere, e.g. "joined" for a date).
VERB_LABELS: dict[str, StrOrPromise] = {
    "logged-in": pgettext_lazy("activity", "signed in"),
    "logged-out": pgettext_lazy("activity", "signed out"),
    "viewed": pgettext_lazy("activity", "viewed"),
    "downloaded": pgettext_lazy("activity", "downloaded"),
    "opened": pgettext_lazy("activity", "opened"),
    "searched": pgettext_lazy("activity", "searched for"),
    "registered": pgettext_lazy("activity", "joined"),
    "accepted": pgettext_lazy("activity", "accepted"),
    "launched": pgettext_lazy("activity", "launched"),
    "attempted": pgettext_lazy("activity", "attempted"),
    "completed": pgettext_lazy("activity", "completed"),
    "passed": pgettext_lazy("activity", "passed"),
    "failed": pgettext_lazy("activity", "did not pass"),
    "earned": pgettext_lazy("activity", "earned"),
    "acknowledged": pgettext_lazy("activity", "acknowledged"),
    "commented": pgettext_lazy("activity", "commented on"),
    "asked": pgettext_lazy("activity", "asked"),
    "answered": pgettext_lazy("activity", "answered"),
    "requested-help": pgettext_lazy("activity", "asked for help with"),
}

ACTIVITY_TYPES: dict[str, str] = {
    "portal": "http://id.tincanapi.com/activitytype/lms",
    "orgs.partner": "http://id.tincanapi.com/activitytype/organization",
}
DEFAULT_ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/link"


def record_event(
    actor: Any,
    verb: str,
    obj: models.Model | None = None,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
    name: str | None = None,
    url: str = "",
    extra: dict[str, Any] | None = None,
) -> ActivityEvent:
    """Append one event. `obj` is any model instance; or give object_type/object_id."""
    if verb not in VERBS:
        raise ValueError(f"Unknown activity verb {verb!r}; add it to kernel.activity.VERBS")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
        name = name if name is not None else str(obj)
        if not url and hasattr(obj, "get_absolute_url"):
            url = obj.get_absolute_url()
    return ActivityEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=object_type or "portal",
        object_id="" if object_id is None else str(object_id),
        object_name=(name or "")[:254],
        object_url=url[:500],
        partner_id=getattr(actor, "partner_id", None),
        extra=extra or {},
    )


def record_view(request: HttpRequest, obj: models.Model, **extra: Any) -> None:
    """A signed-in person opened a portal item's page (htmx fragment refreshes excluded)."""
    if request.user.is_authenticated and not getattr(request, "htmx", False):
        record_event(request.user, "viewed", obj, extra=extra or None)


def as_xapi(event: ActivityEvent) -> dict[str, Any]:
    """The event as an xAPI 1.0.3 statement."""
    base = settings.SITE_URL
    actor = event.actor
    statement: dict[str, Any] = {
        "id": str(event.statement_id),
        "actor": {
            "objectType": "Agent",
            "name": getattr(actor, "name", "") or "",
            "account": {"homePage": base, "name": str(event.actor_id or "deleted")},
        },
        "verb": {"id": VERBS[event.verb], "display": {"en-US": event.verb}},
        "object": {
            "objectType": "Activity",
            "id": f"{base}{event.object_url}"
            if event.object_url
            else f"{base}/xapi/activities/{event.object_type}/{event.object_id}",
            "definition": {
                "name": {"en-US": event.object_name},
                "type": ACTIVITY_TYPES.get(event.object_type, DEFAULT_ACTIVITY_TYPE),
            },
        },
        "timestamp": event.timestamp.isoformat(),
        "stored": event.timestamp.isoformat(),
    }
    context_extensions: dict[str, Any] = {}
    if event.partner_id:
        context_extensions[f"{base}/xapi/extensions/partner"] = event.partner_id
    if event.extra:
        context_extensions[f"{base}/xapi/extensions/extra"] = event.extra
    if context_extensions:
        statement["context"] = {"extensions": context_extensions}
    return statement
