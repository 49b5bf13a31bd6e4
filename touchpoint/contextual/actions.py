"""Writes for contextual help and the launcher: mappings and their items (with audit
entries), what was asked and opened (activity events and the usage rollup), widget
integrations and their tokens, and launcher links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from touchpoint.contextual.models import (
    DIMENSIONS,
    ContextItem,
    ContextMapping,
    ContextUsage,
    Integration,
    LauncherLink,
)
from touchpoint.contextual.resolve import MAX_ITEMS, Context, Resolution, Shown
from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.orgs.models import User

MAPPING_FIELDS = ("title", *DIMENSIONS, "note")
INTEGRATION_FIELDS = ("name", "allowed_origins", "audience")
LAST_USED_PRECISION_SECONDS = 60


# --- mappings --------------------------------------------------------------------------------------
@transaction.atomic
def save_mapping(actor: User, mapping: ContextMapping) -> ContextMapping:
    if mapping.pk is None:
        mapping.created_by = actor
    return audit.save_recorded(actor, mapping, MAPPING_FIELDS, "context_mapping")


@transaction.atomic
def delete_mapping(actor: User, mapping: ContextMapping) -> None:
    """Mappings are configuration: deleting one is allowed and recorded with its items."""
    before = audit.snapshot(mapping, MAPPING_FIELDS)
    before["items"] = [item_label(i) for i in mapping.items.select_related("asset", "course")]
    audit.record(actor, "context_mapping.deleted", mapping, before=before)
    mapping.delete()


def item_label(item: ContextItem) -> str:
    if item.asset_id:
        return f"asset:{item.asset_id} {item.asset}"
    if item.lesson_key:
        return f"lesson:{item.course_id}:{item.lesson_key}"
    return f"course:{item.course_id} {item.course}"


@transaction.atomic
def add_item(actor: User, mapping: ContextMapping, item: ContextItem) -> ContextItem:
    """Append an item to the mapping's list (once; at most MAX_ITEMS)."""
    mapping = ContextMapping.objects.select_for_update().get(pk=mapping.pk)
    if mapping.items.count() >= MAX_ITEMS:
        raise ValidationError(
            _("A context offers at most %(n)d items; remove one first.") % {"n": MAX_ITEMS}
        )
    item.mapping = mapping
    item.position = (mapping.items.aggregate(n=Max("position"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise ValidationError(_("This item is in the list already.")) from exc
    audit.record(actor, "context_mapping.item_added", mapping, after={"item": item_label(item)})
    return item


@transaction.atomic
def remove_item(actor: User, item: ContextItem) -> None:
    mapping = item.mapping
    audit.record(actor, "context_mapping.item_removed", mapping, before={"item": item_label(item)})
    item.delete()


@transaction.atomic
def move_item(actor: User, item: ContextItem, step: int) -> None:
    """Swap the item with its neighbour above (-1) or below (+1); positions are renumbered
    1..n on the way, so gaps and duplicates left by earlier changes disappear."""
    ContextMapping.objects.select_for_update().get(pk=item.mapping_id)
    items = list(ContextItem.objects.filter(mapping_id=item.mapping_id).order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + (1 if step > 0 else -1)
    if not 0 <= target < len(items):
        return
    before = [i.pk for i in items]
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            ContextItem.objects.filter(pk=other.pk).update(position=position)
    audit.record(
        actor,
        "context_mapping.reordered",
        item.mapping,
        before={"items": before},
        after={"items": [i.pk for i in items]},
    )


# --- what people ask and open ------------------------------------------------------------------------
def _bump_usage(context: Context, *, shown: int) -> None:
    """Count one ask in the rollup: one UPDATE normally, an INSERT the first time."""
    now = timezone.now()
    updates: dict[str, Any] = {"asked": F("asked") + 1, "last_asked_at": now}
    if not shown:
        updates["empty"] = F("empty") + 1
    rows = ContextUsage.objects.filter(**context.values)
    if rows.update(**updates):
        return
    try:
        with transaction.atomic():
            ContextUsage.objects.create(
                **context.values,
                asked=1,
                empty=0 if shown else 1,
                first_asked_at=now,
                last_asked_at=now,
            )
    except IntegrityError:  # someone else asked the same context at the same moment
        rows.update(**updates)


@transaction.atomic
def record_ask(
    actor: User | None, resolution: Resolution, via: str, integration: Integration | None = None
) -> None:
    """A context was asked (through /go/, the API or the widget): an activity event with the
    context and what was shown, and the usage rollup."""
    context = resolution.context
    if context.is_empty:
        return
    extra: dict[str, Any] = {
        **context.values,
        "shown": len(resolution.items),
        "mapping": resolution.mapping.pk if resolution.mapping else None,
        "via": via,
    }
    if integration is not None:
        extra["integration"] = integration.pk
    record_event(
        actor,
        "requested-help",
        object_type="contextual.context",
        object_id=context.key[:64],
        name=context.label,
        url=context.go_url,
        extra=extra,
    )
    _bump_usage(context, shown=len(resolution.items))


@transaction.atomic
def record_widget_ask(
    integration: Integration, resolution: Resolution, now: datetime | None = None
) -> None:
    """The widget answered an integration: the ask (as `record_ask`), and when the
    integration was last used, to the minute (one write a minute, not one per ask)."""
    record_ask(None, resolution, "widget", integration=integration)
    now = now or timezone.now()
    last = integration.last_used_at
    if last is None or (now - last).total_seconds() > LAST_USED_PRECISION_SECONDS:
        Integration.objects.filter(pk=integration.pk).update(last_used_at=now)
        integration.last_used_at = now  # a caller asking again with it writes within the minute


VIA = ("go", "widget", "api", "list")


@transaction.atomic
def record_open(actor: User, item: Shown, context: Context, via: str) -> None:
    """Someone opened a mapped item through a counted link."""
    target = item.item
    if item.kind == "lesson":
        object_type, object_id = "courses.lesson", str(target.lesson_key)
    elif item.kind == "course":
        object_type, object_id = "courses.course", str(target.course_id)
    else:
        object_type, object_id = "library.asset", str(target.asset_id)
    record_event(
        actor,
        "launched",
        object_type=object_type,
        object_id=object_id,
        name=item.title,
        url=item.target_url,
        extra={
            **context.values,
            "via": via if via in VIA else "go",
            "mapping": target.mapping_id,
            "item": target.pk,
        },
    )
    now = timezone.now()
    ContextItem.objects.filter(pk=target.pk).update(
        open_count=F("open_count") + 1, last_opened_at=now
    )
    if not context.is_empty:
        # Only contexts that were asked have a row; a crafted link cannot add rows.
        ContextUsage.objects.filter(**context.values).update(opened=F("opened") + 1)


# --- integrations ------------------------------------------------------------------------------------
@transaction.atomic
def create_integration(
    actor: User, integration: Integration, *, token: str | None = None
) -> tuple[Integration, str]:
    """Register an integration; returns it with its token, which is never readable again.
    The token is a new random one, unless the caller brings its own (the demo derives the
    demo page's from SECRET_KEY, so the page can print it and nothing stores it)."""
    if token is not None and not token.startswith(Integration.PREFIX):
        raise ValidationError(
            _("A widget token starts with %(prefix)s.") % {"prefix": Integration.PREFIX}
        )
    raw = integration.set_token(token)
    integration.created_by = actor
    integration.full_clean()
    integration.save()
    audit.record(
        actor,
        "integration.created",
        integration,
        after=audit.snapshot(integration, INTEGRATION_FIELDS),
    )
    return integration, raw


@transaction.atomic
def update_integration(actor: User, integration: Integration) -> Integration:
    return audit.save_recorded(actor, integration, INTEGRATION_FIELDS, "integration")


@transaction.atomic
def revoke_integration(actor: User, integration: Integration) -> None:
    if integration.revoked_at is not None:
        return
    integration.revoked_at = timezone.now()
    integration.save(update_fields=["revoked_at"])
    audit.record(actor, "integration.revoked", integration)


# --- launcher ------------------------------------------------------------------------------------------
@transaction.atomic
def save_launcher_link(actor: User, link: LauncherLink) -> LauncherLink:
    if link.pk is None:
        link.created_by = actor
    return audit.save_recorded(actor, link, LauncherLink.FIELDS, "launcher_link")


@transaction.atomic
def delete_launcher_link(actor: User, link: LauncherLink) -> None:
    audit.record(
        actor, "launcher_link.deleted", link, before=audit.snapshot(link, LauncherLink.FIELDS)
    )
    image = link.icon_image.name if link.icon_image else ""
    storage = link.icon_image.storage
    link.delete()
    if image:
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(image))


@transaction.atomic
def record_launch(actor: User, link: LauncherLink) -> None:
    record_event(actor, "launched", link, url=link.url, extra={"via": "launcher"})
    LauncherLink.objects.filter(pk=link.pk).update(open_count=F("open_count") + 1)
