"""Core screens: profile and preferences, branding, audiences, search, sign-in safety."""

from __future__ import annotations

import io

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from touchpoint.alignment.models import LearningRequest, RelationshipType
from touchpoint.comms.models import Announcement, CampaignStep
from touchpoint.kernel.models import AuditEntry, NotificationPreference, PortalSettings
from touchpoint.kernel.notifications import KINDS
from touchpoint.orgs.models import Audience, Partner, User


def png(size=(64, 32)) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    Image.new("RGB", size, (20, 83, 45)).save(out, format="PNG")
    return out.getvalue()


def branding(**data):  # type: ignore[no-untyped-def]
    return {
        "name": "Ridgeline Partner Portal", "tagline": "", "primary_colour": "#14532D",
        "accent_colour": "#F59E0B", "support_email": "", **data,
    }  # fmt: skip


def test_bob_sets_his_language_and_time_zone_and_the_portal_follows(personas):
    p = personas
    bob = p.client(p.bob)
    response = bob.post(
        "/me/",
        {
            "save_profile": "1",
            "profile-name": "Bob Tran",
            "profile-title": "",
            "profile-language": "es",
            "profile-time_zone": "Europe/Madrid",
        },
    )
    assert response.status_code == 302
    p.bob.refresh_from_db()
    assert (p.bob.language, p.bob.time_zone) == ("es", "Europe/Madrid")
    home = bob.get("/")
    assert home["Content-Language"] == "es" and '<html lang="es"' in home.content.decode()
    bad = bob.post(
        "/me/",
        {
            "save_profile": "1",
            "profile-name": "Bob",
            "profile-language": "xx",
            "profile-time_zone": "Mars/Olympus",
        },
    )
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"language", "time_zone"}
    assert 'aria-invalid="true"' in bad.content.decode()


def test_the_footer_language_switch_is_saved_for_a_signed_in_person(personas):
    p = personas
    p.client(p.bob).post("/language/", {"language": "es", "next": "/"})
    p.bob.refresh_from_db()
    assert p.bob.language == "es"


def test_bob_chooses_which_notifications_reach_him_by_email(personas):
    p = personas
    bob = p.client(p.bob)
    choices = {"account": "in_app", "approvals": "off", "team": "email", "program": "in_app"}
    # Kinds other apps add, except those only vendor staff receive (Bob is not asked).
    others = {
        code: "in_app"
        for code, kind in KINDS.items()
        if code not in choices and not kind.staff_only
    }
    bob.post(
        "/me/", {"save_prefs": "1", **{f"prefs-{k}": v for k, v in {**choices, **others}.items()}}
    )
    saved = dict(NotificationPreference.objects.filter(user=p.bob).values_list("kind", "channel"))
    assert saved == {**choices, **others}
    refused = bob.post("/me/", {"save_prefs": "1", **{f"prefs-{k}": "off" for k in KINDS}})
    assert "Select a valid choice" in refused.content.decode()  # account messages stay on


def test_pat_brands_the_portal_with_a_logo_and_colours(personas):
    p = personas
    pat = p.client(p.pat)
    response = pat.post(
        "/admin/settings/", branding(logo=SimpleUploadedFile("logo.png", png(), "image/png"))
    )
    assert response.status_code == 302
    portal = PortalSettings.load()
    assert portal.logo.name.startswith("branding/") and portal.logo.name.endswith(".png")
    assert "logo.png" not in portal.logo.name  # stored under a generated name
    assert "Ridgeline Partner Portal" in p.client(p.bob).get("/").content.decode()
    assert AuditEntry.objects.filter(action="portal.settings_changed").exists()
    # The logo is the one uploaded file anyone may open (the sign-in page, emails), at a
    # versioned URL; the file's own storage path is not served.
    home = p.client(p.bob).get("/").content.decode()
    assert portal.logo_url in home and portal.logo_url.startswith("/branding/logo/?v=")
    logo = Client().get(portal.logo_url)
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert (
        logo["Cache-Control"].startswith("public") and logo["X-Content-Type-Options"] == "nosniff"
    )
    assert Client().get(f"/media/{portal.logo.name}").status_code == 404


