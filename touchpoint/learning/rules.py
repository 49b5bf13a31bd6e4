"""Rule-based auto-enrolment, set-based: one query finds everyone the rule's audience reaches
who is not enrolled yet, and the enrolments are inserted in batches. People who come to
match a rule later (hired, new job role, their dealer moved tier) are enrolled by the same
code, for just those people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import task

from touchpoint.core.audience import users_reached
from touchpoint.core.models import ActivityEvent
from touchpoint.core.scheduler import periodic
from touchpoint.learning.models import (
    Course,
    Enrolment,
    EnrolmentRule,
    LearningPath,
    PathEnrolment,
    Source,
    Status,
)

BATCH = 5000


def _candidates(rule: EnrolmentRule, user_ids: Iterable[int] | None, enrolled: Exists) -> list[int]:
    people = users_reached(rule.audience).filter(partner__isnull=False)
    if user_ids is not None:
        people = people.filter(pk__in=list(user_ids))
    return list(people.exclude(enrolled).values_list("pk", flat=True))


def _insert_enrolments(course: Course, user_ids: list[int], rule: EnrolmentRule, source: str,
                       due_at: datetime | None, path_enrolments: dict[int, int] | None = None) -> int:  # fmt: skip
    assert course.published_version_id is not None
    now = timezone.now()
    rows = [
        Enrolment(
            user_id=pk, course=course, version_id=course.published_version_id, source=source,
            rule=rule, due_at=due_at, enrolled_at=now,
            path_enrolment_id=(path_enrolments or {}).get(pk),
        )
        for pk in user_ids
    ]  # fmt: skip
    # Conflicts mean someone enrolled meanwhile (their own click, another worker): skip them.
    Enrolment.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    ActivityEvent.objects.bulk_create(
        [
            ActivityEvent(actor_id=pk, verb="registered", object_type="learning.course",
                          object_id=str(course.pk), object_name=course.title[:254],
                          object_url=course.get_absolute_url(), timestamp=now,
                          extra={"source": source, "rule": rule.pk})
            for pk in user_ids
        ],
        batch_size=BATCH,
    )  # fmt: skip
    return len(rows)


def apply_rule(rule: EnrolmentRule, user_ids: Iterable[int] | None = None) -> int:
    """Enrol everyone the rule reaches who is not enrolled yet; returns how many."""
    if not rule.is_active:
        return 0
    due_at = timezone.now() + timedelta(days=rule.due_in_days) if rule.due_in_days else None
    added = 0
    with transaction.atomic():
        if rule.course_id:
            course = Course.objects.get(pk=rule.course_id)
            if course.status != Status.PUBLISHED or course.published_version_id is None:
                return 0
            enrolled = Exists(
                Enrolment.objects.filter(user=OuterRef("pk"), course=course, is_current=True)
            )
            ids = _candidates(rule, user_ids, enrolled)
            for start in range(0, len(ids), BATCH):
                added += _insert_enrolments(
                    course, ids[start : start + BATCH], rule, Source.RULE, due_at
                )
        else:
            assert rule.path_id is not None
            path = LearningPath.objects.get(pk=rule.path_id)
            if path.status != Status.PUBLISHED:
                return 0
            enrolled = Exists(PathEnrolment.objects.filter(user=OuterRef("pk"), path=path))
            ids = _candidates(rule, user_ids, enrolled)
            now = timezone.now()
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                PathEnrolment.objects.bulk_create(
                    [PathEnrolment(user_id=pk, path=path, source=Source.RULE, rule=rule, due_at=due_at,
                                   enrolled_at=now) for pk in chunk],
                    batch_size=BATCH, ignore_conflicts=True,
                )  # fmt: skip
                by_user = dict(
                    PathEnrolment.objects.filter(path=path, user_id__in=chunk).values_list(
                        "user_id", "pk"
                    )
                )
                for step in path.steps.select_related("course", "certification"):
                    courses = (
                        [step.course]
                        if step.course
                        else list(step.certification.courses.all())
                        if step.certification
                        else []
                    )
                    for course in courses:
                        if course.published_version_id is None:
                            continue
                        have = set(
                            Enrolment.objects.filter(
                                course=course, is_current=True, user_id__in=chunk
                            ).values_list("user_id", flat=True)
                        )
                        todo = [pk for pk in chunk if pk not in have]
                        _insert_enrolments(course, todo, rule, Source.PATH, due_at, by_user)
                added += len(chunk)
        if user_ids is None:
            EnrolmentRule.objects.filter(pk=rule.pk).update(
                last_run_at=timezone.now(), last_run_enrolled=added
            )
    return added


@task()
def apply_rules_for_people(user_ids: list[int]) -> int:
    """Someone joined, changed job role, or their company changed tier or region."""
    return sum(apply_rule(rule, user_ids) for rule in EnrolmentRule.objects.filter(is_active=True))


@task()
def apply_rule_task(rule_id: int) -> int:
    rule = EnrolmentRule.objects.filter(pk=rule_id).first()
    return apply_rule(rule) if rule else 0


@periodic(every=timedelta(minutes=15))
@task()
def apply_all_rules() -> int:
    """The safety net: catches anyone the targeted runs missed (e.g. an import)."""
    return sum(apply_rule(rule) for rule in EnrolmentRule.objects.filter(is_active=True))


def people_changed(user_ids: Iterable[int]) -> None:
    """Call inside an action's transaction: rules are applied for these people after commit."""
    ids = sorted({pk for pk in user_ids if pk})
    if ids:
        transaction.on_commit(lambda: apply_rules_for_people.enqueue(ids))
