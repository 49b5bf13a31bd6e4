"""The Ridgeline demo channel (../shared/DEMO.md): staff, distributors, dealers, locations,
people, terms, applications, groups and audiences, made through the orgs actions, as an
administrator would make them. Safe to run again: every record is looked up by a natural
key first, and only what is missing is made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone

from touchpoint.kernel.actions import mark_all_read
from touchpoint.kernel.activity import record_event
from touchpoint.kernel.models import ActivityEvent, Notification
from touchpoint.orgs import actions
from touchpoint.orgs.audience import Criteria
from touchpoint.orgs.models import (
    ApplicationStatus,
    Audience,
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
    StaffRoleKind,
    TermsAcceptance,
    Tier,
    User,
)
from touchpoint.portal.demo.story import backdate

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


def _joined(person: User, now: Any, **profile: Any) -> User:
    """The person accepts the invitation they were sent, with the demo password, as they
    would from the email; they joined four months before the story's today."""
    if person.activated_at is None:
        invitation = Invitation.objects.filter(user=person, accepted_at__isnull=True).latest("pk")
        person = actions.accept_invitation(
            invitation.pk,
            name=person.name,
            password=DEMO_PASSWORD,
            language=profile.get("language", person.language),
            time_zone=profile.get("time_zone", person.time_zone),
        )
        backdate(person, activated_at=now - timedelta(days=120))
    return person


def _first_admin(now: Any) -> User:
    """Pat, the first portal admin, made the way an installation makes its first admin
    (`createsuperuser`); everything else is made by Pat or by the people Pat invites."""
    pat = User.objects.filter(email="admin@ridgeline.example").first()
    if pat is None:
        pat = User.objects.create_superuser(
            "admin@ridgeline.example", DEMO_PASSWORD, name="Pat Quinn",
            language="en", time_zone="America/New_York",
        )  # fmt: skip
        EmailAddress.objects.create(user=pat, email=pat.email, verified=True, primary=True)
        actions.set_staff_roles(pat, pat, roles={StaffRoleKind.PORTAL_ADMIN: None})
        backdate(pat, activated_at=now - timedelta(days=400))
    return pat


def _reference(pat: User, model: Any, name: str, **fields: Any) -> Any:
    found = model.objects.filter(name=name).first()
    return found or actions.save_reference(pat, model(name=name, **fields))


def seed(now: Any = None) -> Demo:
    now = now or timezone.now()
    demo = Demo()
    pat = _first_admin(now)
    for rank, name in enumerate(["Registered", "Silver", "Gold", "Platinum"]):
        demo.tiers[name] = _reference(pat, Tier, name, rank=rank)
    for name, countries in REGIONS.items():
        demo.regions[name] = _reference(pat, Region, name, countries=countries)
    departments = {
        name: _reference(pat, Department, name)
        for name in ["Sales", "Service", "Parts", "Marketing", "Finance"]
    }
    if not JobRole.objects.filter(code="warranty-admin").exists():
        actions.save_reference(pat, JobRole(code="warranty-admin", name="Warranty administrator"))
    job_roles = {r.code: r for r in JobRole.objects.all()}

    for number, name, kind, tier, region, country, city, parent, domain in PARTNERS:
        found = Partner.objects.filter(external_id=number).first()
        demo.partners[number] = found or actions.create_partner(
            pat,
            Partner(
                external_id=number, name=name, kind=kind, country=country, city=city,
                tier=demo.tiers.get(tier) if tier else None, region=demo.regions[region],
                parent=demo.partners.get(parent) if parent else None,
                email_domain=domain, website=f"https://www.{domain}",
            ),
        )  # fmt: skip
        if not found:
            backdate(demo.partners[number], created_at=now - timedelta(days=400))

    assignments = {
        "dana": ([demo.partners["D-100"]], [demo.regions["North America East"]]),
        "evan": ([], [demo.regions["EMEA"]]),
    }
    for email, name, roles, department in STAFF:
        key = email.split("@")[0]
        person = User.objects.filter(email=email).first()
        if person is None:
            partners, regions = assignments.get(key, ([], []))
            person = actions.invite_staff(
                pat, email=email, name=name, language="en",
                roles={role: departments.get(department or "") for role in roles},
                partners=partners, regions=regions,
            )  # fmt: skip
        demo.staff[key] = _joined(person, now, time_zone="America/New_York")
    # Pat has read the "accepted your invitation" notices of the staff Pat invited.
    mark_all_read(pat)

    for number, local, name, access, job, title, language, tz in PEOPLE:
        partner = demo.partners[number]
        email = f"{local}@{partner.email_domain}"
        person = User.objects.filter(email=email).first() or actions.invite_person(
            None, email=email, name=name, partner=partner, partner_role=access,
            job_role=job_roles[job], title=title, language=language,
        )  # fmt: skip
        demo.people[local] = _joined(person, now, language=language, time_zone=tz)

    for number, local, name, access, job, days_ago in INVITED:
        partner = demo.partners[number]
        email = f"{local}@{partner.email_domain}"
        if not User.objects.filter(email=email).exists():
            inviter = demo.people["alice"] if number == "P-1001" else demo.people["javier"]
            person = actions.invite_person(
                inviter, email=email, name=name, partner=partner, partner_role=access,
                job_role=job_roles[job],
            )  # fmt: skip
            backdate(Invitation.objects.get(user=person), created_at=now - timedelta(days=days_ago))

    _seed_terms(demo, pat, now)
    _seed_applications(demo, now)
    _seed_groups_and_audiences(demo, pat)
    _seed_activity(demo)
    return demo