def test_logos_are_checked_by_content_and_size(personas, settings):
    p = personas
    pat = p.client(p.pat)
    cases = {
        "fake.png": (b"<html><script>alert(1)</script></html>", "not a PNG, JPEG, WebP or GIF"),
        "logo.svg": (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "not a PNG, JPEG, WebP or GIF",
        ),
    }
    for name, (content, message) in cases.items():
        response = pat.post(
            "/admin/settings/", branding(logo=SimpleUploadedFile(name, content, "image/png"))
        )
        assert message in response.content.decode() or "valid image" in response.content.decode(), (
            name
        )
    settings.MAX_LOGO_BYTES = 100
    too_big = pat.post(
        "/admin/settings/",
        branding(logo=SimpleUploadedFile("big.png", png((400, 400)), "image/png")),
    )
    assert "the limit is 100" in too_big.content.decode()
    assert not PortalSettings.load().logo


def test_an_unreadable_brand_colour_is_refused(personas):
    response = personas.client(personas.pat).post(
        "/admin/settings/", branding(primary_colour="#777777")
    )
    assert "hard to read" in response.content.decode()


def test_mia_builds_an_audience_and_sees_its_reach_before_saving(personas):
    p = personas
    mia = p.client(p.mia)
    criteria = {
        "name": "Gold service techs",
        "tiers": [p.tiers["Gold"].pk],
        "job_roles": [p.roles["service"].pk],
    }
    preview = mia.post("/audiences/preview/", criteria).content.decode()
    assert '<p class="stat">1</p>' in preview  # Hannah, at Alder Creek's location
    assert not Audience.objects.exists()
    saved = mia.post("/audiences/new/", criteria)
    audience = Audience.objects.get()
    assert saved["Location"] == f"/audiences/{audience.pk}/"
    assert "Hannah Kim" in mia.get(f"/audiences/{audience.pk}/").content.decode()
    nobody = mia.post("/audiences/preview/", {"country_list": ["FR"]}).content.decode()
    assert "reaches nobody" in nobody
    assert p.client(p.alice).get("/audiences/").status_code == 403


def test_search_finds_only_what_the_searcher_may_see(personas):
    p = personas
    alice_results = p.client(p.alice).get("/search/?q=a").content.decode()
    assert (
        "Bob Tran" in alice_results
        and "Carol Diaz" not in alice_results
        and "Birchwood" not in alice_results
    )
    dana_results = p.client(p.dana).get("/search/?q=carol").content.decode()
    assert "Carol Diaz" in dana_results
    nothing = p.client(p.bob).get("/search/?q=zzzz").content.decode()
    assert "Nothing found for “zzzz”" in nothing


def test_failed_sign_ins_are_rate_limited(personas, client):
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": "bob@aldercreek.example", "password": "wrong"})
    blocked = client.post(
        "/accounts/login/",
        {"login": "bob@aldercreek.example", "password": "correct horse battery staple"},
    )
    assert blocked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in blocked.content.decode()


