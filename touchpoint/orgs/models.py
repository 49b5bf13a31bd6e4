"""Organisations and people: the vendor's staff, partner companies and their hierarchy,
memberships and roles, invitations, program terms and partner applications."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.orgs.hooks import derived_roles

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django_stubs_ext import StrOrPromise

# Partner hierarchies are distributor -> dealer -> location; three levels keep every
# "this partner and everything under it" question a fixed two-join query.
MAX_HIERARCHY_DEPTH = 3


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


# The zones most of a North American and European channel pick, offered first; the rest
# follow by region, so nobody scrolls through 600 names (and typing finds any of them).
MOST_USED_TIME_ZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Mexico_City", "America/Toronto", "Europe/London",
    "Europe/Madrid", "Europe/Paris", "Europe/Berlin", "UTC",
)  # fmt: skip
TIME_ZONE_REGIONS = {
    "Africa": _("Africa"), "America": _("America"), "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"), "Asia": _("Asia"), "Atlantic": _("Atlantic"),
    "Australia": _("Australia"), "Europe": _("Europe"), "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific"),
}  # fmt: skip


def _time_zone_label(name: str) -> str:
    region, _slash, place = name.partition("/")
    if place and region in TIME_ZONE_REGIONS:
        return " / ".join([str(TIME_ZONE_REGIONS[region]), *place.replace("_", " ").split("/")])
    return name.replace("_", " ")


def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every zone once under its region (the rest under "Other"), after the most used ones;
    each labelled "Europe / Madrid", so a typed city or region finds it."""
    zones = zoneinfo.available_timezones()
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in TIME_ZONE_REGIONS}
    groups["Other"] = []
    for name in sorted(zones):
        region = name.partition("/")[0]
        groups[region if "/" in name and region in groups else "Other"].append(
            (name, _time_zone_label(name))
        )
    most_used = [(name, _time_zone_label(name)) for name in MOST_USED_TIME_ZONES if name in zones]
    labels = {**TIME_ZONE_REGIONS, "Other": _("Other")}
    return [(str(_("Most used")), most_used)] + [
        (str(labels[region]), choices) for region, choices in groups.items() if choices
    ]


class ReferenceQuerySet(AccessQuerySet[Any]):
    """The channel's set-up (tiers, regions, departments, job roles, groups): every signed-in
    person may read the names, portal admins change them."""

    def visible_to(self, user: User) -> Self:
        return self.all() if active(user) else self.none()

    def manageable_by(self, user: User) -> Self:
        return self.all() if active(user) and user.is_portal_admin else self.none()


