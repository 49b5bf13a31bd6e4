"""Auto-enrolment rules, and the daily reminders that replace a flood of messages."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from tests.support.courses import complete_course, make_certification, make_course
from tests.support.factories import PersonFactory
from touchpoint.courses import actions
from touchpoint.courses.models import Enrolment, Source, Status
from touchpoint.courses.tasks import send_training_digests
from touchpoint.credentials import actions as credential_actions
from touchpoint.credentials.models import Credential
from touchpoint.credentials.tasks import send_certification_reminders
from touchpoint.kernel.models import ActivityEvent, Notification
from touchpoint.orgs.models import Audience
from touchpoint.paths.models import EnrolmentRule, LearningPath, PathEnrolment, PathStep
from touchpoint.paths.rules import apply_rule


def gold_service_techs(p):  # type: ignore[no-untyped-def]
    audience = Audience.objects.create(name="Service techs at Gold dealers")
    audience.tiers.add(p.tiers["Gold"])
    audience.job_roles.add(p.roles["service"])
    return audience


def test_a_rule_enrols_everyone_it_reaches_once(personas):
    p = personas
    course = make_course(p.mia, "X200 service")
    rule = EnrolmentRule.objects.create(
        name="Gold techs", course=course, audience=gold_service_techs(p), due_in_days=30
    )
    assert apply_rule(rule) == 1  # Hannah, at Alder Creek's Rutland location
    assert apply_rule(rule) == 0
    enrolment = Enrolment.objects.get(course=course)
    assert (enrolment.user, enrolment.source, enrolment.source_id) == (
        p.hannah,
        Source.RULE,
        rule.pk,
    )
    assert timedelta(days=29) < enrolment.due_at - timezone.now() <= timedelta(days=30)


def test_someone_who_comes_to_match_later_is_enrolled_automatically(
    personas, on_commit, run_worker
):
    p = personas
    course = make_course(p.mia, "X200 service")
    EnrolmentRule.objects.create(name="Gold techs", course=course, audience=gold_service_techs(p))
    alice = p.client(p.alice)
    # Alice hires a new technician…
    with on_commit():
        alice.post(
            f"/partners/{p.dealer_a.pk}/invite/",
            {"email": "dan@aldercreek.example", "name": "Dan", "location": p.dealer_a.pk,
             "partner_role": "member", "job_role": p.roles["service"].pk, "language": "en"},
        )  # fmt: skip
    # …and Bob retrains from sales to service.
    with on_commit():
        alice.post(
            f"/people/{p.bob.pk}/edit/",
            {
                "name": "Bob Tran",
                "partner": p.dealer_a.pk,
                "partner_role": "member",
                "job_role": p.roles["service"].pk,
            },
        )
    run_worker()
    assert set(Enrolment.objects.filter(course=course).values_list("user__email", flat=True)) == {
        "dan@aldercreek.example", p.bob.email,
    }  # fmt: skip
    # Birchwood moves up to Gold: its service tech is enrolled too.
    maria = PersonFactory(partner=p.dealer_b, job_role=p.roles["service"])
    with on_commit():
        p.client(p.pat).post(
            f"/partners/{p.dealer_b.pk}/edit/",
            {"name": p.dealer_b.name, "kind": "dealer", "parent": p.summit.pk, "tier": p.tiers["Gold"].pk,
             "region": p.regions["nae"].pk, "country": "US", "city": "", "external_id": p.dealer_b.external_id,
             "website": "", "phone": "", "email_domain": "", "is_active": "on"},
        )  # fmt: skip
    run_worker()
    assert Enrolment.objects.filter(course=course, user=maria).exists()


def test_a_rule_for_a_path_enrols_in_the_path_and_its_courses(personas):
    p = personas
    a, b = make_course(p.mia, "A"), make_course(p.mia, "B")
    path = LearningPath.objects.create(title="New tech", status=Status.PUBLISHED)
    PathStep.objects.create(path=path, course=a, position=1)
    PathStep.objects.create(path=path, course=b, position=2, requires_previous=True)
    rule = EnrolmentRule.objects.create(name="New techs", path=path, audience=gold_service_techs(p))
    assert apply_rule(rule) == 1
    assert PathEnrolment.objects.get(path=path).user == p.hannah
    assert set(Enrolment.objects.filter(user=p.hannah).values_list("course__title", flat=True)) == {
        "A",
        "B",
    }
    path_enrolment = PathEnrolment.objects.get(user=p.hannah, path=path)
    assert set(Enrolment.objects.filter(user=p.hannah).values_list("source", "source_id")) == {
        (Source.PATH, path_enrolment.pk)
    }
    event = ActivityEvent.objects.filter(actor=p.hannah, verb="registered").first()
    assert event is not None and event.partner_id == p.rutland.pk and event.extra["rule"] == rule.pk
    # The second course waits for the first.
    locked = p.client(p.hannah).get(
        f"/learn/courses/{b.pk}/lessons/{b.published_version.lessons.first().key}/"
    )
    assert locked.status_code == 302


def test_an_unpublished_course_enrols_nobody(personas):
    p = personas
    course = make_course(p.mia, "Draft", publish=False)
    rule = EnrolmentRule.objects.create(name="x", course=course, audience=gold_service_techs(p))
    assert apply_rule(rule) == 0


def test_mia_creates_a_rule_and_the_worker_applies_it(personas, on_commit, run_worker):
    p = personas
    course = make_course(p.mia, "X200 service")
    audience = gold_service_techs(p)
    with on_commit():
        response = p.client(p.mia).post(
            "/learn/manage/rules/new/",
            {
                "name": "Gold techs",
                "course": course.pk,
                "audience": audience.pk,
                "due_in_days": 30,
                "is_active": "on",
            },
        )
    rule = EnrolmentRule.objects.get()
    assert response["Location"] == f"/learn/manage/rules/{rule.pk}/"
    run_worker()
    assert Enrolment.objects.filter(course=course, user=p.hannah).exists()
    page = p.client(p.mia).get(f"/learn/manage/rules/{rule.pk}/").content.decode()
    assert "0 are not enrolled yet" in page
    both = p.client(p.mia).post(
        "/learn/manage/rules/new/", {"name": "x", "course": course.pk, "path": "", "audience": ""}
    )
    assert both.status_code == 200 and not EnrolmentRule.objects.filter(name="x").exists()


def test_one_daily_digest_instead_of_a_flood(personas, on_commit, run_worker):
    p = personas
    soon = timezone.now() + timedelta(days=3)
    late = timezone.now() - timedelta(days=1)
    a, b, c = make_course(p.mia, "A"), make_course(p.mia, "B"), make_course(p.mia, "C")
    actions.assign(p.alice, [p.bob], a, soon)
    actions.assign(p.alice, [p.bob], b, soon + timedelta(days=30))
    Enrolment.objects.create(
        user=p.bob, course=c, version=c.published_version, source=Source.RULE, due_at=late
    )
    Notification.objects.all().delete()
    with on_commit():
        assert send_training_digests.call() == 1
    digest = Notification.objects.get(recipient=p.bob, kind="training")
    assert "2 courses need your attention" in digest.title
    assert (
        "• A (due" in digest.body
        and "• C (overdue since" in digest.body
        and "• B" not in digest.body
    )
    run_worker()
    assert len(mail.outbox) == 1
    with on_commit():
        assert send_training_digests.call() == 0  # each reminder goes once


def test_certification_reminders_go_to_the_holder_and_the_partner_admin(personas):
    p = personas
    cert = make_certification(
        "X200 Technician", [make_course(p.mia, "Service")], validity_months=24
    )
    complete_course(p.hannah, cert.courses.get())
    credential = Credential.objects.get(user=p.hannah)
    Credential.objects.filter(pk=credential.pk).update(
        expires_at=timezone.now() + timedelta(days=25)
    )
    Notification.objects.all().delete()
    assert send_certification_reminders.call() == 1
    assert send_certification_reminders.call() == 0  # 60 and 30 days sent together, once
    assert Notification.objects.filter(recipient=p.hannah, kind="certifications").count() == 1
    told_alice = Notification.objects.get(recipient=p.alice, kind="certifications")
    assert "Hannah Kim" in told_alice.title and "expires in 24 days" in told_alice.title
    assert not Notification.objects.filter(recipient=p.carol).exists()
    Credential.objects.filter(pk=credential.pk).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    assert send_certification_reminders.call() == 1
    assert Notification.objects.filter(recipient=p.hannah, title__contains="has expired").exists()


def test_home_shows_due_courses_and_certifications(personas):
    p = personas
    course = make_course(p.mia, "Safety first")
    actions.assign(p.alice, [p.bob], course, timezone.now() + timedelta(days=5))
    cert = make_certification("Parts specialist", [make_course(p.mia, "Parts")])
    credential_actions.grant(p.mia, p.bob, cert, "Proven")
    home = p.client(p.bob).get("/").content.decode()
    assert "Safety first" in home and "due " in home
    assert "Parts specialist" in home and "Active" in home
    assert "No certifications yet." not in home
