"""Writes for the library: items and their versions, publishing and scheduling, archiving,
review dates, sections, products, favourites and counted opens.

Every write runs in one transaction, records an audit entry, and tells the search index
(`touchpoint.search.index.update`) when what people may find has changed. Nothing here
deletes an item: archiving hides it and keeps its versions for the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.library.models import (
    Asset,
    AssetKind,
    AssetState,
    AssetVersion,
    Favourite,
    Product,
    Section,
    Tag,
)
from touchpoint.orgs.models import User
from touchpoint.search import index

ASSET_FIELDS = (
    "kind", "section", "title", "summary", "tags", "products", "department", "owner",
    "audience", "language", "state", "publish_at", "review_by", "expires_at",
)  # fmt: skip
SECTION_FIELDS = ("name", "slug", "description", "department", "owner", "position")
PRODUCT_FIELDS = ("name", "code")
MAX_TAGS = 15
REVIEW_EXTENSION_MONTHS = 6


@dataclass
class Content:
    """What one version holds: a checked upload, an address, or article text."""

    file: File | None = None
    file_type: str = ""
    file_name: str = ""
    url: str = ""
    body: str = ""
    note: str = ""


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when that day is missing)."""
    import calendar

    index_ = day.month - 1 + months
    year, month = day.year + index_ // 12, index_ % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- tags -------------------------------------------------------------------------------------
