"""Writes for L&D requests: submitting, triage (type, owner, status, priority), comments and
deliverables.

Each write runs in one transaction, records an audit entry, adds a line to the request's
timeline, and tells the people concerned: the requester hears about status changes, linked
deliverables and the learning team's comments; the owner (or, before there is one, the
triagers) hears about new requests and the requester's comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from touchpoint.alignment.access import is_learning_team
from touchpoint.alignment.models import (
    Deliverable,
    DeliverableKind,
    EntryKind,
    LearningRequest,
    Priority,
    RelationshipType,
    Status,
    TimelineEntry,
)
from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.kernel.notifications import notify
from touchpoint.kernel.validators import is_portal_path
from touchpoint.orgs.models import Department, StaffRoleKind, User

REQUEST_FIELDS = (
    "title", "need", "audience", "job_role", "business_outcome", "kpi_metric", "kpi_baseline",
    "kpi_target", "kpi_unit", "kpi_by", "deadline", "department", "partner",
)  # fmt: skip
TRIAGE_FIELDS = ("relationship", "owner", "status", "priority", "decline_reason")
COMMENT_MAX = 4000
CLOSED = (Status.DELIVERED, Status.DECLINED)
# Statuses that say the learning team has decided how to serve the request.
NEEDS_TYPE = (Status.TRIAGED, Status.IN_PROGRESS, Status.ON_HOLD, Status.DELIVERED)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Plain text as typed, without control characters and surrounding space. Templates
    escape it; it is never rendered as HTML."""
    return _CONTROL.sub("", text.replace("\r\n", "\n")).strip()


def validate_portal_path(value: str) -> str:
    """A page of this portal as a path (see kernel.validators.is_portal_path)."""
    path = value.strip()
    if not is_portal_path(path):
        raise ValidationError(
            _("Give the address of a page of this portal, starting with /, e.g. /learn/."),
            code="not_portal_path",
        )
    if len(path) > 500:
        raise ValidationError(_("Keep the address under 500 characters."), code="too_long")
    return path


def _entry(
    request: LearningRequest,
    kind: str,
    actor: User | None,
    *,
    old: Any = "",
    new: Any = "",
    body: str = "",
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        request=request,
        kind=kind,
        actor=actor,
        old_value="" if old is None else str(old)[:200],
        new_value="" if new is None else str(new)[:200],
        body=body,
    )


def triagers(request: LearningRequest) -> list[User]:
    """Who hears about a new request before it has an owner: trainers, and the content
    owners of the department it is for; portal admins only when neither exists."""
    team = User.objects.filter(partner__isnull=True, is_active=True)
    people = team.filter(
        Q(staffrole__role=StaffRoleKind.TRAINER)
        | Q(
            staffrole__role=StaffRoleKind.CONTENT_OWNER,
            staffrole__department__isnull=False,
            staffrole__department=request.department_id,
        )
    ).distinct()
    found = list(people)
    if not found:
        found = list(team.filter(staffrole__role=StaffRoleKind.PORTAL_ADMIN).distinct())
    return found


def _tell(
    people: Iterable[User | None],
    actor: User | None,
    request: LearningRequest,
    title: Any,
    params: dict[str, Any],
    body: Any = "",
) -> None:
    seen: dict[int, User] = {}
    for person in people:
        if person is not None and (actor is None or person.pk != actor.pk):
            seen[person.pk] = person
    if seen:
        notify(
            seen.values(),
            "requests",
            title,
            body=body,
            url=request.get_absolute_url(),
            params=params,
        )