class Tier(models.Model):
    """A partner program level (Registered, Silver, Gold, Platinum...); rank orders them."""

    name = models.CharField(_("name"), max_length=60, unique=True, validators=[validate_plain_text])
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=0, help_text=_("Higher ranks are higher tiers.")
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A sales region (North America East, EMEA...); its countries route new applications."""

    name = models.CharField(_("name"), max_length=80, unique=True, validators=[validate_plain_text])
    countries = models.CharField(
        _("countries"),
        max_length=1000,
        blank=True,
        help_text=_(
            "ISO country codes separated by commas (e.g. US, CA). Applications from these "
            "countries go to this region's channel managers."
        ),
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def country_codes(self) -> list[str]:
        return [c.strip().upper() for c in self.countries.split(",") if c.strip()]

    def clean(self) -> None:
        from django_countries import countries

        unknown = [code for code in self.country_codes if code not in dict(countries)]
        if unknown:
            raise ValidationError(
                {"countries": _("Unknown country codes: %(codes)s") % {"codes": ", ".join(unknown)}}
            )
        self.countries = ", ".join(self.country_codes)


class Department(models.Model):
    """A vendor department (Sales, Service, Parts, Marketing, Finance) that owns content."""

    name = models.CharField(_("name"), max_length=80, unique=True, validators=[validate_plain_text])

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class JobRole(models.Model):
    """What a partner's person does. Four built-in roles plus any the vendor defines."""

    BUILTIN_LABELS: ClassVar[dict[str, StrOrPromise]] = {
        "sales": _("Sales"),
        "service": _("Service"),
        "parts": _("Parts"),
        "management": _("Management"),
    }

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80, validators=[validate_plain_text])
    is_builtin = models.BooleanField(default=False, editable=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-is_builtin", "name"]
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")

    def __str__(self) -> str:
        # Built-in roles are shown in the reader's language; vendor-defined ones as typed.
        return str(self.BUILTIN_LABELS.get(self.code, self.name)) if self.is_builtin else self.name


class PartnerKind(models.TextChoices):
    DISTRIBUTOR = "distributor", _("Distributor")
    DEALER = "dealer", _("Dealer")
    RESELLER = "reseller", _("Reseller")
    FRANCHISE = "franchise", _("Franchise")
    INSTALLER = "installer", _("Installer")
    SERVICE_PARTNER = "service_partner", _("Service partner")
    LOCATION = "location", _("Location")


def managed_partner_roots_q(manager: User) -> Q:
    """Partners a channel manager is responsible for: assigned ones and those in assigned
    regions (an assigned partner brings everything under it)."""
    assigned = ChannelAssignment.objects.filter(manager=manager)
    partner_ids = assigned.filter(partner__isnull=False).values("partner_id")
    region_ids = assigned.filter(region__isnull=False).values("region_id")
    return (
        Q(region__in=region_ids)
        | Q(pk__in=partner_ids)
        | Q(parent__in=partner_ids)
        | Q(parent__parent__in=partner_ids)
    )


class PartnerQuerySet(AccessQuerySet["Partner"]):
    related = ("tier", "region", "parent__parent")

    def visible_to(self, user: User) -> Self:
        """The partners whose company data (people, progress, plans) this person may see."""
        if not active(user):
            return self.none()
        if user.is_vendor:
            if user.has_staff_role(*CHANNEL_WIDE_ROLES):
                return self.all()
            if user.has_staff_role(StaffRoleKind.CHANNEL_MANAGER):
                return self.filter(managed_partner_roots_q(user))
            return self.none()
        assert user.partner_id is not None
        if user.is_partner_manager:
            return self.with_descendants_of([user.partner_id])
        return self.filter(pk=user.partner_id)

    def manageable_by(self, user: User) -> Self:
        """The partners whose profile, locations and people this person may change."""
        if not active(user):
            return self.none()
        if user.is_portal_admin:
            return self.all()
        if user.has_staff_role(StaffRoleKind.CHANNEL_MANAGER):
            return self.filter(managed_partner_roots_q(user))
        if user.is_partner_admin:
            assert user.partner_id is not None
            return self.with_descendants_of([user.partner_id])
        return self.none()

    def with_descendants_of(self, roots: models.QuerySet[Partner] | Iterable[int]) -> Self:
        """These partners and every partner under them (children and grandchildren)."""
        return self.filter(Q(pk__in=roots) | Q(parent__in=roots) | Q(parent__parent__in=roots))

    def active(self) -> Self:
        return self.filter(is_active=True)


class Partner(models.Model):
    """An independent company in the channel, or one of its locations (a child partner)."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    kind = models.CharField(_("type"), max_length=20, choices=PartnerKind.choices)
    tier = models.ForeignKey(
        Tier,
        verbose_name=_("tier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partners",
        help_text=_("Locations take their parent's tier."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partners",
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True, validators=[validate_plain_text])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # How deep in the hierarchy: 0 for a top-level partner. Kept by actions, used to
    # refuse a fourth level without walking the tree.
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    external_id = models.CharField(
        _("partner number"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The vendor's own account number; imports match partners by it."),
    )
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email_domain = models.CharField(
        _("email domain"), max_length=120, blank=True, help_text=_("e.g. aldercreek.example")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["kind", "tier"]), models.Index(fields=["region"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="location") | Q(parent__isnull=False),
                name="location_has_parent",
                violation_error_message=_("A location belongs to a partner: choose its parent."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="location") | Q(tier__isnull=True),
                name="location_inherits_tier",
                violation_error_message=_(
                    "A location takes its parent's tier; leave the tier empty."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:partner_detail", args=[self.pk])

    @property
    def is_location(self) -> bool:
        return self.kind == PartnerKind.LOCATION

    @property
    def effective_tier(self) -> Tier | None:
        return self.parent.tier if self.is_location and self.parent else self.tier

    @property
    def effective_kind(self) -> str:
        return self.parent.kind if self.is_location and self.parent else self.kind

    @property
    def audit_partner_id(self) -> int:
        """Changes to a partner are that partner's (see kernel.audit)."""
        return self.pk

    def ancestor_ids(self) -> list[int]:
        ids = []
        node = self.parent
        while node is not None:
            ids.append(node.pk)
            node = node.parent
        return ids

    def clean(self) -> None:
        if self.parent_id is None:
            if self.kind == PartnerKind.LOCATION:
                raise ValidationError({"parent": _("A location belongs to a partner.")})
            return
        parent = self.parent
        assert parent is not None
        if self.pk and (parent.pk == self.pk or self.pk in parent.ancestor_ids()):
            raise ValidationError({"parent": _("A partner cannot sit under itself.")})
        if parent.kind == PartnerKind.LOCATION:
            raise ValidationError({"parent": _("A location cannot have partners under it.")})
        if parent.depth + 1 >= MAX_HIERARCHY_DEPTH:
            raise ValidationError(
                {
                    "parent": _(
                        "Hierarchies are at most three levels: distributor, dealer, location."
                    )
                }
            )
        if self.kind == PartnerKind.DISTRIBUTOR:
            raise ValidationError({"parent": _("A distributor is a top-level partner.")})


# A person's account status, as a filter: active (joined), invited (not yet), deactivated.
STATUS_Q = {
    "active": Q(is_active=True, activated_at__isnull=False),
    "invited": Q(is_active=True, activated_at__isnull=True),
    "deactivated": Q(is_active=False),
}


class PeopleQuerySet(AccessQuerySet["User"]):
    related = ("partner__tier", "partner__parent", "job_role")

    def visible_to(self, user: User) -> Self:
        """People whose profile and progress this person may see. Members see only themselves."""
        if not active(user):
            return self.none()
        if user.is_portal_admin:
            return self.all()
        if (
            user.is_vendor
            and user.has_staff_role(*CHANNEL_WIDE_ROLES, StaffRoleKind.CHANNEL_MANAGER)
        ) or user.is_partner_manager:
            return self.filter(partner__in=Partner.objects.visible_to(user))
        return self.filter(pk=user.pk)

    def manageable_by(self, user: User) -> Self:
        """People whose roles and status this person may change (never themselves)."""
        if not active(user):
            return self.none()
        if user.is_portal_admin:
            people = self.all()
        elif (
            user.is_vendor and user.has_staff_role(StaffRoleKind.CHANNEL_MANAGER)
        ) or user.is_partner_admin:
            people = self.filter(partner__in=Partner.objects.manageable_by(user))
        else:
            return self.none()
        return people.exclude(pk=user.pk)


class UserManager(BaseUserManager.from_queryset(PeopleQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("Users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class PartnerRole(models.TextChoices):
    ADMIN = "admin", _("Partner admin")
    MANAGER = "manager", _("Manager")
    MEMBER = "member", _("Member")


class StaffRoleKind(models.TextChoices):
    PORTAL_ADMIN = "portal_admin", _("Portal admin")
    CHANNEL_MANAGER = "channel_manager", _("Channel manager")
    CONTENT_OWNER = "content_owner", _("Content owner")
    TRAINER = "trainer", _("Trainer")
    MODERATOR = "moderator", _("Community moderator")
    ANALYST = "analyst", _("Analyst")


# Staff roles that see every partner's people and progress (read), channel-wide.
CHANNEL_WIDE_ROLES = (StaffRoleKind.PORTAL_ADMIN, StaffRoleKind.ANALYST, StaffRoleKind.TRAINER)
# Staff who build saved audiences to target content (orgs.access.can_build_audiences).
AUDIENCE_BUILDERS = (StaffRoleKind.PORTAL_ADMIN, StaffRoleKind.CONTENT_OWNER, StaffRoleKind.TRAINER)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: vendor staff (no partner) or a member of exactly one partner organisation.

    `is_staff` is Django's flag for the operator's admin site, not the vendor-staff notion;
    vendor staff are people without a partner, and what they may do comes from StaffRole.
    """

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(
        _("full name"), max_length=150, blank=True, validators=[validate_plain_text]
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    partner_role = models.CharField(
        _("partner role"), max_length=10, choices=PartnerRole.choices, blank=True
    )
    job_role = models.ForeignKey(
        JobRole,
        verbose_name=_("job role"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    title = models.CharField(
        _("job title"), max_length=120, blank=True, validators=[validate_plain_text]
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("operator"), default=False, help_text=_("May use the operator's admin site.")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Set when the person first sets a password (accepts their invitation).
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["partner", "is_active"])]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=Q(partner__isnull=True, partner_role="")
                | Q(partner__isnull=False) & ~Q(partner_role=""),
                name="partner_role_iff_partner",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_absolute_url(self) -> str:
        return reverse("orgs:person_detail", args=[self.pk])

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def status(self) -> str:
        if not self.is_active:
            return "deactivated"
        return "active" if self.activated_at else "invited"

    @property
    def status_label(self) -> StrOrPromise:
        return {
            "deactivated": _("Deactivated"),
            "active": _("Active"),
            "invited": _("Invited"),
        }[self.status]

    # --- roles -------------------------------------------------------------------------
    @property
    def is_vendor(self) -> bool:
        return self.partner_id is None

    @cached_property
    def roles_held(self) -> frozenset[str]:
        """Every role this person holds as vendor staff (nothing for partner people): their
        staff roles and the roles other apps derive from their own records
        (orgs.hooks.derived_roles), in one query, since every page's menu asks."""
        if not self.is_vendor or not self.is_active:
            return frozenset()
        held = self.staffrole_set.values_list("role", flat=True)
        for derive in derived_roles:
            held = held.union(derive(self), all=True)
        roles = set(held)
        if self.is_superuser:
            roles.add(StaffRoleKind.PORTAL_ADMIN)
        return frozenset(roles)

    @property
    def staff_roles(self) -> frozenset[str]:
        """The staff roles given to this person (Staff page), without derived ones."""
        return self.roles_held & frozenset(StaffRoleKind.values)

    def has_staff_role(self, *roles: str) -> bool:
        return bool(self.roles_held.intersection(roles))

    @property
    def is_portal_admin(self) -> bool:
        return StaffRoleKind.PORTAL_ADMIN in self.staff_roles

    @property
    def is_partner_admin(self) -> bool:
        return self.partner_id is not None and self.partner_role == PartnerRole.ADMIN

    @property
    def is_partner_manager(self) -> bool:
        """Partner admins and managers see their team; members see themselves."""
        return self.partner_id is not None and self.partner_role in (
            PartnerRole.ADMIN,
            PartnerRole.MANAGER,
        )


def partner_admins_of(person: User) -> list[User]:
    """The partner admins of a person's company: at a location, also its dealer's."""
    partner = person.partner
    if partner is None:
        return []
    ids = [partner.pk] + ([partner.parent_id] if partner.is_location and partner.parent_id else [])
    return list(
        User.objects.filter(partner_id__in=ids, partner_role=PartnerRole.ADMIN, is_active=True)
    )


class StaffRole(models.Model):
    """One vendor-staff role held by one person; a person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=20, choices=StaffRoleKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Content owners publish for a department."),
    )

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_role_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ChannelAssignment(models.Model):
    """A channel manager's responsibility: one partner (and all under it) or one region."""

    manager = models.ForeignKey(User, on_delete=models.CASCADE, related_name="channel_assignments")
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="manager_assignments"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="manager_assignments"
    )

    class Meta:
        verbose_name = _("channel assignment")
        verbose_name_plural = _("channel assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=True, region__isnull=False)
                | Q(partner__isnull=False, region__isnull=True),
                name="assignment_is_partner_or_region",
            ),
            models.UniqueConstraint(fields=["manager", "partner"], name="assign_partner_once"),
            models.UniqueConstraint(fields=["manager", "region"], name="assign_region_once"),
        ]

    def __str__(self) -> str:
        return f"{self.manager} → {self.partner or self.region}"


class PeopleGroup(models.Model):
    """A named group of people (e.g. "X200 launch pilots") that audiences can target."""

    name = models.CharField(
        _("name"), max_length=120, unique=True, validators=[validate_plain_text]
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    members = models.ManyToManyField(User, blank=True, related_name="people_groups")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name


def default_invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)


class Invitation(models.Model):
    """A single-use, expiring link that lets an invited person set a password and join.

    The link carries this row's id signed with SECRET_KEY (see orgs.invitations), so no
    secret is stored: the worker rebuilds the link to email it, and a used, revoked or
    expired row refuses it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            # "Invited but not joined" lists read only the open invitations.
            models.Index(
                fields=["created_at"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="open_invitations",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.email} ({self.created_at:%Y-%m-%d})"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ProgramTerms(models.Model):
    """One version of the partner program terms; the newest published one is current."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("terms"), help_text=_("Basic formatting is kept; scripts are removed.")
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-published_at"]
        get_latest_by = "published_at"
        verbose_name = _("program terms")
        verbose_name_plural = _("program terms")

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @classmethod
    def current(cls) -> ProgramTerms | None:
        return (
            cls.objects.filter(published_at__lte=timezone.now()).order_by("-published_at").first()
        )


class TermsAcceptance(models.Model):
    """Proof that a person (or an applicant, before they have an account) accepted a version."""

    terms = models.ForeignKey(ProgramTerms, on_delete=models.PROTECT, related_name="acceptances")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.SET_NULL)
    email = models.EmailField(_("email"))
    accepted_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")
        constraints = [
            models.UniqueConstraint(
                fields=["terms", "user"], condition=Q(user__isnull=False), name="accept_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} accepted {self.terms.version}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ApplicationQuerySet(AccessQuerySet["PartnerApplication"]):
    related = ("terms", "region")

    def visible_to(self, user: User) -> Self:
        """Portal admins review every application; a channel manager those from their
        regions and those no region claims yet. Reviewing is deciding: who sees, decides."""
        if not active(user) or not user.is_vendor:
            return self.none()
        if user.is_portal_admin:
            return self.all()
        if user.has_staff_role(StaffRoleKind.CHANNEL_MANAGER):
            regions = ChannelAssignment.objects.filter(manager=user, region__isnull=False)
            return self.filter(Q(region__isnull=True) | Q(region__in=regions.values("region_id")))
        return self.none()

    def manageable_by(self, user: User) -> Self:
        return self.visible_to(user)


class PartnerApplication(models.Model):
    """A prospective partner's request to join the program, reviewed by a channel manager."""

    company_name = models.CharField(
        _("company name"), max_length=200, validators=[validate_plain_text]
    )
    kind = models.CharField(
        _("type of business"),
        max_length=20,
        choices=[c for c in PartnerKind.choices if c[0] != PartnerKind.LOCATION],
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True, validators=[validate_plain_text])
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(
        _("your name"), max_length=150, validators=[validate_plain_text]
    )
    contact_email = models.EmailField(_("your work email"))
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    message = models.TextField(
        _("about your business"),
        blank=True,
        max_length=4000,
        help_text=_("What you sell and service, how many people, where."),
    )
    terms = models.ForeignKey(ProgramTerms, on_delete=models.PROTECT, related_name="applications")
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    # The language the applicant used, for the decision email and their first sign-in.
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    ip = models.GenericIPAddressField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note to the applicant"), blank=True, max_length=2000)
    partner = models.OneToOneField(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("partner application")
        verbose_name_plural = _("partner applications")
        constraints = [
            models.UniqueConstraint(
                Lower("contact_email"),
                condition=Q(status="pending"),
                name="one_pending_application_per_email",
            )
        ]

    def __str__(self) -> str:
        return self.company_name

    def get_absolute_url(self) -> str:
        return reverse("orgs:application_detail", args=[self.pk])


class ImportKind(models.TextChoices):
    PARTNERS = "partners", _("Partners")
    PEOPLE = "people", _("People")


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Checked, waiting for confirmation")
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportQuerySet(AccessQuerySet["ImportBatch"]):
    """Imports are the portal admins' (they hold other people's personal data)."""

    def visible_to(self, user: User) -> Self:
        return self.all() if active(user) and user.is_portal_admin else self.none()

    def manageable_by(self, user: User) -> Self:
        return self.visible_to(user)


class ImportBatch(models.Model):
    """One uploaded CSV: checked on upload (a dry run), applied all-or-nothing on confirm."""

    kind = models.CharField(_("what"), max_length=10, choices=ImportKind.choices)
    filename = models.CharField(max_length=255)
    # The decoded file, kept so the confirmed import applies exactly what was previewed.
    content = models.TextField()
    delimiter = models.CharField(max_length=1, default=",")
    send_invitations = models.BooleanField(default=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    row_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    def get_absolute_url(self) -> str:
        return reverse("orgs:import_detail", args=[self.pk])

    @property
    def in_progress(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)


class PartnerHeadcount(models.Model):
    """How many people a partner has by account status: a rollup for dashboards, so a
    channel-wide figure sums a row per partner instead of counting every person.

    Kept current by the actions that change people (orgs.headcounts.refresh) and rebuilt
    by a periodic job as a safety net."""

    partner = models.OneToOneField(
        Partner, primary_key=True, on_delete=models.CASCADE, related_name="headcount"
    )
    active = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    deactivated = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("partner headcount")
        verbose_name_plural = _("partner headcounts")

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.active} active, {self.invited} invited"


# --- Audience targeting ---------------------------------------------------------------------
def _codes(value: str) -> list[str]:
    return [c for c in value.strip(",").split(",") if c]


class AudienceQuerySet(AccessQuerySet["Audience"]):
    """Saved audiences are built and read by the staff who target content."""

    def visible_to(self, user: User) -> Self:
        return (
            self.all() if active(user) and user.has_staff_role(*AUDIENCE_BUILDERS) else self.none()
        )

    def manageable_by(self, user: User) -> Self:
        return self.visible_to(user)


class Audience(models.Model):
    """Who an item is for. Within a dimension any value matches; across dimensions all must.

    An audience with no criteria reaches every partner person. Partner types and countries
    are stored as ",a,b," strings so one LIKE answers "contains" on SQLite and PostgreSQL.
    """

    name = models.CharField(
        _("name"),
        max_length=120,
        blank=True,
        help_text=_("Name it to reuse it; unnamed audiences belong to one item."),
    )
    partner_kinds = models.CharField(_("partner types"), max_length=200, blank=True, default="")
    countries = models.CharField(_("countries"), max_length=1000, blank=True, default="")
    tiers = models.ManyToManyField(Tier, blank=True, verbose_name=_("tiers"))
    regions = models.ManyToManyField(Region, blank=True, verbose_name=_("regions"))
    partners = models.ManyToManyField(
        Partner,
        blank=True,
        verbose_name=_("partners"),
        help_text=_("Includes their locations and, for distributors, their dealers."),
    )
    job_roles = models.ManyToManyField(JobRole, blank=True, verbose_name=_("job roles"))
    groups = models.ManyToManyField(PeopleGroup, blank=True, verbose_name=_("groups"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AudienceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name or str(_("Audience #%(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("orgs:audience_detail", args=[self.pk])

    @property
    def kind_codes(self) -> list[str]:
        return _codes(self.partner_kinds)

    @kind_codes.setter
    def kind_codes(self, values: list[str]) -> None:
        valid = set(PartnerKind.values)
        self.partner_kinds = "," + ",".join(v for v in values if v in valid) + "," if values else ""

    @property
    def country_codes(self) -> list[str]:
        return _codes(self.countries)

    @country_codes.setter
    def country_codes(self, values: list[str]) -> None:
        self.countries = "," + ",".join(v.upper() for v in values) + "," if values else ""
