"""The Ridgeline demo channel (../shared/DEMO.md): staff, distributors, dealers, locations,
people, terms, applications, groups. Safe to run again: every row is found by a natural
key before it is created."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from touchpoint.kernel.activity import record_event
from touchpoint.kernel.models import ActivityEvent, Notification
from touchpoint.orgs.models import (
    ApplicationStatus,
    Audience,
    ChannelAssignment,
    Department,
    Invitation,
    JobRole,
    Partner,
    PartnerApplication,
    PartnerKind,
    PartnerRole,
    PeopleGroup,
    ProgramTerms,
    Region,
    StaffRole,
    StaffRoleKind,
    TermsAcceptance,
    Tier,
    User,
)

DEMO_PASSWORD = "ridgeline-demo"  # printed in the README; every demo account shares it

STAFF = [
    # email, name, roles, department
    ("admin@ridgeline.example", "Pat Quinn", [StaffRoleKind.PORTAL_ADMIN], None),
    ("dana@ridgeline.example", "Dana Ortiz", [StaffRoleKind.CHANNEL_MANAGER], None),
    ("evan@ridgeline.example", "Evan Brooks", [StaffRoleKind.CHANNEL_MANAGER], None),
    ("sam@ridgeline.example", "Sam Reyes", [StaffRoleKind.CONTENT_OWNER], "Service"),
    (
        "mia@ridgeline.example",
        "Mia Chen",
        [StaffRoleKind.CONTENT_OWNER, StaffRoleKind.TRAINER],
        "Sales",
    ),
    ("lee@ridgeline.example", "Lee Park", [StaffRoleKind.MODERATOR], None),
    ("ana@ridgeline.example", "Ana Silva", [StaffRoleKind.ANALYST], None),
]

REGIONS = {
    "North America East": "US, CA",
    "North America West": "",
    "EMEA": "GB, IE, DE, AT, CH, FR, NL, BE, ES, PT, IT, NO, SE, DK, FI, PL",
    "Latin America": "MX, BR, AR, CL, CO",
}

# number, name, kind, tier, region, country, city, parent number, domain
PARTNERS = [
    (
        "D-100",
        "Summit Distribution",
        "distributor",
        "Platinum",
        "North America East",
        "US",
        "Albany",
        None,
        "summitdist.example",
    ),
    (
        "D-200",
        "Meridian Supply",
        "distributor",
        "Platinum",
        "EMEA",
        "NL",
        "Utrecht",
        None,
        "meridiansupply.example",
    ),
    (
        "P-1001",
        "Alder Creek Outdoor",
        "dealer",
        "Gold",
        "North America East",
        "US",
        "Burlington",
        "D-100",
        "aldercreek.example",
    ),
    (
        "P-1001-M",
        "Alder Creek Outdoor – Montpelier",
        "location",
        None,
        "North America East",
        "US",
        "Montpelier",
        "P-1001",
        "aldercreek.example",
    ),
    (
        "P-1001-R",
        "Alder Creek Outdoor – Rutland",
        "location",
        None,
        "North America East",
        "US",
        "Rutland",
        "P-1001",
        "aldercreek.example",
    ),
    (
        "P-1002",
        "Birchwood Power & Garden",
        "dealer",
        "Silver",
        "North America East",
        "US",
        "Concord",
        "D-100",
        "birchwood.example",
    ),
    (
        "P-1003",
        "Cedar Ridge Equipment",
        "dealer",
        "Platinum",
        "North America West",
        "US",
        "Denver",
        "D-100",
        "cedarridge.example",
    ),
    (
        "P-1003-B",
        "Cedar Ridge Equipment – Boulder",
        "location",
        None,
        "North America West",
        "US",
        "Boulder",
        "P-1003",
        "cedarridge.example",
    ),
    (
        "P-1004",
        "Dogwood Lawn & Tractor",
        "dealer",
        "Registered",
        "North America East",
        "CA",
        "Toronto",
        "D-100",
        "dogwood.example",
    ),
    (
        "P-1005",
        "Elm Street Mowers",
        "dealer",
        "Silver",
        "North America West",
        "US",
        "Portland",
        None,
        "elmstreet.example",
    ),
    (
        "P-1006",
        "Ironwood Outdoor Power",
        "dealer",
        "Gold",
        "North America East",
        "US",
        "Hartford",
        None,
        "ironwood.example",
    ),
    (
        "P-2001",
        "Fjord Maskin AS",
        "dealer",
        "Gold",
        "EMEA",
        "NO",
        "Bergen",
        "D-200",
        "fjordmaskin.example",
    ),
    (
        "P-2002",
        "Grünwald Gartentechnik GmbH",
        "dealer",
        "Platinum",
        "EMEA",
        "DE",
        "Munich",
        "D-200",
        "gruenwald.example",
    ),
    (
        "P-2002-A",
        "Grünwald Gartentechnik – Augsburg",
        "location",
        None,
        "EMEA",
        "DE",
        "Augsburg",
        "P-2002",
        "gruenwald.example",
    ),
    (
        "P-2003",
        "Hacienda Verde Maquinaria",
        "dealer",
        "Silver",
        "EMEA",
        "ES",
        "Valencia",
        "D-200",
        "haciendaverde.example",
    ),
    (
        "P-2004",
        "Juniper Garden Centre",
        "reseller",
        "Registered",
        "EMEA",
        "GB",
        "Leeds",
        "D-200",
        "junipergarden.example",
    ),
    (
        "P-2005",
        "Kestrel Service Partners",
        "service_partner",
        "Silver",
        "EMEA",
        "IE",
        "Cork",
        "D-200",
        "kestrelservice.example",
    ),
]

# partner number, local part, name, access, job role, title, language, time zone
PEOPLE = [
    (
        "D-100",
        "grace",
        "Grace Holloway",
        "admin",
        "management",
        "Channel Operations Lead",
        "en",
        "America/New_York",
    ),
    (
        "D-100",
        "victor",
        "Victor Ames",
        "member",
        "sales",
        "Territory Rep",
        "en",
        "America/New_York",
    ),
    (
        "D-200",
        "sanne",
        "Sanne de Vries",
        "admin",
        "management",
        "Partner Manager",
        "en",
        "Europe/Amsterdam",
    ),
    (
        "D-200",
        "pieter",
        "Pieter Jansen",
        "member",
        "parts",
        "Parts Logistics",
        "en",
        "Europe/Amsterdam",
    ),
    ("P-1001", "alice", "Alice Morgan", "admin", "management", "Owner", "en", "America/New_York"),
    (
        "P-1001",
        "bob",
        "Bob Tran",
        "member",
        "sales",
        "Sales Representative",
        "en",
        "America/New_York",
    ),
    (
        "P-1001",
        "chris",
        "Chris Walsh",
        "member",
        "service",
        "Service Technician",
        "en",
        "America/New_York",
    ),
    (
        "P-1001",
        "priya",
        "Priya Natarajan",
        "member",
        "parts",
        "Parts Clerk",
        "en",
        "America/New_York",
    ),
    (
        "P-1001",
        "owen",
        "Owen Price",
        "manager",
        "management",
        "Sales Manager",
        "en",
        "America/New_York",
    ),
    (
        "P-1001-M",
        "jamal",
        "Jamal Reed",
        "member",
        "sales",
        "Sales Representative",
        "en",
        "America/New_York",
    ),
    (
        "P-1001-R",
        "hannah",
        "Hannah Kim",
        "member",
        "service",
        "Lead Technician",
        "en",
        "America/New_York",
    ),
    (
        "P-1001-R",
        "luis",
        "Luis Romero",
        "member",
        "warranty-admin",
        "Warranty Administrator",
        "es",
        "America/New_York",
    ),
    (
        "P-1002",
        "carol",
        "Carol Diaz",
        "admin",
        "management",
        "General Manager",
        "en",
        "America/New_York",
    ),
    (
        "P-1002",
        "derek",
        "Derek Holt",
        "member",
        "sales",
        "Sales Representative",
        "en",
        "America/New_York",
    ),
    (
        "P-1002",
        "maria",
        "Maria Lopez",
        "member",
        "service",
        "Service Technician",
        "es",
        "America/New_York",
    ),
    ("P-1002", "tom", "Tom Becker", "member", "parts", "Parts Manager", "en", "America/New_York"),
    ("P-1003", "rachel", "Rachel Stone", "admin", "management", "Owner", "en", "America/Denver"),
    ("P-1003", "kevin", "Kevin Ng", "member", "sales", "Sales Lead", "en", "America/Denver"),
    (
        "P-1003",
        "aisha",
        "Aisha Bello",
        "member",
        "service",
        "Service Manager",
        "en",
        "America/Denver",
    ),
    (
        "P-1003-B",
        "marcus",
        "Marcus Webb",
        "member",
        "service",
        "Technician",
        "en",
        "America/Denver",
    ),
    (
        "P-1003-B",
        "lily",
        "Lily Chen",
        "member",
        "sales",
        "Sales Representative",
        "en",
        "America/Denver",
    ),
    (
        "P-1004",
        "francois",
        "François Tremblay",
        "admin",
        "management",
        "Owner",
        "en",
        "America/Toronto",
    ),
    ("P-1004", "emily", "Emily Roy", "member", "sales", "Sales", "en", "America/Toronto"),
    ("P-1004", "noah", "Noah Gagnon", "member", "service", "Technician", "en", "America/Toronto"),
    (
        "P-1005",
        "gina",
        "Gina Russo",
        "admin",
        "management",
        "Store Manager",
        "en",
        "America/Los_Angeles",
    ),
    ("P-1005", "sean", "Sean Murphy", "member", "sales", "Sales", "en", "America/Los_Angeles"),
    ("P-1005", "tara", "Tara Singh", "member", "parts", "Parts", "en", "America/Los_Angeles"),
    ("P-1005", "ben", "Ben Carter", "member", "service", "Technician", "en", "America/Los_Angeles"),
    ("P-1006", "ruth", "Ruth Alvarez", "admin", "management", "Owner", "en", "America/New_York"),
    ("P-1006", "ian", "Ian Brooks", "member", "sales", "Sales", "en", "America/New_York"),
    ("P-1006", "zoe", "Zoe Park", "member", "service", "Technician", "en", "America/New_York"),
    ("P-1006", "adam", "Adam Fox", "member", "parts", "Parts", "en", "America/New_York"),
    (
        "P-2001",
        "ingrid",
        "Ingrid Larsen",
        "admin",
        "management",
        "Daglig leder",
        "en",
        "Europe/Oslo",
    ),
    ("P-2001", "erik", "Erik Berg", "member", "sales", "Selger", "en", "Europe/Oslo"),
    ("P-2001", "sofie", "Sofie Dahl", "member", "service", "Servicetekniker", "en", "Europe/Oslo"),
    ("P-2001", "magnus", "Magnus Haugen", "member", "parts", "Deler", "en", "Europe/Oslo"),
    (
        "P-2002",
        "katrin",
        "Katrin Vogel",
        "admin",
        "management",
        "Geschäftsführerin",
        "en",
        "Europe/Berlin",
    ),
    ("P-2002", "jonas", "Jonas Weber", "member", "sales", "Verkauf", "en", "Europe/Berlin"),
    (
        "P-2002",
        "lena",
        "Lena Fischer",
        "member",
        "service",
        "Servicetechnikerin",
        "en",
        "Europe/Berlin",
    ),
    ("P-2002-A", "felix", "Felix Braun", "member", "service", "Techniker", "en", "Europe/Berlin"),
    ("P-2003", "javier", "Javier Ortega", "admin", "management", "Gerente", "es", "Europe/Madrid"),
    ("P-2003", "lucia", "Lucía Navarro", "member", "sales", "Comercial", "es", "Europe/Madrid"),
    ("P-2003", "pablo", "Pablo Ruiz", "member", "service", "Técnico", "es", "Europe/Madrid"),
    ("P-2003", "elena", "Elena Castro", "member", "parts", "Recambios", "es", "Europe/Madrid"),
    ("P-2004", "oliver", "Oliver Hughes", "admin", "management", "Manager", "en", "Europe/London"),
    (
        "P-2004",
        "amelia",
        "Amelia Wright",
        "member",
        "sales",
        "Sales Advisor",
        "en",
        "Europe/London",
    ),
    (
        "P-2005",
        "declan",
        "Declan O'Brien",
        "admin",
        "service",
        "Service Lead",
        "en",
        "Europe/Dublin",
    ),
    (
        "P-2005",
        "siobhan",
        "Siobhan Kelly",
        "member",
        "service",
        "Field Technician",
        "en",
        "Europe/Dublin",
    ),
]

# People invited a few days ago who have not joined yet (so "waiting" lists are not empty).
INVITED = [
    ("P-1001", "nina", "Nina Shah", "member", "sales", 5),
    ("P-2003", "carmen", "Carmen Gil", "member", "service", 1),
]

TERMS_V1 = """<h2>Ridgeline Partner Program terms</h2>
<p>These terms govern participation in the Ridgeline Partner Program.</p>
<ol><li>Partners represent Ridgeline products accurately and follow the brand guidelines.</li>
<li>Partners keep at least the certified headcount their tier requires.</li>
<li>Deal registrations and MDF claims must be truthful and documented.</li>
<li>Partner data is handled under the data processing agreement.</li></ol>"""

TERMS_V2 = TERMS_V1.replace(
    "</ol>",
    "<li>New in 2026: X200 extended-warranty sales require a certified salesperson.</li></ol>",
)


@dataclass
class Demo:
    """What the orgs seed made, for later apps' seeds to build on."""

    staff: dict[str, User] = field(default_factory=dict)
    partners: dict[str, Partner] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)
    tiers: dict[str, Tier] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)


@cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose; every demo account shares the (public) demo password, so
    # one hash serves them all and `make run` does not spend a minute on it.
    return make_password(DEMO_PASSWORD)


def _account(email: str, name: str, **fields: Any) -> User:
    person, created = User.objects.get_or_create(email=email, defaults={"name": name, **fields})
    if created:
        person.password = _demo_password_hash()
        person.activated_at = timezone.now() - timedelta(days=120)
        person.save()
    EmailAddress.objects.get_or_create(
        user=person, email=email, defaults={"verified": True, "primary": True}
    )
    return person


def seed(now: Any = None) -> Demo:
    now = now or timezone.now()
    demo = Demo()
    for rank, name in enumerate(["Registered", "Silver", "Gold", "Platinum"]):
        demo.tiers[name], _ = Tier.objects.get_or_create(name=name, defaults={"rank": rank})
    for name, countries in REGIONS.items():
        demo.regions[name], _ = Region.objects.get_or_create(
            name=name, defaults={"countries": countries}
        )
    departments = {
        name: Department.objects.get_or_create(name=name)[0]
        for name in ["Sales", "Service", "Parts", "Marketing", "Finance"]
    }
    JobRole.objects.get_or_create(
        code="warranty-admin", defaults={"name": "Warranty administrator"}
    )
    job_roles = {r.code: r for r in JobRole.objects.all()}

    for email, name, roles, department in STAFF:
        person = _account(email, name, language="en", time_zone="America/New_York")
        for role in roles:
            StaffRole.objects.get_or_create(
                user=person, role=role, defaults={"department": departments.get(department or "")}
            )
        demo.staff[email.split("@")[0]] = person
    admin = demo.staff["admin"]
    if not admin.is_superuser:
        admin.is_staff = admin.is_superuser = True  # the operator's back door, /operator/
        admin.save(update_fields=["is_staff", "is_superuser"])

    for number, name, kind, tier, region, country, city, parent, domain in PARTNERS:
        parent_obj = demo.partners.get(parent) if parent else None
        demo.partners[number], _ = Partner.objects.get_or_create(
            external_id=number,
            defaults={
                "name": name,
                "kind": kind,
                "tier": demo.tiers.get(tier) if tier else None,
                "region": demo.regions[region],
                "country": country,
                "city": city,
                "parent": parent_obj,
                "depth": parent_obj.depth + 1 if parent_obj else 0,
                "email_domain": domain,
                "website": f"https://www.{domain}",
                "created_at": now - timedelta(days=400),
            },
        )

    ChannelAssignment.objects.get_or_create(
        manager=demo.staff["dana"], region=demo.regions["North America East"]
    )
    ChannelAssignment.objects.get_or_create(
        manager=demo.staff["dana"], partner=demo.partners["D-100"]
    )
    ChannelAssignment.objects.get_or_create(manager=demo.staff["evan"], region=demo.regions["EMEA"])

    for number, local, name, access, job, title, language, tz in PEOPLE:
        partner = demo.partners[number]
        domain = partner.email_domain
        person = _account(
            f"{local}@{domain}",
            name,
            partner=partner,
            partner_role=access,
            job_role=job_roles[job],
            title=title,
            language=language,
            time_zone=tz,
        )
        demo.people[local] = person

    for number, local, name, access, job, days_ago in INVITED:
        partner = demo.partners[number]
        person, created = User.objects.get_or_create(
            email=f"{local}@{partner.email_domain}",
            defaults={
                "name": name,
                "partner": partner,
                "partner_role": access,
                "job_role": job_roles[job],
            },
        )
        if created:
            person.set_unusable_password()
            person.save()
            EmailAddress.objects.create(
                user=person, email=person.email, primary=True, verified=False
            )
            Invitation.objects.create(
                user=person,
                invited_by=demo.people["alice"] if number == "P-1001" else demo.people["javier"],
                created_at=now - timedelta(days=days_ago),
            )

    _seed_terms(demo, now)
    _seed_applications(demo, now)
    _seed_groups_and_audiences(demo)
    _seed_activity(demo, now)
    return demo


