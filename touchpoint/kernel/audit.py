"""The audit log: one call records who changed what, from where, before and after."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

from touchpoint.kernel.models import AuditEntry
from touchpoint.kernel.requestcontext import current_client_ip

Model = TypeVar("Model", bound=models.Model)


def _plain(value: Any) -> Any:
    """A JSON-safe, human-readable form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Iterable):
        return sorted(str(v) for v in value)
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of `obj` as audit-friendly values (foreign keys by their label)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            data[name] = _plain(getattr(obj, name).all()) if obj.pk else []
        elif field.is_relation:
            data[name] = _plain(getattr(obj, name))
        else:
            value = getattr(obj, name)
            data[name] = _plain(value) if not hasattr(value, "name") else str(value or "")
    return data


def record(
    actor: Any,
    action: str,
    target: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    partner: Any = None,
) -> AuditEntry:
    """Write one audit entry. Call it inside the action's transaction. `partner` is the
    partner whose data changed, when the target does not say it itself."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    partner_id = partner.pk if partner is not None else _partner_id_of(target)
    return AuditEntry.objects.create(
        actor=actor if is_person else None,
        actor_label=(actor.email if is_person else str(actor or "system"))[:254],
        ip=current_client_ip(),
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:254] if target is not None else "",
        partner_id=partner_id,
        before=before or {},
        after=after or {},
    )


def save_recorded(actor: Any, obj: Model, fields: Iterable[str], kind: str) -> Model:
    """Validate and save `obj`, new or edited (unsaved, as its form left it), and record
    `<kind>.created`, or `<kind>.updated` when any of `fields` changed. Call it inside the
    action's transaction. The stored row is read again, locked, for the before picture:
    `obj` already holds the edits."""
    fields = list(fields)
    created = obj.pk is None
    before = (
        None
        if created
        else snapshot(type(obj)._default_manager.select_for_update().get(pk=obj.pk), fields)
    )
    obj.full_clean()
    obj.save()
    after = snapshot(obj, fields)
    if created:
        record(actor, f"{kind}.created", obj, after=after)
    elif after != before:
        record(actor, f"{kind}.updated", obj, before=before, after=after)
    return obj


def _partner_id_of(target: models.Model | None) -> int | None:
    """A target names its partner with `audit_partner_id` (a partner names itself) or,
    like most partner-owned rows, with a `partner` foreign key."""
    if target is None:
        return None
    return getattr(target, "audit_partner_id", None) or getattr(target, "partner_id", None)
