"""The Ridgeline contextual-help story (../shared/DEMO.md): context mappings for the dealers'
point-of-sale, dealer-management, CRM and service systems (including `pos /
extended-warranty / model-x200` from the seeds), usage figures with a few gaps, five
launcher links, and the demo integration behind the /demo/pos/ page. Made through the
contextual actions, as the people would: Mia and Sam map the screens, Pat registers the
integration and the launcher links, dealers' people ask and open (the usage figures are
what they did; only when they asked is moved into the story's past). Safe to run again.

The demo page (/demo/pos/) is served only when `DEMO_PAGES` is on (it defaults to `DEBUG`)
and the demo integration exists. Its token is not stored anywhere: it is derived from
`SECRET_KEY` (an HMAC), so the page can print it and the database holds only its hash, and
no token written in this file works on any other installation. Widget tokens are visible
in any page that embeds them by design; they only ever list items meant for everyone.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from touchpoint.contextual import actions
from touchpoint.contextual.models import (
    DIMENSIONS,
    ContextItem,
    ContextMapping,
    ContextUsage,
    Integration,
    LauncherIcon,
    LauncherLink,
)
from touchpoint.contextual.resolve import Context, Resolution, Viewer, resolve
from touchpoint.courses.models import Course, Lesson
from touchpoint.kernel.tokens import hash_token
from touchpoint.library.models import Asset, AssetState
from touchpoint.orgs import actions as orgs_actions
from touchpoint.orgs.audience import Criteria
from touchpoint.orgs.models import Audience, JobRole, User
from touchpoint.portal.demo.library import SIGNED_IN_PERSONAS
from touchpoint.portal.demo.orgs import Demo
from touchpoint.portal.demo.story import backdate

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


def _origins() -> list[str]:
    """The demo page is served by the portal itself, at SITE_URL (so at whatever port
    `make run` serves); a copy of it served from a second local port
    (python -m http.server 8001) tries the CORS path."""
    site = urlsplit(settings.SITE_URL)
    origins = [f"{site.scheme}://{site.netloc}"]
    if site.hostname in ("127.0.0.1", "localhost"):
        other = "localhost" if site.hostname == "127.0.0.1" else "127.0.0.1"
        origins.append(f"{site.scheme}://{other}" + (f":{site.port}" if site.port else ""))
    origins += ["http://127.0.0.1:8001", "http://localhost:8001"]
    return list(dict.fromkeys(origins))


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

# Asked contexts: how often, by whom (the dealers' sales or service people), and how often
# each item of the answer was then opened (best first). A few contexts are answered by no
# mapping at all (the point of sale's are all covered by "the POS in general"): the gaps on
# the usage page.
USAGE: list[tuple[tuple[str, str, str, str], str, int, tuple[int, ...]]] = [
    (("pos", "extended-warranty", "model-x200", ""), "sales", 48, (19, 8, 4)),
    (("pos", "checkout", "", ""), "sales", 22, (5, 3, 1)),
    (("dms", "service-order", "model-x200", ""), "service", 17, (7, 4, 1)),
    (("dms", "trade-in", "", ""), "sales", 14, ()),
    (("dms", "recall-notice", "model-x200", ""), "service", 9, ()),
    (("crm", "lead", "", "financing"), "sales", 6, ()),
]

MANAGERS = "Partner managers and owners"
# name, address, icon, description, sign-in hint, for managers only, pinned on home
LAUNCHER = [
    ("Ridgeline ordering", "https://orders.ridgeline.example/", LauncherIcon.CART,
     "Order whole goods and track deliveries", "Sign in with your Ridgeline account", None, True),
    ("Warranty claims", "https://warranty.ridgeline.example/claims", LauncherIcon.SHIELD,
     "File and follow warranty claims", "Sign in with your Ridgeline account", None, True),
    ("Parts catalogue", "https://parts.ridgeline.example/", LauncherIcon.GEAR,
     "Exploded views and part numbers", "", None, False),
    ("Dealer CRM", "https://crm.ridgeline.example/", LauncherIcon.PEOPLE,
     "Leads, quotes and follow-ups", "Sign in with your dealer account", None, False),
    ("Dealer finance", "https://finance.example.com/ridgeline", LauncherIcon.MONEY,
     "Floor plan and retail financing", "Sign in with your finance partner account", "management",
     True),
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


# What people read in the widget instead of the slugs (the rest show the slugs as words).
MAPPING_TITLES = {
    ("pos", "extended-warranty", "model-x200", ""): "Selling the X200 extended warranty",
    ("pos", "extended-warranty", "", ""): "Selling an extended warranty",
    ("pos", "", "model-x200", ""): "The X200 at the point of sale",
    ("dms", "service-order", "model-x200", ""): "Servicing an X200",
    ("dms", "warranty-claim", "", ""): "Filing a warranty claim",
}


def _mappings(demo: Demo) -> None:
    """The content owners map the screens of the dealers' systems to what helps there: Sam
    the service systems, Mia the point of sale and the CRM."""
    admin = demo.staff["admin"]
    for values, note, specs in MAPPINGS:
        author = demo.staff.get("sam" if values[0] in ("dms", "service-app") else "mia", admin)
        keys = dict(zip(DIMENSIONS, values, strict=True))
        mapping = ContextMapping.objects.filter(**keys).first() or actions.save_mapping(
            author, ContextMapping(**keys, note=note, title=MAPPING_TITLES.get(values, ""))
        )
        existing = list(mapping.items.all())
        for spec in specs:
            item = _item(spec)
            if item is None or any(_same_target(item, other) for other in existing):
                continue  # not in this demo (e.g. no library yet), or there already
            existing.append(actions.add_item(author, mapping, item))


def _askers(demo: Demo, job_role: str) -> list[User]:
    """Who asks for help on a screen: the dealers' sales or service people, without the
    people the README's sign-ins name (their own history stays as the story tells it)."""
    pks = [person.pk for key, person in demo.people.items() if key not in SIGNED_IN_PERSONAS]
    return list(
        User.objects.filter(pk__in=pks, job_role__code=job_role)
        .select_related("partner__tier", "partner__region", "partner__parent", "job_role")
        .order_by("pk")
    )


