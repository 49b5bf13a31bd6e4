"""The asset library: portal sections with their accountable owners, assets (files, links
and knowledge articles) with version history and review dates, products, tags and favourites."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.kernel.translations import Translatable, TranslatableQuerySet
from touchpoint.kernel.uploads import ContentNamedFileField
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.library.access import can_author_library, can_manage_sections, owner_departments
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import User as Person

User = settings.AUTH_USER_MODEL


class SectionQuerySet(AccessQuerySet["Section"]):
    related = ("department", "owner")

    def visible_to(self, user: Person) -> Self:
        """Sections are shared by everyone; each lists only the items meant for its reader."""
        return self.all() if active(user) else self.none()

    def manageable_by(self, user: Person) -> Self:
        return self.all() if can_manage_sections(user) else self.none()

    def authorable_by(self, user: Person) -> Self:
        """Sections this person may file items under: portal admins any, a content owner
        those of their department and those they are accountable for."""
        if not can_author_library(user):
            return self.none()
        if user.is_portal_admin:
            return self.all()
        return self.filter(Q(department__in=owner_departments(user)) | Q(owner=user))


class Section(models.Model):
    """A part of the portal (Sales, Service, Parts, Marketing, Finance). One department owns
    it and one person is accountable for keeping it current; assets and courses belong to it."""

    name = models.CharField(_("name"), max_length=80, unique=True, validators=[validate_plain_text])
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("owning department"),
        on_delete=models.PROTECT,
        related_name="sections",
    )
    owner = models.ForeignKey(
        User,
        verbose_name=_("accountable owner"),
        on_delete=models.PROTECT,
        related_name="owned_sections",
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("portal section")
        verbose_name_plural = _("portal sections")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("library:section", args=[self.slug])


class Product(models.Model):
    """A product or model the vendor sells and services, e.g. the X200."""

    name = models.CharField(_("name"), max_length=120, validators=[validate_plain_text])
    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("How other systems name it, e.g. model-x200."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True, validators=[validate_plain_text])

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class AssetKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    ARTICLE = "article", _("Article")


class AssetState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class AssetQuerySet(TranslatableQuerySet["Asset"]):
    related = ("section", "current_version", "owner", "department", "audience")

    def visible_to(self, user: Person) -> Self:
        """Items this person may open: everything for vendor staff, published items meant
        for them for partner people."""
        if not active(user):
            return self.none()
        if user.is_vendor:
            return self.all()
        return self.filter(Q(state=AssetState.PUBLISHED) & for_user_q(user))

    def manageable_by(self, user: Person) -> Self:
        """Items this person may edit: portal admins all; a content owner those of their
        department, those they own, and those in sections of their department or that they
        own (`Asset.is_manageable_by` is the same rule for one item)."""
        if not can_author_library(user):
            return self.none()
        if user.is_portal_admin:
            return self.all()
        departments = owner_departments(user)
        return self.filter(
            Q(department__in=departments)
            | Q(owner=user)
            | Q(section__department__in=departments)
            | Q(section__owner=user)
        )

    def published(self) -> Self:
        return self.filter(state=AssetState.PUBLISHED)

    def due_for_review(self, today: object = None) -> Self:
        today = today or timezone.localdate()
        return self.published().filter(review_by__lt=today)


class Asset(Translatable, models.Model):
    """One item of the library. Its content (file, address or article text) lives in
    versions; `current_version` is what people see, older versions stay for the record."""

    translated_fields = ("title", "summary")

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="assets"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AssetKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="assets")
    products = models.ManyToManyField(
        Product, verbose_name=_("products"), blank=True, related_name="assets"
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="assets",
    )
    owner = models.ForeignKey(
        User,
        verbose_name=_("accountable owner"),
        on_delete=models.PROTECT,
        related_name="owned_assets",
    )
    audience = models.ForeignKey(
        "orgs.Audience",
        verbose_name=_("audience"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who sees it. Empty: every partner person."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    state = models.CharField(
        _("state"), max_length=10, choices=AssetState.choices, default=AssetState.DRAFT
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    review_by = models.DateField(_("review by"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    current_version = models.ForeignKey(
        "AssetVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When people last saw new content: first publication or a new published version.
    content_updated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    # Kept on the row (F() updates) so housekeeping finds unused items without scanning events.
    open_count = models.PositiveIntegerField(default=0)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    # When the owner last confirmed the item is still current ("still current" on content health).
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the owner was last told about, so the daily housekeeping notice names each problem
    # once: the review date and expiry date it warned of, and when it reported the item unused.
    review_notice_for = models.DateField(null=True, blank=True, editable=False)
    expiry_notice_for = models.DateTimeField(null=True, blank=True, editable=False)
    unused_notice_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        indexes = [
            models.Index(fields=["state", "section"]),
            models.Index(fields=["state", "publish_at"]),
            models.Index(fields=["state", "expires_at"]),
            models.Index(fields=["state", "review_by"]),
            models.Index(fields=["owner", "state"]),
            models.Index(fields=["-content_updated_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:asset", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == AssetState.PUBLISHED

    def is_manageable_by(self, user: Person) -> bool:
        """`AssetQuerySet.manageable_by` for one item, saved or not: forms ask it, so nobody
        files an item where they could not edit it afterwards."""
        if not can_author_library(user):
            return False
        if user.is_portal_admin:
            return True
        departments = set(owner_departments(user).values_list("pk", flat=True))
        section = self.section if self.section_id else None
        return (
            self.department_id in departments
            or self.owner_id == user.pk
            or (
                section is not None
                and (section.department_id in departments or section.owner_id == user.pk)
            )
        )

    @property
    def original_language(self) -> str:
        return self.language


def version_upload_to(version: AssetVersion, filename: str) -> str:
    # `filename` is generated from the content (ContentNamedFileField); the uploader's name
    # is kept in `file_name` for the download header only.
    return f"library/{version.asset_id}/{filename}"


class AssetVersionQuerySet(AccessQuerySet["AssetVersion"]):
    related = ("asset",)

    def visible_to(self, user: Person) -> Self:
        """Versions opened on their own (an earlier version's download): vendor staff, for
        the items they may open. Partner people get an item's current version, through it."""
        if not (active(user) and user.is_vendor):
            return self.none()
        return self.filter(asset__in=Asset.objects.visible_to(user))


class AssetVersion(models.Model):
    """One version of an asset's content, with what changed."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = ContentNamedFileField(_("file"), upload_to=version_upload_to, blank=True, max_length=255)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    url = models.URLField(_("address"), blank=True, max_length=500)
    body = models.TextField(_("text"), blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AssetVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("asset version")
        verbose_name_plural = _("asset versions")
        constraints = [
            models.UniqueConstraint(fields=["asset", "number"], name="asset_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.asset} v{self.number}"

    @property
    def preview(self) -> str:
        """How the page shows this file: "pdf", "image", "video", or "" (download only)."""
        if not self.file:
            return ""
        if self.file_type == "application/pdf":
            return "pdf"
        if self.file_type in ("image/png", "image/jpeg", "image/webp", "image/gif"):
            return "image"
        if self.file_type in ("video/mp4", "video/webm"):
            return "video"
        return ""


class Favourite(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="favourite_assets")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        constraints = [
            models.UniqueConstraint(fields=["user", "asset"], name="favourite_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ★ {self.asset}"
