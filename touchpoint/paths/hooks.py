"""The paths app's part in the apps below it: path progress when a course is completed, the
lock on a course whose earlier path steps are unfinished, panels on the catalog, my learning
and the authors' dashboard, and auto-enrolment for people who change."""

from __future__ import annotations

from django.db.models import Count

from touchpoint.courses import hooks as courses
from touchpoint.courses.access import can_author_courses
from touchpoint.courses.models import Status
from touchpoint.kernel.panels import Panel
from touchpoint.orgs.hooks import people_changed_hooks
from touchpoint.orgs.models import User
from touchpoint.paths import actions, rules
from touchpoint.paths.models import EnrolmentRule, LearningPath, PathEnrolment
from touchpoint.paths.progress import locked_by_path

courses.course_completed.register(actions.course_completed)
courses.course_locks.register(locked_by_path)
people_changed_hooks.register(rules.people_changed)


@courses.panels["catalog"].register
def catalog_paths(user: User) -> Panel | None:
    paths = list(LearningPath.objects.visible_to(user).filter(status=Status.PUBLISHED)[:12])
    return Panel("paths/_catalog_paths.html", {"paths": paths}) if paths else None


@courses.panels["my_learning"].register
def my_paths(user: User) -> Panel | None:
    enrolments = list(PathEnrolment.objects.filter(user=user).select_related("path"))
    return Panel("paths/_my_paths.html", {"paths": enrolments}) if enrolments else None


@courses.panels["manage"].register
def manage_paths(user: User) -> Panel | None:
    if not can_author_courses(user):
        return None
    return Panel(
        "paths/_manage_paths.html",
        {
            "paths": LearningPath.objects.annotate(n=Count("enrolments")).order_by("title"),
            "rules": EnrolmentRule.objects.select_related("course", "path", "audience").order_by(
                "name"
            ),
        },
    )
