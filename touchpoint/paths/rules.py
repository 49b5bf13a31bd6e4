"""Rule-based auto-enrolment, set-based: the people a rule's audience reaches who are not
enrolled yet are inserted by one INSERT … SELECT per course, inside the database, with their
"registered" activity events; no row passes through Python. People who come to match a rule
later (hired, new job role, their dealer moved tier) go through the same code, for just them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django_tasks import task

from touchpoint.courses.models import Course, Enrolment, EnrolmentStatus, Source, Status
from touchpoint.kernel.models import ActivityEvent
from touchpoint.orgs.audience import users_reached
from touchpoint.orgs.models import User
from touchpoint.paths.models import EnrolmentRule, LearningPath, PathEnrolment


def _people(rule: EnrolmentRule, user_ids: Iterable[int] | None) -> QuerySet[User]:
    people = users_reached(rule.audience).filter(partner__isnull=False)
    if user_ids is not None:
        people = people.filter(pk__in=list(user_ids))
    return people


def _uuid_sql() -> str:
    # A random statement id per row, made by the database (SQLite keeps UUIDs as 32 hex digits).
    return (
        "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"
    )


def _json_sql() -> str:
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def _insert_enrolments(
    course: Course,
    candidates: QuerySet[User],
    rule: EnrolmentRule,
    source: str,
    due_at: datetime | None,
    path: LearningPath | None = None,
) -> int:
    """Enrol `candidates` who have no current enrolment in the course; returns how many."""
    assert course.published_version_id is not None
    now = timezone.now()
    people = candidates.exclude(
        Exists(Enrolment.objects.filter(user=OuterRef("pk"), course=course, is_current=True))
    ).values("pk")
    people_sql, people_params = people.query.sql_with_params()
    enrolment = Enrolment._meta.db_table
    # What enrolled them (Enrolment.source_id): the rule, or for a path's courses the person's
    # path enrolment.
    path_join, source_column, source_params, path_params = "", "%s", [rule.pk], []
    if path is not None:
        path_join = (
            f" LEFT JOIN {PathEnrolment._meta.db_table} pe ON pe.user_id = c.pk AND pe.path_id = %s"
        )
        source_column, source_params, path_params = "pe.id", [], [path.pk]
    with connection.cursor() as cursor:
        # ON CONFLICT: someone enrolled meanwhile (their own click, another worker); skip them.
        cursor.execute(
            # Only table names and ORM-compiled SQL are interpolated; every value is a parameter.
            f"INSERT INTO {enrolment} (user_id, course_id, version_id, source, source_id,"  # noqa: S608
            " status, due_at, enrolled_at, progress, is_current, reminder_stage)"
            f" SELECT c.pk, %s, %s, %s, {source_column}, %s, %s, %s, 0, %s, ''"
            # (SQLite needs a WHERE before ON CONFLICT to tell it from a join's ON.)
            f" FROM ({people_sql}) c{path_join} WHERE 1 = 1 ON CONFLICT DO NOTHING",
            [course.pk, course.published_version_id, source, *source_params,
             EnrolmentStatus.NOT_STARTED, due_at, now, True, *people_params, *path_params],
        )  # fmt: skip
        added = cursor.rowcount
        events, user = ActivityEvent._meta.db_table, User._meta.db_table
        cursor.execute(
            f"INSERT INTO {events} (statement_id, timestamp, actor_id, verb, object_type, object_id,"  # noqa: S608
            " object_name, object_url, partner_id, extra)"
            f" SELECT {_uuid_sql()}, e.enrolled_at, e.user_id, 'registered', 'courses.course', %s, %s, %s,"
            f" u.partner_id, {_json_sql()} FROM {enrolment} e JOIN {user} u ON u.id = e.user_id"
            # The rows this call inserted: its own moment, course and source.
            " WHERE e.course_id = %s AND e.source = %s AND e.enrolled_at = %s",
            [str(course.pk), course.title[:254], course.get_absolute_url(),
             json.dumps({"source": source, "rule": rule.pk}), course.pk, source, now],
        )  # fmt: skip
    return max(added, 0)


def apply_rule(rule: EnrolmentRule, user_ids: Iterable[int] | None = None) -> int:
    """Enrol everyone the rule reaches who is not enrolled yet; returns how many."""
    if not rule.is_active:
        return 0
    due_at = timezone.now() + timedelta(days=rule.due_in_days) if rule.due_in_days else None
    people = _people(rule, user_ids)
    with transaction.atomic():
        if rule.course_id:
            course = Course.objects.get(pk=rule.course_id)
            if course.status != Status.PUBLISHED or course.published_version_id is None:
                return 0
            added = _insert_enrolments(course, people, rule, Source.RULE, due_at)
        else:
            assert rule.path_id is not None
            path = LearningPath.objects.get(pk=rule.path_id)
            if path.status != Status.PUBLISHED:
                return 0
            newcomers = people.exclude(
                Exists(PathEnrolment.objects.filter(user=OuterRef("pk"), path=path))
            )
            sql, params = newcomers.values("pk").query.sql_with_params()
            now = timezone.now()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {PathEnrolment._meta.db_table} (user_id, path_id, source, rule_id, due_at, enrolled_at)"  # noqa: S608
                    f" SELECT c.pk, %s, %s, %s, %s, %s FROM ({sql}) c WHERE 1 = 1 ON CONFLICT DO NOTHING",
                    [path.pk, Source.RULE, rule.pk, due_at, now, *params],
                )  # fmt: skip
                added = max(cursor.rowcount, 0)
            on_path = people.filter(path_enrolments__path=path, path_enrolments__rule=rule)
            for step in path.steps.select_related("course", "certification"):
                courses = (
                    [step.course]
                    if step.course
                    else list(step.certification.courses.all())
                    if step.certification
                    else []
                )
                for course in courses:
                    if course.published_version_id is not None:
                        _insert_enrolments(course, on_path, rule, Source.PATH, due_at, path)
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


def waiting_for(rule: EnrolmentRule) -> dict[str, int] | None:
    """How many partner people an active rule reaches, and how many of them it has not
    enrolled yet (None for a rule switched off)."""
    if not rule.is_active:
        return None
    reached = users_reached(rule.audience).filter(partner__isnull=False)
    enrolled: Any
    if rule.course_id:
        enrolled = Enrolment.objects.filter(course_id=rule.course_id, is_current=True).values(
            "user_id"
        )
    else:
        enrolled = (
            rule.path.enrolments.values("user_id")
            if rule.path
            else Enrolment.objects.none().values("user_id")
        )
    return {"reached": reached.count(), "not_enrolled": reached.exclude(pk__in=enrolled).count()}


def people_changed(user_ids: Iterable[int]) -> None:
    """Call inside an action's transaction: rules are applied for these people after commit."""
    ids = sorted({pk for pk in user_ids if pk})
    if ids:
        transaction.on_commit(lambda: apply_rules_for_people.enqueue(ids))