def parse_tags(text: str) -> list[str]:
    """Comma-separated tag names, trimmed, without repeats (case-insensitive), in order."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        name = " ".join(raw.split())
        if name and name.lower() not in seen:
            if len(name) > 60:
                raise ValidationError(
                    _("Keep each tag under 60 characters: %(tag)s") % {"tag": name}
                )
            validate_plain_text(name)
            seen[name.lower()] = name
    if len(seen) > MAX_TAGS:
        raise ValidationError(_("Use at most %(n)d tags.") % {"n": MAX_TAGS})
    return list(seen.values())


def _tags(names: Iterable[str]) -> list[Tag]:
    tags: list[Tag] = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(name=name)
            except IntegrityError:  # created by someone else a moment ago
                tag = Tag.objects.get(name__iexact=name)
        tags.append(tag)
    return tags


# --- items ------------------------------------------------------------------------------------
def _reindex(asset: Asset) -> None:
    """Bring the search index in line with the item (drops it when it is not published)."""
    index.update(asset)


def _new_version(actor: User | None, asset: Asset, content: Content) -> AssetVersion:
    number = (asset.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = AssetVersion(
        asset=asset,
        number=number,
        note=content.note,
        created_by=actor,
        url=content.url if asset.kind == AssetKind.LINK else "",
        body=content.body if asset.kind == AssetKind.ARTICLE else "",
    )
    if asset.kind == AssetKind.FILE:
        if content.file is None:
            raise ValidationError(_("Choose the file to upload."))
        # Named by the field from the content (kernel.uploads.ContentNamedFileField).
        version.file.save("upload", content.file, save=False)
        version.file_name = content.file_name
        version.file_type = content.file_type
        version.file_size = content.file.size or 0
    elif asset.kind == AssetKind.LINK and not content.url:
        raise ValidationError(_("A link needs the address of the page."))
    elif asset.kind == AssetKind.ARTICLE and not content.body.strip():
        raise ValidationError(_("An article needs some text."))
    version.save()
    return version


@transaction.atomic
def create_asset(
    actor: User,
    asset: Asset,
    *,
    tags: Iterable[str] = (),
    products: Iterable[Product] = (),
    content: Content,
    publish: bool = False,
    now: datetime | None = None,
) -> Asset:
    """A new item with its first version, as a draft, or published or scheduled at once."""
    now = now or timezone.now()
    asset.created_by = actor
    asset.state = AssetState.DRAFT
    asset.full_clean(exclude=["current_version"])
    asset.save()
    asset.tags.set(_tags(tags))
    asset.products.set(list(products))
    asset.current_version = _new_version(actor, asset, content)
    asset.save(update_fields=["current_version", "updated_at"])
    audit.record(actor, "asset.created", asset, after=audit.snapshot(asset, ASSET_FIELDS))
    if publish:
        asset = publish_asset(actor, asset, asset.publish_at, now=now)
    else:
        _reindex(asset)
    return asset


@transaction.atomic
def update_asset(
    actor: User,
    asset: Asset,
    *,
    tags: Iterable[str] | None = None,
    products: Iterable[Product] | None = None,
    now: datetime | None = None,
) -> Asset:
    """Save changed details (`asset` is the edited, unsaved instance). A scheduled item
    follows its new publish time, or goes back to draft when the time is cleared."""
    now = now or timezone.now()
    before = audit.snapshot(Asset.objects.select_for_update().get(pk=asset.pk), ASSET_FIELDS)
    if asset.state == AssetState.SCHEDULED and asset.publish_at is None:
        asset.state = AssetState.DRAFT
    asset.full_clean(exclude=["current_version"])
    asset.save()
    if tags is not None:
        asset.tags.set(_tags(tags))
    if products is not None:
        asset.products.set(list(products))
    after = audit.snapshot(asset, ASSET_FIELDS)
    if after != before:
        audit.record(actor, "asset.updated", asset, before=before, after=after)
    if asset.state == AssetState.SCHEDULED and asset.publish_at and asset.publish_at <= now:
        asset = publish_asset(actor, asset, now=now)  # the new time has already come
    else:
        _reindex(asset)
    return asset


@transaction.atomic
def add_version(
    actor: User, asset: Asset, content: Content, now: datetime | None = None
) -> AssetVersion:
    """A new version becomes the current one; older versions stay for the record. For a
    published item, people see it as updated."""
    now = now or timezone.now()
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    version = _new_version(actor, asset, content)
    asset.current_version = version
    fields = ["current_version", "updated_at"]
    if asset.state == AssetState.PUBLISHED:
        asset.content_updated_at = now
        fields.append("content_updated_at")
    asset.save(update_fields=fields)
    audit.record(
        actor, "asset.version_added", asset, after={"version": version.number, "note": version.note}
    )
    _reindex(asset)
    return version


@transaction.atomic
def publish_asset(
    actor: User | None,
    asset: Asset,
    publish_at: datetime | None = None,
    *,
    now: datetime | None = None,
) -> Asset:
    """Publish now (no time, or the time has come) or schedule for `publish_at`.

    A time in the past is refused rather than silently publishing: the author meant a
    particular moment and should notice that it has gone."""
    now = now or timezone.now()
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.current_version_id is None:
        raise ValidationError(_("Add the content before publishing."))
    if asset.state == AssetState.ARCHIVED:
        raise ValidationError(_("Restore the item to a draft before publishing it again."))
    if asset.expires_at and asset.expires_at <= now:
        raise ValidationError(_("The expiry date has passed; change it before publishing."))
    before = {"state": asset.state, "publish_at": _iso(asset.publish_at)}
    if publish_at is not None and publish_at > now:
        if asset.expires_at and asset.expires_at <= publish_at:
            raise ValidationError(_("The item would expire before it is published."))
        asset.state = AssetState.SCHEDULED
        asset.publish_at = publish_at
        action = "asset.scheduled"
    elif publish_at is not None and publish_at < now - timedelta(minutes=1):
        raise ValidationError(
            _("The publish time has passed. Leave it empty to publish now, or choose a later time.")
        )
    else:
        _mark_published(asset, now)
        action = "asset.published"
    asset.save()
    audit.record(
        actor or "housekeeping",
        action,
        asset,
        before=before,
        after={"state": asset.state, "publish_at": _iso(asset.publish_at)},
    )
    _reindex(asset)
    return asset


def _mark_published(asset: Asset, now: datetime) -> None:
    asset.state = AssetState.PUBLISHED
    asset.publish_at = None
    asset.published_at = asset.published_at or now
    # New for people: the first publication, or a version added since it was last public.
    version = asset.current_version
    if asset.content_updated_at is None or (
        version and version.created_at > asset.content_updated_at
    ):
        asset.content_updated_at = now
    asset.archived_at = None


@transaction.atomic
def unpublish_asset(actor: User, asset: Asset) -> Asset:
    """Back to draft: hidden from partners (also the way back from archived)."""
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    before = asset.state
    asset.state = AssetState.DRAFT
    asset.publish_at = None
    asset.archived_at = None
    asset.save()
    audit.record(
        actor, "asset.unpublished", asset, before={"state": before}, after={"state": asset.state}
    )
    _reindex(asset)
    return asset


@transaction.atomic
def archive_asset(actor: User | str, asset: Asset, now: datetime | None = None) -> Asset:
    """Hide an item for good (never deleted from the portal): its versions stay."""
    now = now or timezone.now()
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.state == AssetState.ARCHIVED:
        return asset
    before = asset.state
    asset.state = AssetState.ARCHIVED
    asset.archived_at = now
    asset.publish_at = None
    asset.save()
    audit.record(
        actor, "asset.archived", asset, before={"state": before}, after={"state": asset.state}
    )
    _reindex(asset)
    return asset


@transaction.atomic
def extend_review(actor: User, asset: Asset, months: int = REVIEW_EXTENSION_MONTHS) -> Asset:
    """ "Still current": the next review is `months` from today (or from the review date, if
    that is later), and its content counts as checked."""
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    today = timezone.localdate()
    before = _iso(asset.review_by)
    start = max(today, asset.review_by) if asset.review_by else today
    asset.review_by = add_months(start, months)
    asset.reviewed_at = timezone.now()
    asset.save(update_fields=["review_by", "reviewed_at", "updated_at"])
    audit.record(
        actor, "asset.review_extended", asset, before={"review_by": before},
        after={"review_by": asset.review_by.isoformat()},
    )  # fmt: skip
    return asset


# --- people using the library -------------------------------------------------------------------
def record_open(user: User, asset: Asset, verb: str, **extra: Any) -> None:
    """Someone opened an item (read the article, saw or downloaded the file, followed the
    link). Partner people's opens count toward the item's use; every open is an activity event."""
    with transaction.atomic():
        if not user.is_vendor:
            Asset.objects.filter(pk=asset.pk).update(
                open_count=F("open_count") + 1, last_opened_at=timezone.now()
            )
        record_event(user, verb, asset, extra=extra or None)


@transaction.atomic
def set_favourite(user: User, asset: Asset, on: bool) -> bool:
    """Add or remove a favourite; asking twice changes nothing. Returns the new state."""
    if on:
        try:
            with transaction.atomic():
                Favourite.objects.get_or_create(user=user, asset=asset)
        except IntegrityError:  # a double click raced us to it
            pass
        return True
    Favourite.objects.filter(user=user, asset=asset).delete()
    return False


# --- sections ----------------------------------------------------------------------------------
@transaction.atomic
def save_section(actor: User, section: Section) -> Section:
    """Add a section, or save an edited one (`section` unsaved, as the form left it)."""
    return audit.save_recorded(actor, section, SECTION_FIELDS, "section")


# --- products ----------------------------------------------------------------------------------
@transaction.atomic
def save_product(actor: User, product: Product) -> Product:
    """Add a product or model the vendor sells (items are tagged with it; a section filters
    by it), or save an edited one (`product` unsaved, with its changes). No page offers
    this yet; the demo adds Ridgeline's products through it."""
    return audit.save_recorded(actor, product, PRODUCT_FIELDS, "product")


