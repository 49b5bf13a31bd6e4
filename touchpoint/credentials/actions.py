"""Writes for certifications: saving a certification, a credential under way when a required
course starts, awarded or renewed when the courses are complete, granted by a trainer,
revoked with a reason. Each issued credential takes its index in a revocation status list.

Awarding is idempotent and race-safe: the current credential row is locked while it
changes, and a unique constraint holds one current credential per person.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from touchpoint.courses.access import people_assignable_by
from touchpoint.courses.models import Course, Enrolment, EnrolmentStatus, Status
from touchpoint.credentials.models import (
    Certification,
    Credential,
    CredentialState,
    CredentialStatus,
    StatusList,
)
from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.kernel.notifications import notify
from touchpoint.orgs.models import User

# --- certifications ----------------------------------------------------------------------------
CERTIFICATION_FIELDS = (
    "name",
    "description",
    "status",
    "audience",
    "courses",
    "recert_courses",
    "validity_months",
    "recert_window_days",
    "reminder_days",
)


@transaction.atomic
def save_certification(
    actor: User,
    certification: Certification,
    *,
    courses: Iterable[Course],
    recert_courses: Iterable[Course],
    before: dict[str, Any] | None = None,
) -> Certification:
    """Create or update a certification with its courses, and write the audit entry."""
    creating = certification.pk is None
    certification.full_clean()
    certification.save()
    certification.courses.set(list(courses))
    certification.recert_courses.set(list(recert_courses))
    after = audit.snapshot(certification, CERTIFICATION_FIELDS)
    if creating:
        audit.record(actor, "certification.created", certification, after=after)
    elif after != before:
        audit.record(actor, "certification.updated", certification, before=before, after=after)
    return certification


# --- credentials -------------------------------------------------------------------------------
def start_certifications(person: User, course: Course) -> None:
    """Starting a required course puts the certification "in progress" for the person."""
    for certification in Certification.objects.filter(status=Status.PUBLISHED, courses=course):
        if not Credential.objects.filter(
            user=person, certification=certification, is_current=True
        ).exists():
            try:
                with transaction.atomic():
                    Credential.objects.create(user=person, certification=certification)
            except IntegrityError:
                pass  # started at the same moment elsewhere


def requirements(certification: Certification, renewing: bool) -> list[int]:
    courses = list(certification.recert_courses.values_list("pk", flat=True)) if renewing else []
    return courses or list(certification.courses.values_list("pk", flat=True))


@transaction.atomic
def evaluate_certification(person: User, certification: Certification) -> Credential | None:
    """Award (or renew) the certification when the person has completed what it requires
    in the current cycle; otherwise leave things as they are."""
    current = (
        Credential.objects.select_for_update()
        .filter(user=person, certification=certification, is_current=True)
        .first()
    )
    renewing = current is not None and current.status == CredentialStatus.ACTIVE
    if renewing:
        assert current is not None
        if current.renewal_opened_at is None:
            return current  # nothing to renew yet
        since = current.renewal_opened_at
    else:
        since = None
    needed = requirements(certification, renewing)
    if not needed:
        return current
    done = Enrolment.objects.filter(
        user=person, course__in=needed, status=EnrolmentStatus.COMPLETED
    )
    if since is not None:
        done = done.filter(completed_at__gte=since)
    if done.values("course").distinct().count() < len(set(needed)):
        return current
    return _award(person, certification, current)


def _award(
    person: User,
    certification: Certification,
    current: Credential | None,
    *,
    granted_by: User | None = None,
    reason: str = "",
) -> Credential:
    now = timezone.now()
    expires_at = None
    if certification.validity_months:
        # Renewing before expiry keeps the cycle: the new period starts at the old expiry.
        start = (
            current.expires_at
            if current
            and current.expires_at
            and current.expires_at > now
            and current.status == CredentialStatus.ACTIVE
            else now
        )
        expires_at = start + relativedelta(months=certification.validity_months)
    expiring_from = (
        expires_at - timedelta(days=certification.recert_window_days) if expires_at else None
    )
    if current is not None and current.status == CredentialStatus.IN_PROGRESS:
        credential = current
    else:
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        credential = Credential(user=person, certification=certification, renewal_of=current)
    credential.status = CredentialStatus.ACTIVE
    credential.issued_at = now
    credential.expires_at = expires_at
    credential.expiring_from = expiring_from
    credential.granted_by = granted_by
    credential.grant_reason = reason
    credential.reminders_sent = []
    take_status_index(credential)
    credential.save()
    record_event(person, "earned", certification, extra={"credential": credential.pk})
    notify(
        [person],
        "certifications",
        gettext_lazy("You are certified: %(name)s"),
        body=gettext_lazy("Valid until %(date)s.") if expires_at else "",
        params={
            "name": certification.name,
            "date": expires_at.date().isoformat() if expires_at else "",
        },
        url=credential.get_absolute_url(),
    )
    return credential


def take_status_index(credential: Credential) -> None:
    """Give a credential being issued its own index in the open status list (a new list
    when that one is full). The list row is locked while its counter moves, and the unique
    (list, index) constraint stands behind it where the database cannot lock a row."""
    if credential.status_index is not None:
        return
    with transaction.atomic():
        status_list = (
            StatusList.objects.select_for_update()
            .filter(allocated__lt=F("size"))
            .order_by("pk")
            .first()
        ) or StatusList.objects.create()
        StatusList.objects.filter(pk=status_list.pk).update(allocated=F("allocated") + 1)
    credential.status_list = status_list
    credential.status_index = status_list.allocated


@transaction.atomic
def grant(actor: User, person: User, certification: Certification, reason: str) -> Credential:
    """A trainer grants a published certification without the courses (e.g. proven
    elsewhere) to a person in their scope."""
    if certification.status != Status.PUBLISHED:
        raise ValidationError(_("Publish the certification before granting it."))
    if not people_assignable_by(actor).filter(pk=person.pk).exists():
        raise ValidationError({"email": _("You cannot grant certifications to this person.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the certification is granted.")})
    current = (
        Credential.objects.select_for_update()
        .filter(user=person, certification=certification, is_current=True)
        .first()
    )
    if current and current.state() in (CredentialState.ACTIVE, CredentialState.EXPIRING):
        raise ValidationError(_("%(name)s already holds this certification.") % {"name": person})
    credential = _award(person, certification, current, granted_by=actor, reason=reason.strip())
    audit.record(actor, "credential.granted", credential, partner=person.partner,
                 after={"certification": certification.name, "reason": reason.strip()})  # fmt: skip
    return credential


@transaction.atomic
def revoke(actor: User, credential: Credential, reason: str) -> Credential:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the certification is revoked.")})
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.status == CredentialStatus.REVOKED:
        return credential
    credential.status = CredentialStatus.REVOKED
    credential.revoked_at = timezone.now()
    credential.revoked_by = actor
    credential.revoke_reason = reason.strip()
    credential.save()
    audit.record(actor, "credential.revoked", credential, partner=credential.user.partner,
                 after={"reason": credential.revoke_reason})  # fmt: skip
    return credential


def course_completed(enrolment: Enrolment) -> None:
    """A finished course may complete (or renew) the certifications that ask for it."""
    course = enrolment.course
    for certification in Certification.objects.filter(
        Q(courses=course) | Q(recert_courses=course), status=Status.PUBLISHED
    ).distinct():
        evaluate_certification(enrolment.user, certification)