# --- submitting ---------------------------------------------------------------------------------
@transaction.atomic
def submit_request(
    actor: User,
    request: LearningRequest,
    *,
    department: Department | None = None,
    today: date | None = None,
) -> LearningRequest:
    """Record a new request. A partner person's request is their company's; staff say which
    department it is for."""
    today = today or timezone.localdate()
    request.requester = actor
    if actor.is_vendor:
        if department is None:
            raise ValidationError({"department": _("Choose the department that needs this.")})
        request.department, request.partner = department, None
    else:
        request.partner_id, request.department = actor.partner_id, None
    if request.deadline and request.deadline < today:
        raise ValidationError({"deadline": _("The date has passed; choose today or later.")})
    request.status = Status.NEW
    request.relationship = ""
    request.owner = None
    request.created_at = request.updated_at = timezone.now()
    request.full_clean()
    request.save()
    _entry(request, EntryKind.SUBMITTED, actor)
    audit.record(actor, "request.submitted", request, after=audit.snapshot(request, REQUEST_FIELDS))
    record_event(actor, "requested-help", request)
    _tell(
        triagers(request),
        actor,
        request,
        gettext_lazy("New L&D request: %(title)s"),
        {"title": request.title, "who": str(actor), "for": request.requested_for},
        gettext_lazy("%(who)s asks for %(for)s."),
    )
    return request


# --- triage ---------------------------------------------------------------------------------------
@transaction.atomic
def triage(
    actor: User,
    request: LearningRequest,
    *,
    relationship: str,
    owner: User | None,
    status: str,
    priority: int,
    decline_reason: str = "",
) -> list[TimelineEntry]:
    """Classify, assign, prioritise and move a request on; one timeline line per change.
    Returns the lines written (none when nothing changed)."""
    if not is_learning_team(actor):
        raise ValidationError(_("Only the learning team triages requests."))
    request = LearningRequest.objects.select_for_update().get(pk=request.pk)
    decline_reason = clean_text(decline_reason)
    if relationship and relationship not in RelationshipType.values:
        raise ValidationError({"relationship": _("Choose one of the four relationship types.")})
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    if status == Status.DECLINED and not decline_reason:
        raise ValidationError(
            {"decline_reason": _("Say why the request is declined; the requester sees it.")}
        )
    if status in NEEDS_TYPE and not relationship:
        raise ValidationError(
            {"relationship": _("Choose the relationship type before moving the request on.")}
        )
    if owner is not None and not is_learning_team(owner):
        raise ValidationError({"owner": _("The owner must be in the learning team.")})

    before = audit.snapshot(request, TRIAGE_FIELDS)
    old_status, old_owner = request.status, request.owner
    entries: list[TimelineEntry] = []
    if relationship != request.relationship:
        entries.append(
            _entry(request, EntryKind.CLASSIFIED, actor, old=request.relationship, new=relationship)
        )
        request.relationship = relationship
    if owner != old_owner:
        entries.append(
            _entry(
                request,
                EntryKind.ASSIGNED,
                actor,
                old=str(old_owner) if old_owner else "",
                new=str(owner) if owner else "",
            )
        )
        request.owner = owner
    if priority != request.priority:
        entries.append(
            _entry(request, EntryKind.PRIORITY, actor, old=request.priority, new=priority)
        )
        request.priority = priority
    reason = decline_reason if status == Status.DECLINED else ""
    if status != old_status or (status == Status.DECLINED and reason != request.decline_reason):
        entries.append(
            _entry(request, EntryKind.STATUS, actor, old=old_status, new=status, body=reason)
        )
        request.status = status
        if status in CLOSED and old_status not in CLOSED:
            request.closed_at = timezone.now()
        elif status not in CLOSED:
            request.closed_at = None
    request.decline_reason = reason
    if not entries:
        return []
    request.updated_at = timezone.now()
    request.full_clean()
    request.save()
    audit.record(
        actor,
        "request.triaged",
        request,
        before=before,
        after=audit.snapshot(request, TRIAGE_FIELDS),
    )

    params = {"title": request.title, "status": str(Status(request.status).label)}
    if request.status != old_status:
        body = (
            gettext_lazy("Reason: %(reason)s")
            if request.status == Status.DECLINED
            else gettext_lazy("Open the request to see its timeline.")
        )
        _tell(
            [request.requester],
            actor,
            request,
            gettext_lazy("Your L&D request “%(title)s” is now: %(status)s"),
            {**params, "reason": reason},
            body,
        )
    if owner is not None and owner != old_owner:
        _tell(
            [owner], actor, request, gettext_lazy("You now own the L&D request “%(title)s”"), params
        )
    return entries


