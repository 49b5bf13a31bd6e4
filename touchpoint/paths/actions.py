"""Writes for learning paths and rules: building paths and their steps, enrolling someone in
a path (and in its courses), marking the path complete once every step is done, and saving
and running auto-enrolment rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from touchpoint.courses.access import people_assignable_by
from touchpoint.courses.actions import check_due, enrol, next_position, set_order
from touchpoint.courses.models import Enrolment, Source, Status
from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.orgs.models import User
from touchpoint.paths.models import EnrolmentRule, LearningPath, PathEnrolment, PathStep
from touchpoint.paths.progress import step_done
from touchpoint.paths.rules import apply_rule_task


@transaction.atomic
def enrol_in_path(
    person: User,
    path: LearningPath,
    *,
    actor: User | None = None,
    source: str = Source.SELF,
    due_at: datetime | None = None,
    rule: EnrolmentRule | None = None,
) -> PathEnrolment:
    if path.status != Status.PUBLISHED:
        raise ValidationError(_("This learning path is not open for enrolment."))
    if source == Source.ASSIGNED:
        if actor is None or not people_assignable_by(actor).filter(pk=person.pk).exists():
            raise ValidationError(_("You can only assign paths to people in your scope."))
        check_due(due_at)
    elif source == Source.SELF and not path.self_enrol:
        raise ValidationError(_("This path is assigned by your manager or the vendor."))
    path_enrolment, created = PathEnrolment.objects.get_or_create(
        user=person,
        path=path,
        defaults={"source": source, "due_at": due_at, "rule": rule,
                  "assigned_by": actor if source == Source.ASSIGNED else None},
    )  # fmt: skip
    if created:
        record_event(person, "registered", path, extra={"source": source})
        if source == Source.ASSIGNED and actor is not None:
            audit.record(actor, "path.assigned", path_enrolment, partner=person.partner,
                         after={"path": path.title, "due": due_at.isoformat() if due_at else None})  # fmt: skip
        for step in path.steps.select_related("course__published_version", "certification"):
            courses = (
                [step.course]
                if step.course
                else list(step.certification.courses.filter(published_version__isnull=False))
                if step.certification
                else []
            )
            for course in courses:
                if course and course.published_version:
                    enrol(person, course, actor=actor, source=Source.PATH, due_at=due_at,
                          source_id=path_enrolment.pk)  # fmt: skip
    return path_enrolment


def assign_path(
    actor: User, people: Iterable[User], path: LearningPath, due_at: datetime | None
) -> list[PathEnrolment]:
    """Assign a path to several people at once; everyone or no one (one transaction)."""
    with transaction.atomic():
        return [
            enrol_in_path(person, path, actor=actor, source=Source.ASSIGNED, due_at=due_at)
            for person in people
        ]


def evaluate_path(path_enrolment: PathEnrolment) -> bool:
    steps = list(path_enrolment.path.steps.all())
    if steps and all(step_done(path_enrolment.user, s) for s in steps):
        if path_enrolment.completed_at is None:
            path_enrolment.completed_at = timezone.now()
            path_enrolment.save(update_fields=["completed_at"])
            record_event(path_enrolment.user, "completed", path_enrolment.path)
        return True
    return False


def course_completed(enrolment: Enrolment) -> None:
    """A finished course may be the last step of the person's open paths."""
    for path_enrolment in PathEnrolment.objects.filter(
        user=enrolment.user, completed_at__isnull=True
    ):
        evaluate_path(path_enrolment)


# --- building paths and rules -------------------------------------------------------------------
@transaction.atomic
def save_path(actor: User, learning_path: LearningPath) -> LearningPath:
    creating = learning_path.pk is None
    if creating:
        learning_path.created_by = actor
    learning_path.save()
    audit.record(actor, "path.created" if creating else "path.updated", learning_path,
                 after={"title": learning_path.title, "status": learning_path.status})  # fmt: skip
    return learning_path


@transaction.atomic
def add_step(actor: User, learning_path: LearningPath, **fields: Any) -> PathStep:
    step = PathStep.objects.create(
        path=learning_path, position=next_position(learning_path.steps.all()), **fields
    )
    audit.record(actor, "path.step_added", learning_path, after={"step": str(step)})
    return step


@transaction.atomic
def change_step(actor: User, step: PathStep, change: str) -> None:
    """Move a step up or down, switch its "only after the steps before it", or remove it."""
    learning_path = step.path
    if change in ("up", "down"):
        steps = list(PathStep.objects.filter(path=learning_path).order_by("position", "pk"))
        index = steps.index(step)
        target = index + (-1 if change == "up" else 1)
        if 0 <= target < len(steps):
            steps[index], steps[target] = steps[target], steps[index]
        set_order(steps)
    elif change == "toggle":
        step.requires_previous = not step.requires_previous
        step.save(update_fields=["requires_previous"])
    elif change == "remove":
        step.delete()
    else:
        raise ValueError(f"Unknown change to a path step: {change!r}")
    audit.record(actor, f"path.step_{change}", learning_path, after={"step": str(step)})


@transaction.atomic
def save_rule(actor: User, rule: EnrolmentRule) -> EnrolmentRule:
    """Save a rule; an active one is applied by the worker once this commits."""
    creating = rule.pk is None
    if creating:
        rule.created_by = actor
    rule.save()
    audit.record(actor, "rule.created" if creating else "rule.updated", rule,
                 after={"name": rule.name, "audience": str(rule.audience), "active": rule.is_active})  # fmt: skip
    if rule.is_active:
        transaction.on_commit(lambda: apply_rule_task.enqueue(rule.pk))
    return rule


@transaction.atomic
def run_rule(actor: User, rule: EnrolmentRule) -> None:
    """Apply an active rule now, in the worker."""
    audit.record(actor, "rule.run", rule, after={"name": rule.name})
    transaction.on_commit(lambda: apply_rule_task.enqueue(rule.pk))
