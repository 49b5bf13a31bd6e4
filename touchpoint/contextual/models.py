"""Contextual help and the app launcher: context mappings (a context from a partner's own
system -> an ordered list of portal items), the usage rollup of asked contexts, registered
widget integrations with hashed tokens, and the launcher links to other systems."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from touchpoint.contextual.access import (
    can_edit_contexts,
    can_manage_integrations,
    can_manage_launcher,
)
from touchpoint.courses.models import Lesson
from touchpoint.courses.models import Status as CourseStatus
from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.kernel.tokens import hash_token
from touchpoint.kernel.translations import Translatable, TranslatableQuerySet
from touchpoint.kernel.uploads import ContentNamedImageField
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.library.models import AssetState
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import User as Person

User = settings.AUTH_USER_MODEL

# --- contexts ---------------------------------------------------------------------------------
# The four dimensions of a context, from the broadest to the narrowest as people read a key
# ("pos / extended-warranty / model-x200"). Blank in a mapping means "any".
DIMENSIONS = ("app", "screen", "product", "topic")
DIMENSION_LENGTH = 100

# Tie-breaking between two mappings that name as many dimensions: the one naming the
# higher-weighted dimension wins (screen, then product, then topic, then application), so
# `pos / extended-warranty / - / -` beats `pos / - / model-x200 / -`. The rank is
# count * 16 + the weights, so a mapping naming more dimensions always ranks higher.
DIMENSION_WEIGHTS = {"screen": 8, "product": 4, "topic": 2, "app": 1}

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def normalise(value: Any) -> str:
    """A context value as stored and compared: trimmed, lowercase, inner spaces as one
    hyphen ("Extended Warranty" -> "extended-warranty"), at most 100 characters."""
    text = _SPACES.sub(" ", str(value or "")).strip().lower()
    return _CONTROL.sub("", text).replace(" ", "-")[:DIMENSION_LENGTH]


def rank_of(values: dict[str, str]) -> int:
    named = [d for d in DIMENSIONS if values.get(d)]
    return len(named) * 16 + sum(DIMENSION_WEIGHTS[d] for d in named)


def humanise(values: dict[str, str]) -> str:
    """Slugs as words ("extended-warranty" → "Extended warranty"), the application left out
    when anything else is named (people know which system they are in)."""
    named = [values.get(d, "") for d in DIMENSIONS if d != "app" and values.get(d)]
    words = [
        " ".join(v.replace("-", " ").replace("_", " ").split())
        for v in named or [values.get("app", "")]
    ]
    return " · ".join(w[:1].upper() + w[1:] for w in words if w)


class ContextMappingQuerySet(AccessQuerySet["ContextMapping"]):
    def visible_to(self, user: Person) -> Self:
        """Mappings are configuration: only the people who edit them open one."""
        return self.manageable_by(user)

    def manageable_by(self, user: Person) -> Self:
        return self.all() if can_edit_contexts(user) else self.none()


class ContextMapping(models.Model):
    """One context (any combination of application, screen, product and topic; blank is
    "any") and, through its items, what a person in that context is offered."""

    app = models.CharField(
        pgettext_lazy("software", "application"),
        max_length=DIMENSION_LENGTH,
        blank=True,
        help_text=_("How the other system names itself, e.g. pos, dms, crm, service-app."),
    )
    screen = models.CharField(
        _("screen"), max_length=DIMENSION_LENGTH, blank=True, help_text=_("e.g. extended-warranty")
    )
    product = models.CharField(
        _("product or model"),
        max_length=DIMENSION_LENGTH,
        blank=True,
        help_text=_("e.g. model-x200"),
    )
    topic = models.CharField(
        _("topic"), max_length=DIMENSION_LENGTH, blank=True, help_text=_("e.g. financing")
    )
    # The slugs are the other system's words; people read this instead (the widget, the deep
    # link page, the staff list). Blank: the slugs are shown as words (`humanise`).
    title = models.CharField(
        _("title"),
        max_length=120,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("What people see, e.g. “Selling the extended warranty”."),
    )
    note = models.CharField(
        _("note for content owners"),
        max_length=200,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Why this mapping exists; people using the help never see it."),
    )
    # How specific the mapping is (see DIMENSION_WEIGHTS); kept on the row so the best match
    # is an ORDER BY, set on every save.
    rank = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContextMappingQuerySet.as_manager()

    class Meta:
        ordering = ["app", "screen", "product", "topic"]
        verbose_name = _("context mapping")
        verbose_name_plural = _("context mappings")
        constraints = [
            # One mapping per context; it is also the index resolution reads (each
            # dimension IN ('', asked value): at most 16 keys, all on this index).
            models.UniqueConstraint(fields=list(DIMENSIONS), name="one_mapping_per_context"),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: Any, **kwargs: Any) -> None:
        for dimension in DIMENSIONS:
            setattr(self, dimension, normalise(getattr(self, dimension)))
        self.rank = rank_of(self.values)
        super().save(*args, **kwargs)

    @property
    def values(self) -> dict[str, str]:
        return {d: getattr(self, d) for d in DIMENSIONS}

    @property
    def label(self) -> str:
        return " / ".join(getattr(self, d) or "*" for d in DIMENSIONS)

    @property
    def heading(self) -> str:
        """What people read: the title, or the slugs as words."""
        return self.title or humanise(self.values)

    def clean(self) -> None:
        for dimension in DIMENSIONS:
            setattr(self, dimension, normalise(getattr(self, dimension)))
        if not any(self.values.values()):
            raise ValidationError(_("Name at least one of application, screen, product or topic."))


# The fields an item may point at; exactly one is set. A new kind of target (a forum thread)
# is a nullable foreign key here, its name in this tuple, and a branch in resolve.py.
ITEM_TARGETS = ("asset", "course")


def exactly_one(fields: tuple[str, ...]) -> Q:
    """A Q true when exactly one of `fields` is not null."""
    q = Q()
    for field in fields:
        others = {f"{other}__isnull": True for other in fields if other != field}
        q |= Q(**{f"{field}__isnull": False}, **others)
    return q


class ItemKind(models.TextChoices):
    ASSET = "asset", _("Library item")
    COURSE = "course", _("Course")
    LESSON = "lesson", _("Lesson")


def lesson_title() -> Subquery:
    """The lesson's title in its course's published version (NULL when it is not there)."""
    return Subquery(
        Lesson.objects.filter(
            version_id=OuterRef("course__published_version_id"), key=OuterRef("lesson_key")
        )
        .order_by()  # any row will do: (version, key) is unique
        .values("title")[:1]
    )


# The condition that an audience foreign key (named by the argument) lets the viewer in.
MeantFor = Callable[[str], Q]


class ContextItemQuerySet(AccessQuerySet["ContextItem"]):
    related = ("mapping", "asset", "course")

    def offered(self, meant_for: MeantFor) -> Self:
        """Items whose target is published and meant for the viewer (`meant_for`). Each is
        annotated with `lesson_title`, None for a lesson that is not in its course's published
        version: lists check that in Python (resolve.is_shown), which saves compiling the
        subquery twice."""
        asset_ok = Q(asset__isnull=False, asset__state=AssetState.PUBLISHED) & meant_for(
            "asset__audience"
        )
        course_ok = Q(
            course__isnull=False,
            course__status=CourseStatus.PUBLISHED,
            course__published_version__isnull=False,
        ) & meant_for("course__audience")
        return self.annotate(lesson_title=lesson_title()).filter(asset_ok | course_ok)

    def visible_to(self, user: Person) -> Self:
        """Mapped items this person may open: a published target meant for them (their
        audiences read afresh, not from the help panel's cache), a lesson only while its
        course's published version has it."""
        if not active(user):
            return self.none()

        def meant_for(field: str) -> Q:
            return Q() if user.is_vendor else for_user_q(user, field)

        return self.offered(meant_for).filter(
            Q(lesson_key__isnull=True) | Q(lesson_title__isnull=False)
        )

    def manageable_by(self, user: Person) -> Self:
        """A mapping's items are edited with the mapping."""
        return self.filter(mapping__in=ContextMapping.objects.manageable_by(user))


class ContextItem(models.Model):
    """One entry of a mapping's ordered list: a library asset (file, video, link or article),
    a course, or a lesson of a course (by its key, which survives new course versions; it
    opens in the course's published version)."""

    mapping = models.ForeignKey(ContextMapping, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    asset = models.ForeignKey(
        "library.Asset", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "courses.Course", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    lesson_key = models.UUIDField(null=True, blank=True)
    # Kept with F() on every open, for the usage view's "items opened".
    open_count = models.PositiveIntegerField(default=0)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ContextItemQuerySet.as_manager()

    class Meta:
        ordering = ["mapping", "position", "pk"]
        verbose_name = _("context item")
        verbose_name_plural = _("context items")
        indexes = [models.Index(fields=["mapping", "position"])]
        constraints = [
            models.CheckConstraint(condition=exactly_one(ITEM_TARGETS), name="item_has_one_target"),
            models.CheckConstraint(
                condition=Q(lesson_key__isnull=True) | Q(course__isnull=False),
                name="lesson_needs_its_course",
            ),
            models.UniqueConstraint(
                fields=["mapping", "asset"],
                condition=Q(asset__isnull=False),
                name="asset_once_per_mapping",
            ),
            models.UniqueConstraint(
                fields=["mapping", "course"],
                condition=Q(course__isnull=False, lesson_key__isnull=True),
                name="course_once_per_mapping",
            ),
            models.UniqueConstraint(
                fields=["mapping", "course", "lesson_key"],
                condition=Q(lesson_key__isnull=False),
                name="lesson_once_per_mapping",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mapping_id}:{self.kind}:{self.asset_id or self.course_id}"

    @property
    def kind(self) -> str:
        if self.asset_id:
            return ItemKind.ASSET
        return ItemKind.LESSON if self.lesson_key else ItemKind.COURSE


class ContextUsage(models.Model):
    """How often each asked context was asked, came up empty and led to an opened item.
    One row per normalised context, counted with F() by the resolution; the events keep
    the detail."""

    app = models.CharField(max_length=DIMENSION_LENGTH, blank=True)
    screen = models.CharField(max_length=DIMENSION_LENGTH, blank=True)
    product = models.CharField(max_length=DIMENSION_LENGTH, blank=True)
    topic = models.CharField(max_length=DIMENSION_LENGTH, blank=True)
    asked = models.PositiveIntegerField(default=0)
    empty = models.PositiveIntegerField(default=0)  # asked and nothing was shown
    opened = models.PositiveIntegerField(default=0)
    first_asked_at = models.DateTimeField(default=timezone.now)
    last_asked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("context usage")
        verbose_name_plural = _("context usage")
        constraints = [
            models.UniqueConstraint(fields=list(DIMENSIONS), name="one_usage_row_per_context")
        ]
        indexes = [models.Index(fields=["-asked"]), models.Index(fields=["-empty"])]

    def __str__(self) -> str:
        return " / ".join(getattr(self, d) or "*" for d in DIMENSIONS)

    @property
    def values(self) -> dict[str, str]:
        return {d: getattr(self, d) for d in DIMENSIONS}


# --- widget integrations --------------------------------------------------------------------------
def normalise_origin(value: str) -> str:
    """An origin as browsers send it: scheme://host[:port], lowercase, default port dropped.
    Raises ValidationError for anything else (paths, credentials, other schemes)."""
    raw = value.strip()
    parts = urlsplit(raw)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username
        or parts.password
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValidationError(
            _("“%(value)s” is not an origin like https://pos.dealer.example (no path).")
            % {"value": raw[:80]}
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise ValidationError(_("“%(value)s” has an invalid port.") % {"value": raw[:80]}) from exc
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


class IntegrationQuerySet(AccessQuerySet["Integration"]):
    def visible_to(self, user: Person) -> Self:
        """Integrations are configuration: only the people who manage them open one."""
        return self.manageable_by(user)

    def manageable_by(self, user: Person) -> Self:
        return self.all() if can_manage_integrations(user) else self.none()

    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True)


class Integration(models.Model):
    """Another system (a dealer's POS, DMS, CRM) that embeds the help widget. Its token is
    shown once and stored as a SHA-256 hash; the widget endpoint answers only its registered
    origins and only with items for everyone or for the integration's audience."""

    PREFIX = "tpw_"

    name = models.CharField(
        _("name"), max_length=80, validators=[validate_plain_text], help_text=_("e.g. Dealer POS")
    )
    allowed_origins = models.TextField(
        _("allowed origins"),
        help_text=_("One per line, e.g. https://pos.dealer.example. Only these pages may ask."),
    )
    audience = models.ForeignKey(
        "orgs.Audience",
        verbose_name=_("audience"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The widget lists items meant for everyone and, when set, items for this "
            "audience. People still sign in to open them."
        ),
    )
    lookup = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = IntegrationQuerySet.as_manager()

    class Meta:
        ordering = ["revoked_at", "name"]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self) -> str:
        return f"{self.name} ({self.lookup}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def origins(self) -> list[str]:
        return [line.strip() for line in self.allowed_origins.splitlines() if line.strip()]

    def allows(self, origin: str) -> bool:
        return bool(origin) and origin in self.origins

    def clean(self) -> None:
        origins = []
        for line in self.allowed_origins.splitlines():
            if line.strip():
                origins.append(normalise_origin(line))
        if not origins:
            raise ValidationError({"allowed_origins": _("Add at least one origin.")})
        self.allowed_origins = "\n".join(dict.fromkeys(origins))

    def set_token(self, raw: str | None = None) -> str:
        """Give the integration a new secret; returns it (the only time it is readable)."""
        raw = raw or self.PREFIX + secrets.token_urlsafe(32)
        self.lookup = raw[: len(self.PREFIX) + 6]
        self.key_hash = hash_token(raw)
        return raw


# --- app launcher ------------------------------------------------------------------------------------
class LauncherIcon(models.TextChoices):
    """Built-in icons (Lucide icons, chosen in contextual/_icon.html); an uploaded image wins."""

    CART = "cart", _("Shopping cart (ordering)")
    SHIELD = "shield", _("Shield (warranty)")
    GEAR = "gear", _("Gear (parts and service)")
    PEOPLE = "people", _("People (CRM)")
    MONEY = "money", _("Coin (finance)")
    CHART = "chart", _("Chart (reports)")
    BOOK = "book", _("Book (documentation)")
    LINK = "link", _("Link")


def launcher_icon_upload_to(link: LauncherLink, filename: str) -> str:
    # `filename` is generated from the content (ContentNamedImageField).
    return f"launcher/{filename}"


def validate_http_url(value: str) -> None:
    URLValidator(schemes=["http", "https"])(value)


class LauncherLinkQuerySet(TranslatableQuerySet["LauncherLink"]):
    def visible_to(self, user: Person) -> Self:
        """The shown links this person's audience reaches; vendor staff see every shown link
        (they look after them, and partners' systems are theirs to try)."""
        if not active(user):
            return self.none()
        links = self.filter(is_active=True)
        return links if user.is_vendor else links.filter(for_user_q(user))

    def manageable_by(self, user: Person) -> Self:
        return self.all() if can_manage_launcher(user) else self.none()


class LauncherLink(Translatable, models.Model):
    """A link to another system partners use (ordering, warranty claims, parts, CRM),
    shown on home and on the Apps page to the people its audience reaches."""

    translated_fields = ("name", "description", "sso_hint")

    name = models.CharField(_("name"), max_length=80, validators=[validate_plain_text])
    url = models.URLField(
        _("address"),
        max_length=500,
        validators=[validate_http_url],
        help_text=_("An http or https address."),
    )
    description = models.CharField(_("description"), max_length=160, blank=True)
    icon = models.CharField(
        _("icon"), max_length=12, choices=LauncherIcon.choices, default=LauncherIcon.LINK
    )
    icon_image = ContentNamedImageField(
        _("icon image"),
        upload_to=launcher_icon_upload_to,
        blank=True,
        max_length=200,
        help_text=_("Optional: a PNG, JPEG, WebP or GIF used instead of the built-in icon."),
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
    sso_hint = models.CharField(
        _("sign-in hint"),
        max_length=120,
        blank=True,
        help_text=_("e.g. Sign in with your Ridgeline account"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)
    # Home shows a few links an admin chose per audience, not every link (the Apps page
    # has them all): these, in position order.
    on_home = models.BooleanField(
        _("pinned on home"),
        default=False,
        help_text=_("Shown among the quick links on the home of the people it reaches."),
    )
    open_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = LauncherLinkQuerySet.as_manager()

    FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "url",
        "description",
        "icon",
        "icon_image",
        "audience",
        "sso_hint",
        "position",
        "is_active",
        "on_home",
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("launcher link")
        verbose_name_plural = _("launcher links")
        indexes = [models.Index(fields=["is_active", "position"])]

    def __str__(self) -> str:
        return self.name

    @property
    def icon_url(self) -> str:
        """The icon through its access-checked view; the stored name (new for every upload)
        in the query lets browsers keep it while it stays the same."""
        from django.urls import reverse

        stem = (self.icon_image.name or "").rsplit("/", 1)[-1].split(".", 1)[0]
        return f"{reverse('contextual:app_icon', args=[self.pk])}?v={stem}"