# --- housekeeping ------------------------------------------------------------------------------
def publish_due(now: datetime | None = None) -> int:
    """Publish every scheduled item whose time has come."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Asset.objects.select_for_update()
            .filter(state=AssetState.SCHEDULED, publish_at__lte=now)
            .values_list("pk", flat=True)
        )
        if not due:
            return 0
        rows = Asset.objects.filter(pk__in=due)
        rows.filter(published_at__isnull=True).update(published_at=now)
        rows.update(
            state=AssetState.PUBLISHED, publish_at=None, content_updated_at=now, archived_at=None,
            updated_at=now,
        )  # fmt: skip
        _after_bulk(due, "asset.published", AssetState.SCHEDULED)
    return len(due)


def expire_due(now: datetime | None = None) -> int:
    """Archive every published or scheduled item whose expiry time has passed."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Asset.objects.select_for_update()
            .filter(state__in=[AssetState.PUBLISHED, AssetState.SCHEDULED], expires_at__lte=now)
            .values_list("pk", "state")
        )
        if not due:
            return 0
        ids = [pk for pk, _state in due]
        Asset.objects.filter(pk__in=ids).update(
            state=AssetState.ARCHIVED, archived_at=now, publish_at=None, updated_at=now
        )
        _after_bulk(ids, "asset.expired", None)
    return len(due)


def _after_bulk(ids: list[int], action: str, before_state: str | None) -> None:
    """Audit entries and index updates for items changed by one UPDATE (a few per run)."""
    assets = Asset.objects.filter(pk__in=ids).select_related("current_version")
    for asset in assets.prefetch_related("tags", "products"):
        audit.record(
            "housekeeping", action, asset,
            before={"state": before_state} if before_state else None,
            after={"state": asset.state},
        )  # fmt: skip
        _reindex(asset)
