"""How far someone is along a path: which steps are done, and whether a path holds a course
back until its earlier steps are finished."""

from __future__ import annotations

from typing import Any

from touchpoint.courses.models import Enrolment, EnrolmentStatus, Source
from touchpoint.credentials.models import Credential, CredentialStatus
from touchpoint.orgs.models import User
from touchpoint.paths.models import LearningPath, PathEnrolment


def step_done(person: User, step: Any) -> bool:
    if step.course_id:
        return Enrolment.objects.filter(
            user=person, course_id=step.course_id, status=EnrolmentStatus.COMPLETED
        ).exists()
    return Credential.objects.filter(
        user=person,
        certification_id=step.certification_id,
        is_current=True,
        status=CredentialStatus.ACTIVE,
    ).exists()


def locked_by_path(enrolment: Enrolment) -> LearningPath | None:
    """The path that enrolled someone in this course, while its earlier steps are unfinished
    and the course's step asks for them (a course taken outside a path is never locked)."""
    if enrolment.source != Source.PATH or enrolment.source_id is None:
        return None
    path_enrolment = (
        PathEnrolment.objects.select_related("path").filter(pk=enrolment.source_id).first()
    )
    if path_enrolment is None:
        return None
    steps = list(path_enrolment.path.steps.all())
    for index, step in enumerate(steps):
        if step.course_id == enrolment.course_id:
            if step.requires_previous and not all(
                step_done(enrolment.user, s) for s in steps[:index]
            ):
                return path_enrolment.path
            return None
    return None