def _seed_terms(demo: Demo, pat: User, now: Any) -> None:
    for version, body, days_ago in [("2025.1", TERMS_V1, 330), ("2026.1", TERMS_V2, 20)]:
        if ProgramTerms.objects.filter(version=version).exists():
            continue
        terms = actions.publish_terms(
            pat, ProgramTerms(version=version, title="Ridgeline Partner Program terms", body=body)
        )
        published = now - timedelta(days=days_ago)
        backdate(terms, published_at=published)
        notices = Notification.objects.filter(url="/terms/", title__contains=f"({version})")
        backdate(notices, created_at=published)
        if version == "2025.1":
            # Every partner admin accepted the first version when they joined.
            for admin in User.objects.filter(partner_role=PartnerRole.ADMIN, partner__isnull=False):
                backdate(actions.accept_terms(admin, terms, ip=None),
                         accepted_at=now - timedelta(days=300))  # fmt: skip
            backdate(notices, read_at=now - timedelta(days=300))
        else:
            # Carol has accepted the new version; Alice has not yet, so her home shows it.
            carol = demo.people["carol"]
            backdate(
                actions.accept_terms(carol, terms, ip=None), accepted_at=now - timedelta(days=10)
            )
            backdate(notices.filter(recipient=carol), read_at=now - timedelta(days=10))


def _seed_applications(demo: Demo, now: Any) -> None:
    terms = ProgramTerms.current()
    assert terms is not None
    rows = [
        ("Quarry Hill Power Sports", "dealer", "US", "Keene", "Rosa Quintero", "rosa@quarryhill.example",
         "Family-run dealer since 1988, 12 staff, selling and servicing mowers and generators.",
         ApplicationStatus.PENDING, 2, ""),
        ("Lindqvist Trädgård AB", "dealer", "SE", "Uppsala", "Anders Lindqvist", "anders@lindqvist.example",
         "Garden machinery dealer with two workshops; we want to add the X200 range.",
         ApplicationStatus.PENDING, 6, ""),
        ("Budget Blades Online", "reseller", "US", "Reno", "Kim Doe", "kim@budgetblades.example",
         "Online only, no service workshop.", ApplicationStatus.REJECTED, 40,
         "The program needs a service workshop; we would be glad to hear from you when you have one."),
    ]  # fmt: skip
    for company, kind, country, city, contact, email, message, status, days, note in rows:
        if PartnerApplication.objects.filter(contact_email=email).exists():
            continue
        application = actions.submit_application(
            PartnerApplication(
                company_name=company, kind=kind, country=country, city=city,
                contact_name=contact, contact_email=email, message=message, terms=terms,
            ),
            ip="203.0.113.7",
        )  # fmt: skip
        submitted = now - timedelta(days=days)
        backdate(application, submitted_at=submitted)
        backdate(TermsAcceptance.objects.filter(email=email), accepted_at=submitted)
        backdate(
            Notification.objects.filter(url=application.get_absolute_url()), created_at=submitted
        )
        if status == ApplicationStatus.REJECTED:
            actions.reject_application(demo.staff["dana"], application, note=note)
            backdate(application, decided_at=submitted + timedelta(days=2))


def _seed_groups_and_audiences(demo: Demo, pat: User) -> None:
    pilots = PeopleGroup.objects.filter(name="X200 launch pilots").first()
    if pilots is None:
        pilots = actions.save_reference(
            pat,
            PeopleGroup(
                name="X200 launch pilots",
                description="Early X200 sellers who try new material first.",
            ),
        )
        actions.set_group_members(
            pat, pilots, [demo.people[k] for k in ["bob", "derek", "kevin", "jonas", "lucia"]]
        )
    audiences = {
        "Service techs at Gold and Platinum dealers": Criteria(
            kinds=[PartnerKind.DEALER],
            tiers=[demo.tiers["Gold"].pk, demo.tiers["Platinum"].pk],
            job_roles=[JobRole.objects.get(code="service").pk],
        ),
        "EMEA partners": Criteria(regions=[demo.regions["EMEA"].pk]),
        "X200 launch pilots": Criteria(groups=[pilots.pk]),
    }
    for name, criteria in audiences.items():
        if not Audience.objects.filter(name=name).exists():
            actions.save_audience(pat, None, name=name, criteria=criteria)


def _seed_activity(demo: Demo) -> None:
    alice = demo.people["alice"]
    if ActivityEvent.objects.filter(actor=alice, verb="logged-in").exists():
        return
    for person in [alice, demo.people["bob"], demo.people["carol"], demo.staff["dana"]]:
        record_event(person, "logged-in", object_type="portal", name="Touchpoint")
    for location in ["P-1001-R", "P-1001-M"]:
        record_event(alice, "viewed", demo.partners[location])