def _seed_terms(demo: Demo, now: Any) -> None:
    admin = demo.staff["admin"]
    v1, _ = ProgramTerms.objects.get_or_create(
        version="2025.1",
        defaults={"title": "Ridgeline Partner Program terms", "body": TERMS_V1,
                  "published_at": now - timedelta(days=330), "created_by": admin},
    )  # fmt: skip
    v2, _ = ProgramTerms.objects.get_or_create(
        version="2026.1",
        defaults={"title": "Ridgeline Partner Program terms", "body": TERMS_V2,
                  "published_at": now - timedelta(days=20), "created_by": admin},
    )  # fmt: skip
    admins = User.objects.filter(
        partner_role=PartnerRole.ADMIN, partner__isnull=False, activated_at__isnull=False
    )
    for person in admins:
        TermsAcceptance.objects.get_or_create(
            terms=v1, user=person,
            defaults={"email": person.email, "partner": person.partner, "accepted_at": now - timedelta(days=300)},
        )  # fmt: skip
    # Carol has accepted the new version; Alice has not yet, so her home shows it as due.
    carol = demo.people["carol"]
    TermsAcceptance.objects.get_or_create(
        terms=v2, user=carol,
        defaults={"email": carol.email, "partner": carol.partner, "accepted_at": now - timedelta(days=10)},
    )  # fmt: skip


