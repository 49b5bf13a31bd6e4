"""A person's certifications as "My certifications" shows them: the credentials they hold
with what is left to do, and the published certifications meant for them that they have not
started."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from touchpoint.courses.models import Course, Enrolment, EnrolmentStatus, Status
from touchpoint.credentials.models import Certification, Credential, CredentialState
from touchpoint.orgs.audience import audiences_for, for_user_q
from touchpoint.orgs.models import User

S = CredentialState


@dataclass
class CourseStep:
    course: Course
    done: bool


@dataclass
class CredentialRow:
    """One of a person's credentials on "My certifications", with what is left to do."""

    credential: Credential
    state: str
    label: str
    steps: list[CourseStep] = field(default_factory=list)
    renewing: bool = False


@dataclass
class CertificationToEarn:
    certification: Certification
    steps: list[CourseStep]


@dataclass
class MyCertifications:
    rows: list[CredentialRow]
    to_earn: list[CertificationToEarn]


def _completions(user: User) -> dict[int, datetime]:
    """When the person last completed each course (one query)."""
    latest: dict[int, datetime] = {}
    rows = Enrolment.objects.filter(
        user=user, status=EnrolmentStatus.COMPLETED, completed_at__isnull=False
    ).values_list("course_id", "completed_at")
    for course_id, completed_at in rows:
        if completed_at is None:
            continue
        if course_id not in latest or completed_at > latest[course_id]:
            latest[course_id] = completed_at
    return latest


def _steps(
    courses: Iterable[Course], completions: dict[int, datetime], since: datetime | None = None
) -> list[CourseStep]:
    return [
        CourseStep(c, c.pk in completions and (since is None or completions[c.pk] >= since))
        for c in courses
    ]


def _required(certification: Certification, renewing: bool) -> list[Course]:
    """The courses that count, from prefetched lists (the same rule as
    `credentials.actions.requirements`: recertification courses, or the original ones when none)."""
    recert = list(certification.recert_courses.all()) if renewing else []
    return recert or list(certification.courses.all())


def my_certifications(user: User) -> MyCertifications:
    """A person's current credentials with what is left to do, and the published
    certifications meant for them that they have not started."""
    now = timezone.now()
    completions = _completions(user)
    current = list(
        Credential.objects.filter(user=user, is_current=True)
        .select_related("certification")
        .prefetch_related("certification__courses", "certification__recert_courses")
        .order_by("certification__name")
    )
    rows = []
    for credential in current:
        state = credential.state(now)
        renewing = state in (S.ACTIVE, S.EXPIRING) and credential.renewal_opened_at is not None
        row = CredentialRow(credential, state, str(S(state).label), renewing=renewing)
        if state == S.IN_PROGRESS:
            row.steps = _steps(_required(credential.certification, False), completions)
        elif renewing:
            row.steps = _steps(
                _required(credential.certification, True),
                completions,
                since=credential.renewal_opened_at,
            )
        rows.append(row)
    # Staff are reached by audiences only through groups; "no audience" means every
    # partner person, not them.
    meant_for = Q(audience__in=audiences_for(user)) if user.is_vendor else for_user_q(user)
    candidates = (
        Certification.objects.filter(meant_for, status=Status.PUBLISHED)
        .exclude(pk__in=[c.certification_id for c in current])
        .prefetch_related("courses")
        .order_by("name")
    )
    to_earn = [CertificationToEarn(c, _steps(c.courses.all(), completions)) for c in candidates]
    return MyCertifications(rows, to_earn)
