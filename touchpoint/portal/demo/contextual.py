"""The Ridgeline contextual-help story (../shared/DEMO.md): context mappings for the dealers'
point-of-sale, dealer-management, CRM and service systems (including `pos /
extended-warranty / model-x200` from the seeds), usage figures with a few gaps, five
launcher links, and the demo integration behind the /demo/pos/ page. Safe to run again.

The demo page (/demo/pos/) is served only when `DEMO_PAGES` is on (it defaults to `DEBUG`)
and the demo integration exists. Its token is not stored anywhere: it is derived from
`SECRET_KEY` (an HMAC), so the page can print it and the database holds only its hash, and
no token written in this file works on any other installation. Widget tokens are visible
in any page that embeds them by design; they only ever list items meant for everyone.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db.models import Q

from touchpoint.contextual.models import (
    ContextItem,
    ContextMapping,
    ContextUsage,
    Integration,
    LauncherIcon,
    LauncherLink,
)
from touchpoint.courses.models import Course, Lesson
from touchpoint.kernel.tokens import hash_token
from touchpoint.library.models import Asset, AssetState
from touchpoint.orgs.models import Audience, JobRole
from touchpoint.portal.demo.orgs import Demo

DEMO_INTEGRATION_NAME = "Ridgeline demo point of sale"


def demo_enabled() -> bool:
    return settings.DEMO_PAGES


def demo_token() -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"touchpoint demo point-of-sale widget", hashlib.sha256
    ).hexdigest()
    return f"{Integration.PREFIX}demo_{digest[:32]}"


def demo_integration() -> Integration | None:
    return Integration.objects.active().filter(key_hash=hash_token(demo_token())).first()


def _origins() -> str:
    """The demo page is served by the portal itself (same origin); these also let a copy of
    it served from a second local port (python -m http.server 8001) try the CORS path."""
    site = settings.SITE_URL.rstrip("/")
    origins = [site, "http://127.0.0.1:8000", "http://localhost:8000"]
    origins += ["http://127.0.0.1:8001", "http://localhost:8001"]
    return "\n".join(dict.fromkeys(origins))


# (app, screen, product, topic), note, [items]: ("course", title) | ("lesson", course, lesson)
# | ("asset", words in the library item's title; skipped when the library has none).
EXTENDED_WARRANTY = "Extended warranty: offering it at the point of sale"
X200_SALES = "X200 zero-turn mower: selling the benefits"
OBJECTIONS = "Handling objections on price"
X200_SERVICE = "X200 service fundamentals"
MAPPINGS: list[tuple[tuple[str, str, str, str], str, list[tuple[str, ...]]]] = [
    (("pos", "extended-warranty", "model-x200", ""), "The seeds' example: a rep offering the X200 plan at checkout.", [
        ("asset", "X200 extended warranty"),
        ("lesson", EXTENDED_WARRANTY, "Offering it at checkout"),
        ("lesson", EXTENDED_WARRANTY, "What the plan covers"),
        ("course", EXTENDED_WARRANTY),
    ]),
    (("pos", "extended-warranty", "", ""), "Any model's warranty offer.", [
        ("course", EXTENDED_WARRANTY),
        ("asset", "extended warranty"),
    ]),
    (("pos", "", "model-x200", ""), "Selling the X200 anywhere in the POS.", [
        ("lesson", X200_SALES, "The five-minute demo"),
        ("asset", "X200 spec sheet"),
        ("asset", "X200 showroom demo card"),
        ("course", X200_SALES),
    ]),
    (("pos", "checkout", "", ""), "", [
        ("asset", "Handling objections on price"),
        ("asset", "Customer financing application"),
        ("course", OBJECTIONS),
    ]),
    (("pos", "", "", ""), "The POS in general.", [("course", OBJECTIONS), ("course", X200_SALES)]),
    (("dms", "service-order", "model-x200", ""), "", [
        ("lesson", X200_SERVICE, "The 50-hour service"),
        ("asset", "X200 50-hour service schedule"),
        ("asset", "Service bulletin SB-2026-03"),
        ("asset", "X200 service manual"),
    ]),
    (("dms", "service-order", "", ""), "", [("course", X200_SERVICE)]),
    (("dms", "pre-delivery", "", ""), "", [
        ("asset", "Pre-delivery inspection checklist"),
        ("course", X200_SERVICE),
    ]),
    (("dms", "warranty-claim", "", ""), "", [
        ("asset", "Warranty parts claim checklist"),
        ("course", "Warranty claims for parts"),
        ("asset", "Warranty claims portal"),
    ]),
    (("dms", "parts-order", "", ""), "", [
        ("lesson", "Parts ordering in the dealer portal", "Finding the part number"),
        ("asset", "Finding the right part"),
        ("asset", "Parts catalogue"),
    ]),
    (("service-app", "troubleshooting", "generator", ""), "", [
        ("asset", "Generator will not start"),
        ("course", "Generator troubleshooting"),
    ]),
    (("service-app", "", "", "engine-wont-start"), "", [
        ("lesson", "Generator troubleshooting", "Engine will not start"),
        ("asset", "Generator will not start"),
    ]),
    (("service-app", "", "model-x200", "deck-vibration"), "", [
        ("asset", "X200 deck vibration"),
        ("lesson", X200_SERVICE, "The 50-hour service"),
    ]),
    (("crm", "quote", "model-x200", ""), "", [
        ("asset", "Competitive comparison: X200"),
        ("course", X200_SALES),
        ("lesson", OBJECTIONS, "“I'll think about it”"),
    ]),
]  # fmt: skip

# Asked contexts and how often (asked, shown nothing, opened): a few gaps to fill.
USAGE = [
    (("pos", "extended-warranty", "model-x200", ""), 48, 0, 31),
    (("pos", "checkout", "", ""), 22, 0, 9),
    (("dms", "service-order", "model-x200", ""), 17, 0, 12),
    (("pos", "trade-in", "", ""), 14, 14, 0),
    (("dms", "recall-notice", "model-x200", ""), 9, 9, 0),
    (("crm", "lead", "", "financing"), 6, 6, 0),
]

LAUNCHER = [
    ("Ridgeline ordering", "https://orders.ridgeline.example/", LauncherIcon.CART,
     "Order whole goods and track deliveries", "Sign in with your Ridgeline account", None),
    ("Warranty claims", "https://warranty.ridgeline.example/claims", LauncherIcon.SHIELD,
     "File and follow warranty claims", "Sign in with your Ridgeline account", None),
    ("Parts catalogue", "https://parts.ridgeline.example/", LauncherIcon.GEAR,
     "Exploded views and part numbers", "", None),
    ("Dealer CRM", "https://crm.ridgeline.example/", LauncherIcon.PEOPLE,
     "Leads, quotes and follow-ups", "Sign in with your dealer account", None),
    ("Dealer finance", "https://finance.example.com/ridgeline", LauncherIcon.MONEY,
     "Floor plan and retail financing", "Sign in with your finance partner account", "management"),
]  # fmt: skip


def _item(spec: tuple[str, ...]) -> ContextItem | None:
    kind = spec[0]
    if kind == "asset":
        asset = (
            Asset.objects.filter(state=AssetState.PUBLISHED, title__icontains=spec[1])
            .order_by("title")
            .first()
        )
        return ContextItem(asset=asset) if asset else None
    course = Course.objects.filter(title=spec[1]).first()
    if course is None:
        return None
    if kind == "course":
        return ContextItem(course=course)
    lesson = (
        Lesson.objects.filter(version__course=course, title=spec[2])
        .order_by("-version__number")
        .first()
    )
    return ContextItem(course=course, lesson_key=lesson.key) if lesson else None


def _same_target(a: ContextItem, b: ContextItem) -> bool:
    return (a.asset_id, a.course_id, a.lesson_key) == (b.asset_id, b.course_id, b.lesson_key)


def _mappings(author: Any) -> None:
    for values, note, specs in MAPPINGS:
        keys = dict(zip(("app", "screen", "product", "topic"), values, strict=True))
        mapping = ContextMapping.objects.filter(**keys).first()
        if mapping is None:
            mapping = ContextMapping(**keys, note=note, created_by=author)
            mapping.save()
        existing = list(mapping.items.all())
        position = max((i.position for i in existing), default=0)
        for spec in specs:
            item = _item(spec)
            if item is None or any(_same_target(item, other) for other in existing):
                continue  # not in this demo (e.g. no library yet), or there already
            position += 1
            item.mapping, item.position = mapping, position
            item.save()
            existing.append(item)


def _usage() -> None:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for values, asked, empty, opened in USAGE:
        keys = dict(zip(("app", "screen", "product", "topic"), values, strict=True))
        ContextUsage.objects.get_or_create(
            **keys,
            defaults={
                "asked": asked,
                "empty": empty,
                "opened": opened,
                "first_asked_at": now - timedelta(days=40),
                "last_asked_at": now - timedelta(hours=asked % 7 + 1),
            },
        )
    top = ContextMapping.objects.filter(
        app="pos", screen="extended-warranty", product="model-x200", topic=""
    ).first()
    if top is not None:
        for item, opens in zip(top.items.order_by("position"), (19, 8, 4), strict=False):
            if not item.open_count:
                ContextItem.objects.filter(pk=item.pk).update(open_count=opens, last_opened_at=now)


def _launcher(admin: Any) -> None:
    managers, created = Audience.objects.get_or_create(name="Partner managers and owners")
    if created:
        managers.job_roles.add(*JobRole.objects.filter(code="management"))
    for position, (name, url, icon, description, hint, audience) in enumerate(LAUNCHER, 1):
        LauncherLink.objects.get_or_create(
            name=name,
            defaults={
                "url": url,
                "icon": icon,
                "description": description,
                "sso_hint": hint,
                "audience": managers if audience else None,
                "position": position * 10,
                "created_by": admin,
            },
        )


def _integration(admin: Any) -> None:
    token = demo_token()
    if Integration.objects.filter(
        Q(key_hash=hash_token(token)) | Q(name=DEMO_INTEGRATION_NAME)
    ).exists():
        return
    integration = Integration(
        name=DEMO_INTEGRATION_NAME, allowed_origins=_origins(), created_by=admin
    )
    integration.set_token(token)
    integration.full_clean()
    integration.save()


def seed(demo: Demo) -> None:
    admin = demo.staff["admin"]
    author = demo.staff.get("mia", admin)
    _mappings(author)
    _usage()
    _launcher(admin)
    _integration(admin)