def _seed_applications(demo: Demo, now: Any) -> None:
    terms = ProgramTerms.current()
    assert terms is not None
    rows = [
        ("Quarry Hill Power Sports", "dealer", "US", "Keene", "Rosa Quintero", "rosa@quarryhill.example",
         "Family-run dealer since 1988, 12 staff, selling and servicing mowers and generators.",
         ApplicationStatus.PENDING, "North America East", 2, ""),
        ("Lindqvist Trädgård AB", "dealer", "SE", "Uppsala", "Anders Lindqvist", "anders@lindqvist.example",
         "Garden machinery dealer with two workshops; we want to add the X200 range.",
         ApplicationStatus.PENDING, "EMEA", 6, ""),
        ("Budget Blades Online", "reseller", "US", "Reno", "Kim Doe", "kim@budgetblades.example",
         "Online only, no service workshop.", ApplicationStatus.REJECTED, "North America East", 40,
         "The program needs a service workshop; we would be glad to hear from you when you have one."),
    ]  # fmt: skip
    for company, kind, country, city, contact, email, message, status, region, days, note in rows:
        application, created = PartnerApplication.objects.get_or_create(
            contact_email=email,
            defaults={
                "company_name": company, "kind": kind, "country": country, "city": city,
                "contact_name": contact, "message": message, "terms": terms, "status": status,
                "region": demo.regions[region], "submitted_at": now - timedelta(days=days),
                "decision_note": note,
                "decided_by": demo.staff["dana"] if status != ApplicationStatus.PENDING else None,
                "decided_at": now - timedelta(days=days - 2) if status != ApplicationStatus.PENDING else None,
            },
        )  # fmt: skip
        if created:
            TermsAcceptance.objects.create(
                terms=terms, email=email, accepted_at=now - timedelta(days=days), ip="203.0.113.7"
            )
            if status == ApplicationStatus.PENDING:
                reviewer = (
                    demo.staff["dana"] if region == "North America East" else demo.staff["evan"]
                )
                Notification.objects.create(
                    recipient=reviewer,
                    kind="approvals",
                    title=f"New partner application: {company}",
                    body=f"{contact} applied for {company}.",
                    url=application.get_absolute_url(),
                    created_at=now - timedelta(days=days),
                )


