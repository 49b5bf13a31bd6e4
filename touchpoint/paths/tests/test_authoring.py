"""Mia builds a learning path step by step and Alice assigns it; every change is audited."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.support.courses import make_course
from touchpoint.kernel.models import AuditEntry
from touchpoint.orgs.models import Audience
from touchpoint.paths.models import EnrolmentRule, LearningPath, PathEnrolment, PathStep


def path_form(**data):  # type: ignore[no-untyped-def]
    return {
        "path-title": "Service onboarding", "path-summary": "", "path-audience": "",
        "path-self_enrol": "on", "path-status": "published", **data,
    }  # fmt: skip


def test_it_audits_building_a_path_and_its_steps(personas):
    p = personas
    basics, advanced = make_course(p.mia, "Basics"), make_course(p.mia, "Advanced")
    mia = p.client(p.mia)
    created = mia.post("/learn/manage/paths/new/", path_form())
    path = LearningPath.objects.get(title="Service onboarding")
    assert created["Location"] == f"/learn/manage/paths/{path.pk}/"
    url = f"/learn/manage/paths/{path.pk}/"
    mia.post(url, path_form(**{"path-title": "Service onboarding, 2027"}))
    mia.post(url, {"add_step": "1", "step-course": basics.pk})
    mia.post(url, {"add_step": "1", "step-course": advanced.pk, "step-requires_previous": "on"})
    second = PathStep.objects.get(path=path, course=advanced)
    mia.post(f"{url}steps/{second.pk}/", {"action": "toggle"})
    mia.post(f"{url}steps/{second.pk}/", {"action": "up"})
    mia.post(f"{url}steps/{second.pk}/", {"action": "remove"})

    trail = list(
        AuditEntry.objects.filter(actor=p.mia, action__startswith="path.")
        .order_by("pk")
        .values_list("action", "after")
    )
    assert trail == [
        ("path.created", {"title": "Service onboarding", "status": "published"}),
        ("path.updated", {"title": "Service onboarding, 2027", "status": "published"}),
        ("path.step_added", {"step": "Basics"}),
        ("path.step_added", {"step": "Advanced"}),
        ("path.step_toggle", {"step": "Advanced"}),
        ("path.step_up", {"step": "Advanced"}),
        ("path.step_remove", {"step": "Advanced"}),
    ]
    assert list(path.steps.values_list("course__title", flat=True)) == ["Basics"]


def test_it_audits_assigning_a_path_to_alices_people(personas):
    p = personas
    path = LearningPath.objects.create(title="Sales onboarding", status="published")
    PathStep.objects.create(path=path, course=make_course(p.mia, "Pitch"), position=1)
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = p.client(p.alice).post(
        f"/learn/paths/{path.pk}/assign/", {"people": [p.bob.pk, p.hannah.pk], "due": due}
    )
    assert response.status_code == 302
    assigned = AuditEntry.objects.filter(actor=p.alice, action="path.assigned")
    assert {e.target_id for e in assigned} == {
        str(pk) for pk in PathEnrolment.objects.filter(path=path).values_list("pk", flat=True)
    }
    assert {e.partner_id for e in assigned} == {p.dealer_a.pk, p.rutland.pk}
    assert all(e.after["path"] == "Sales onboarding" for e in assigned)


def test_it_audits_saving_and_running_a_rule(personas, on_commit):
    p = personas
    audience = Audience.objects.create(name="Everyone at Alder Creek")
    audience.partners.add(p.dealer_a)
    course = make_course(p.mia, "Safety")
    mia = p.client(p.mia)
    mia.post(
        "/learn/manage/rules/new/",
        {"name": "Safety for all", "course": course.pk, "audience": audience.pk, "is_active": "on"},
    )
    rule = EnrolmentRule.objects.get(name="Safety for all")
    mia.post(f"/learn/manage/rules/{rule.pk}/run/")
    actions = list(
        AuditEntry.objects.filter(actor=p.mia, action__startswith="rule.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["rule.created", "rule.run"]