def _usage(demo: Demo, integration: Integration | None) -> None:
    """People ask for help on their screens (the point of sale through the widget, the other
    systems through the deep link) and open what they are offered, through the actions the
    widget and /go/ use; then the asks are spread over the story's past six weeks."""
    now = timezone.now()
    askers = {role: _askers(demo, role) for role in ("sales", "service")}
    viewers = {person.pk: Viewer.person(person) for people in askers.values() for person in people}
    for values, role, asked, opens in USAGE:
        keys = dict(zip(DIMENSIONS, values, strict=True))
        if ContextUsage.objects.filter(**keys).exists():
            continue
        context = Context(**keys)
        people = askers[role]
        widget = integration if context.app == "pos" else None
        if people:
            _ask(context, people, viewers, asked, opens, widget)
            backdate(
                ContextUsage.objects.filter(**keys),
                first_asked_at=now - timedelta(days=40),
                last_asked_at=now - timedelta(hours=asked % 7 + 1),
            )


def _ask(
    context: Context,
    people: list[User],
    viewers: dict[int, Viewer],
    asked: int,
    opens: tuple[int, ...],
    widget: Integration | None,
) -> None:
    """`asked` asks of one context (by the widget, or by the people in turn through /go/),
    then the opens of the answer's items, each by a person who sees the item."""
    answers: dict[Viewer, Resolution] = {}

    def answer(person: User) -> Resolution:
        viewer = viewers[person.pk]  # people reached by the same audiences see the same
        if viewer not in answers:
            answers[viewer] = resolve(context, viewer)
        return answers[viewer]

    if widget is not None:
        resolution = resolve(context, Viewer.integration(widget))
        for _ in range(asked):
            actions.record_widget_ask(widget, resolution)
    else:
        for n in range(asked):
            person = people[n % len(people)]
            actions.record_ask(person, answer(person), "go")
    turn = 0
    for position, times in enumerate(opens):
        for _ in range(times):
            person = people[turn % len(people)]
            turn += 1
            items = answer(person).items
            if position < len(items):
                actions.record_open(person, items[position], context, "widget" if widget else "go")


def _launcher(demo: Demo) -> None:
    """Pat adds the dealers' other systems to the app launcher; the finance partner's only
    for the people who run a dealership."""
    pat = demo.staff["admin"]
    managers = Audience.objects.filter(name=MANAGERS).first()
    if managers is None:
        criteria = Criteria(job_roles=[JobRole.objects.get(code="management").pk])
        managers = orgs_actions.save_audience(pat, None, name=MANAGERS, criteria=criteria)
    for position, (name, url, icon, description, hint, audience, on_home) in enumerate(LAUNCHER, 1):
        if LauncherLink.objects.filter(name=name).exists():
            continue
        link = LauncherLink(
            name=name, url=url, icon=icon, description=description, sso_hint=hint,
            audience=managers if audience else None, position=position * 10, on_home=on_home,
        )  # fmt: skip
        actions.save_launcher_link(pat, link)


def _integration(admin: User) -> Integration | None:
    """Pat registers the demo point of sale, with the token the demo page prints."""
    token = demo_token()
    found = Integration.objects.filter(
        Q(key_hash=hash_token(token)) | Q(name=DEMO_INTEGRATION_NAME)
    ).first()
    if found is not None:
        if found.key_hash != hash_token(token) or not found.is_active:
            return None  # Pat rotated or revoked it: the demo leaves it be.
        missing = [origin for origin in _origins() if not found.allows(origin)]
        if missing:
            # Served at another port than when it was first loaded: let that page ask too.
            found.allowed_origins = "\n".join([*found.origins, *missing])
            actions.update_integration(admin, found)
        return found
    integration = Integration(name=DEMO_INTEGRATION_NAME, allowed_origins="\n".join(_origins()))
    return actions.create_integration(admin, integration, token=token)[0]


def seed(demo: Demo) -> None:
    _mappings(demo)
    integration = _integration(demo.staff["admin"])
    _launcher(demo)
    _usage(demo, integration)