def _seed_groups_and_audiences(demo: Demo) -> None:
    pilots, _ = PeopleGroup.objects.get_or_create(
        name="X200 launch pilots",
        defaults={"description": "Early X200 sellers who try new material first."},
    )
    pilots.members.add(*(demo.people[k] for k in ["bob", "derek", "kevin", "jonas", "lucia"]))
    gold_service, created = Audience.objects.get_or_create(
        name="Service techs at Gold and Platinum dealers"
    )
    if created:
        gold_service.kind_codes = [PartnerKind.DEALER]
        gold_service.save()
        gold_service.tiers.add(demo.tiers["Gold"], demo.tiers["Platinum"])
        gold_service.job_roles.add(JobRole.objects.get(code="service"))
    emea, created = Audience.objects.get_or_create(name="EMEA partners")
    if created:
        emea.regions.add(demo.regions["EMEA"])
    pilot_audience, created = Audience.objects.get_or_create(name="X200 launch pilots")
    if created:
        pilot_audience.groups.add(pilots)


def _seed_activity(demo: Demo, now: Any) -> None:
    alice = demo.people["alice"]
    if ActivityEvent.objects.filter(actor=alice).exists():
        return
    for person in [alice, demo.people["bob"], demo.people["carol"], demo.staff["dana"]]:
        record_event(person, "logged-in", object_type="portal", name="Touchpoint")
    for location in ["P-1001-R", "P-1001-M"]:
        record_event(alice, "viewed", demo.partners[location])