def test_staff_must_set_up_mfa_when_the_portal_requires_it(personas):
    p = personas
    PortalSettings.objects.filter(pk=1).update(require_mfa_for_staff=True)
    dana = p.client(p.dana)
    response = dana.get("/partners/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    # The set-up page itself (and allauth's password re-check before it) stays reachable.
    assert dana.get("/accounts/2fa/totp/activate/", follow=True).status_code == 200
    assert p.client(p.bob).get("/").status_code == 200  # partners are not forced


def test_password_reset_sends_an_email(personas, client):
    from django.core import mail

    response = client.post("/accounts/password/reset/", {"email": "bob@aldercreek.example"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["bob@aldercreek.example"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_there_is_no_public_sign_up(db, client):
    page = client.get("/accounts/signup/").content.decode()
    assert "Accounts come by invitation" in page and "/apply/" in page
    assert "<input" not in page.split('<main id="main"')[1].split("</main>")[0]


def _learning_rows() -> dict[str, int]:
    """How many rows each learning app holds, and audit entries about learning."""
    from django.apps import apps

    labels = ("courses", "quizzes", "live_sessions", "credentials", "paths")
    rows = {
        model._meta.label: model._default_manager.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }
    rows["audit"] = AuditEntry.objects.filter(
        action__regex=r"^(course|question|session|certification|credential|path|rule|enrolment)\."
    ).count()
    return rows


def _the_learning_story_is_told() -> None:
    """What DEMO.md and the README's sign-ins promise of the learning story, made through
    the actions (each step is in the audit log) and dated in the story's past."""
    from datetime import timedelta

    from django.utils import timezone

    from touchpoint.courses.models import Course, Enrolment, EnrolmentStatus, Source
    from touchpoint.credentials.models import Credential, CredentialState
    from touchpoint.paths.models import PathEnrolment
    from touchpoint.sessions.models import RegistrationStatus, SessionRegistration

    now = timezone.now()
    people = {u.email.split("@")[0]: u for u in User.objects.all()}
    for course in Course.objects.all():
        actions = set(
            AuditEntry.objects.filter(
                target_type__app_label="courses",
                target_type__model="course",
                target_id=str(course.pk),
            ).values_list("action", flat=True)
        )
        assert {"course.created", "course.published"} <= actions, course
    for author, course in [("sam", "X200 service fundamentals"), ("mia", "Handling objections")]:
        assert Course.objects.get(title__startswith=course).owner == people[author]
    assert AuditEntry.objects.filter(action="question.created", actor=people["sam"]).exists()
    hannah = Credential.objects.get(user=people["hannah"], is_current=True)
    assert hannah.state() == CredentialState.EXPIRING and hannah.granted_by == people["mia"]
    assert now < hannah.expires_at < now + timedelta(days=30)
    assert hannah.issued_at < now - timedelta(days=600)
    path = PathEnrolment.objects.get(user=people["hannah"], path__title="New service technician")
    assert path.source == Source.RULE and path.rule is not None
    # Chris earned his by the courses: the last of them was the workshop Mia marked.
    chris = Credential.objects.get(user=people["chris"], is_current=True)
    assert chris.state() == CredentialState.ACTIVE and chris.granted_by is None
    marked = SessionRegistration.objects.filter(session__starts_at__lt=now)
    assert set(marked.values_list("user__email", "status")) >= {
        ("chris@aldercreek.example", RegistrationStatus.ATTENDED),
        ("noah@dogwood.example", RegistrationStatus.ABSENT),
    }
    assert AuditEntry.objects.filter(action="session.attendance", actor=people["mia"]).exists()
    assert Enrolment.objects.filter(
        user=people["bob"], status=EnrolmentStatus.IN_PROGRESS, is_current=True
    ).exists()
    assert Credential.objects.filter(user=people["jamal"]).get().state() == CredentialState.EXPIRED


def test_the_demo_learning_story_is_told_through_the_actions_once(db):
    from touchpoint.portal.demo import learning, orgs

    call_command("seed_demo", verbosity=0)
    rows = _learning_rows()
    learning.seed(orgs.seed())  # told again, as a second seed_demo would: nothing new
    assert _learning_rows() == rows
    _the_learning_story_is_told()
    _every_course_has_pictures()


def _every_course_has_pictures() -> None:
    """Drawn at load time: a cover per course, and a picture in its first text lesson that a
    learner's browser is served."""
    from touchpoint.courses.models import Course, CourseImage, Lesson

    bob = User.objects.get(email="bob@aldercreek.example")
    browser = Client()
    browser.force_login(bob)
    for course in Course.objects.filter(status="published"):
        assert course.cover, course.title
        first_text = Lesson.objects.filter(version=course.published_version, kind="text").first()
        if first_text is not None:
            added = AuditEntry.objects.filter(action="course.image_added", target_id=course.pk)
            assert added.exists(), course.title
            image = CourseImage.objects.get(course=course)
            assert f'<img src="{image.get_absolute_url()}"' in first_text.body
    mower = Course.objects.get(title__startswith="X200 zero-turn")
    cover = browser.get(f"/learn/courses/{mower.pk}/cover/")
    assert (cover.status_code, cover["Content-Type"]) == (200, "image/png")


def test_the_demo_story_loads_twice_without_duplicates(db, settings):
    # The project's hasher, not the tests' quick one, so the sign-in below is the real thing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    call_command("seed_demo", verbosity=0)
    counts = (User.objects.count(), Partner.objects.count(), Audience.objects.count())
    rows = _story_rows()
    library_and_help = _library_and_help_rows()
    call_command("seed_demo", verbosity=0)
    assert (User.objects.count(), Partner.objects.count(), Audience.objects.count()) == counts
    assert _story_rows() == rows
    assert _library_and_help_rows() == library_and_help
    _the_library_and_help_story_holds()
    assert counts[0] >= 47 and counts[1] >= 10
    alice = User.objects.get(email="alice@aldercreek.example")
    assert alice.check_password("ridgeline-demo") and alice.emailaddress_set.get().verified
    assert User.objects.filter(partner__isnull=False, is_active=True).count() >= 40
    # Made through the actions: who made what is in the audit log, every partner has its
    # headcount, and the quick demo hash gives way to a strong one at the first sign-in.
    assert AuditEntry.objects.filter(action="partner.created").count() == Partner.objects.count()
    assert AuditEntry.objects.filter(action="person.joined", actor=alice).exists()
    assert Partner.objects.filter(headcount__isnull=True).count() == 0
    assert (
        Client()
        .post("/accounts/login/", {"login": alice.email, "password": "ridgeline-demo"})
        .status_code
        == 302
    )
    alice.refresh_from_db()
    assert not alice.password.startswith("pbkdf2_sha256$1000$")


def _story_rows() -> dict[str, int]:
    """How many rows each table of communication, community and L&D requests holds."""
    return {
        model._meta.label: model._default_manager.count()
        for label in ("comms", "community", "alignment")
        for model in apps.get_app_config(label).get_models()
    }


def test_the_demo_news_forums_and_requests_are_made_by_the_people_of_the_story(db):
    call_command("seed_demo", verbosity=0)
    made_by = {
        (e.action, e.actor.email.split("@")[0] if e.actor else "")
        for e in AuditEntry.objects.select_related("actor")
    }
    for action, who in [
        ("announcement.created", "sam"), ("announcement.created", "dana"),
        ("campaign.step_added", "admin"), ("announcement.published", ""),
        ("community.category_saved", "lee"), ("community.best_practice", "lee"),
        ("community.thread_locked", "lee"), ("community.answer_accepted", "hannah"),
        ("request.submitted", "alice"), ("request.triaged", "mia"),
        ("request.deliverable_added", "sam"),
    ]:  # fmt: skip
        assert (action, who) in made_by, (action, who)

    def page(email: str, url: str) -> str:
        client = Client()
        client.force_login(User.objects.get(email=email))
        response = client.get(url)
        assert response.status_code == 200, url
        return response.content.decode()

    # Bob: the urgent warranty policy to acknowledge, pinned on his home, and the portal tour.
    home = page("bob@aldercreek.example", "/")
    assert "New warranty policy from 1 July" in home
    assert "A two-minute tour of your portal" in home
    # Lee: a reported post and an unanswered question in the moderation queue.
    queue = page("lee@ridgeline.example", reverse("community:queue"))
    assert "Check out my cousin" in queue and "Hydraulic drift on slopes" in queue
    assert "Best practices" in page("lee@ridgeline.example", reverse("community:best_practices"))
    # Mia: the reach of her announcement; the requests in all four relationship types.
    mine = Announcement.objects.get(title="The X200 sales course is live")
    reach = page("mia@ridgeline.example", reverse("comms:reach", args=[mine.pk]))
    assert "Alder Creek Outdoor" in reach
    types = set(LearningRequest.objects.values_list("relationship", flat=True))
    assert set(RelationshipType.values) <= types
    # The X200 launch is still to come; the portal launch is under way.
    assert not CampaignStep.objects.filter(campaign__name="X200 zero-turn launch").exclude(
        started_at=None
    )
    assert not CampaignStep.objects.filter(campaign__name__startswith="Portal launch").filter(
        started_at=None
    )


def _library_and_help_rows() -> dict[str, int]:
    from touchpoint.contextual.models import (
        ContextItem,
        ContextMapping,
        ContextUsage,
        Integration,
        LauncherLink,
    )
    from touchpoint.kernel.models import ActivityEvent
    from touchpoint.library.models import Asset, AssetVersion, Favourite, Product, Section

    models = [Section, Product, Asset, AssetVersion, Favourite, ContextMapping, ContextItem,
              ContextUsage, LauncherLink, Integration]  # fmt: skip
    rows = {model.__name__: model.objects.count() for model in models}
    rows["audit"] = AuditEntry.objects.filter(
        target_type__app_label__in=["library", "contextual"]
    ).count()
    rows["events"] = ActivityEvent.objects.filter(
        object_type__in=["library.asset", "contextual.context", "courses.course", "courses.lesson"]
    ).count()
    return rows


def _the_library_and_help_story_holds() -> None:
    """Made through the actions, by the people who do it in the product, and it tells the
    story the README's sign-ins and DEMO.md tell."""
    from django.db.models import Sum
    from django.utils.html import strip_tags

    from touchpoint.contextual.models import ContextItem, ContextMapping, ContextUsage
    from touchpoint.contextual.resolve import Context, Viewer, resolve
    from touchpoint.kernel.models import ActivityEvent
    from touchpoint.library.models import Asset, Product, Section
    from touchpoint.portal.demo.contextual import demo_integration
    from touchpoint.search.query import search

    pat = User.objects.get(email="admin@ridgeline.example")
    sam = User.objects.get(email="sam@ridgeline.example")
    audit = AuditEntry.objects
    created = audit.filter(action="asset.created")
    assert created.count() == Asset.objects.count() >= 40
    for asset in Asset.objects.all():
        assert created.filter(target_id=str(asset.pk), actor=asset.owner).exists(), asset
    assert audit.filter(action="section.created", actor=pat).count() == Section.objects.count()
    assert audit.filter(action="product.created", actor=pat).count() == Product.objects.count()
    assert audit.filter(action="asset.expired", actor_label="housekeeping").exists()
    mappings, items = ContextMapping.objects.count(), ContextItem.objects.count()
    assert audit.filter(action="context_mapping.created").count() == mappings
    assert audit.filter(action="context_mapping.item_added").count() == items
    assert audit.filter(action="integration.created", actor=pat).count() == 1
    assert audit.filter(action="launcher_link.created", actor=pat).count() == 5
    # The use figures are what people did: every counted open and ask is an activity event.
    opens = ActivityEvent.objects.filter(
        object_type="library.asset", verb__in=["viewed", "downloaded", "opened"]
    ).exclude(partner_id=None)
    assert Asset.objects.aggregate(n=Sum("open_count"))["n"] == opens.count() > 400
    asks = ActivityEvent.objects.filter(object_type="contextual.context").count()
    usage = ContextUsage.objects.aggregate(asked=Sum("asked"), opened=Sum("opened"))
    assert usage["asked"] == asks > 100
    assert ContextItem.objects.aggregate(n=Sum("open_count"))["n"] == usage["opened"] > 0
    assert ContextUsage.objects.filter(empty__gt=0).count() == 3  # the gaps to fill
    # Sam's items due for review; the X200 guide first in the point of sale's widget; search.
    assert Asset.objects.due_for_review().filter(owner=sam).count() >= 3
    integration = demo_integration()
    assert integration is not None
    x200 = Context(app="pos", screen="extended-warranty", product="model-x200")
    answer = resolve(x200, Viewer.integration(integration))
    assert answer.items[0].title == "X200 extended warranty: the point-of-sale guide"
    bob = User.objects.get(email="bob@aldercreek.example")
    for words in ("warranty", "warrenty"):
        titles = [strip_tags(hit.title) for hit in search(bob, words).hits]
        assert "X200 extended warranty: the point-of-sale guide" in titles, words