# --- comments -------------------------------------------------------------------------------------
@transaction.atomic
def comment(actor: User, request: LearningRequest, text: str) -> TimelineEntry:
    """A note between the requester's side and the learning team; plain text only."""
    body = clean_text(text)
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > COMMENT_MAX:
        raise ValidationError(
            {"body": _("Keep comments under %(n)d characters.") % {"n": COMMENT_MAX}}
        )
    entry = _entry(request, EntryKind.COMMENT, actor, body=body)
    LearningRequest.objects.filter(pk=request.pk).update(updated_at=entry.at)
    audit.record(actor, "request.commented", request, after={"comment": body[:500]})
    record_event(actor, "commented", request)
    # The learning team answers the requester; the requester's side reaches the owner, or
    # the triagers while nobody owns it.
    if is_learning_team(actor):
        people: list[User | None] = [request.requester, request.owner]
    else:
        people = (
            [request.requester, request.owner]
            if request.owner
            else [
                request.requester,
                *triagers(request),
            ]
        )
    _tell(
        people,
        actor,
        request,
        gettext_lazy("New comment on the L&D request “%(title)s”"),
        {"title": request.title, "who": str(actor), "text": body[:300]},
        gettext_lazy("%(who)s: %(text)s"),
    )
    return entry


# --- deliverables ---------------------------------------------------------------------------------
@transaction.atomic
def add_deliverable(actor: User, request: LearningRequest, deliverable: Deliverable) -> Deliverable:
    """Link what answers the request; the requester hears about it."""
    if not is_learning_team(actor):
        raise ValidationError(_("Only the learning team links deliverables."))
    deliverable.request = request
    deliverable.added_by = actor
    if deliverable.kind == DeliverableKind.LINK:
        deliverable.url = validate_portal_path(deliverable.url)
        deliverable.title = clean_text(deliverable.title)
        if not deliverable.title:
            raise ValidationError({"title": _("Give the link a title people will recognise.")})
    else:
        target = deliverable.target
        if target is None:
            raise ValidationError(_("That item no longer exists. Search again."))
        deliverable.title = str(target)[:200]
    duplicate = Deliverable.objects.filter(request=request, kind=deliverable.kind)
    field = Deliverable.TARGETS.get(deliverable.kind)
    duplicate = (
        duplicate.filter(**{field: getattr(deliverable, f"{field}_id")})
        if field
        else duplicate.filter(url=deliverable.url)
    )
    if duplicate.exists():
        raise ValidationError(_("This is already linked to the request."))
    deliverable.full_clean(exclude=["request", "added_by"])
    deliverable.save()
    LearningRequest.objects.filter(pk=request.pk).update(updated_at=timezone.now())
    _entry(
        request,
        EntryKind.DELIVERABLE_ADDED,
        actor,
        new=deliverable.title,
        body=deliverable.kind,
    )
    audit.record(
        actor,
        "request.deliverable_added",
        request,
        after={"kind": deliverable.kind, "title": deliverable.title, "url": deliverable.url},
    )
    _tell(
        [request.requester],
        actor,
        request,
        gettext_lazy("Something new for your L&D request “%(title)s”"),
        {"title": request.title, "item": deliverable.title},
        gettext_lazy("Linked: %(item)s"),
    )
    return deliverable


@transaction.atomic
def remove_deliverable(actor: User, deliverable: Deliverable) -> None:
    if not is_learning_team(actor):
        raise ValidationError(_("Only the learning team removes deliverables."))
    request = deliverable.request
    title, kind = deliverable.title, deliverable.kind
    deliverable.delete()
    LearningRequest.objects.filter(pk=request.pk).update(updated_at=timezone.now())
    _entry(request, EntryKind.DELIVERABLE_REMOVED, actor, old=title, body=kind)
    audit.record(
        actor, "request.deliverable_removed", request, before={"kind": kind, "title": title}
    )
