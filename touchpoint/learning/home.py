"""Learning's part of a person's home: courses due, courses to continue, certifications."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.home import Home, HomeItem, contribute
from touchpoint.learning.models import Credential, CredentialState, Enrolment, EnrolmentStatus
from touchpoint.orgs.models import User

STATE_TONES = {
    CredentialState.ACTIVE: "ok",
    CredentialState.EXPIRING: "warn",
    CredentialState.EXPIRED: "error",
    CredentialState.REVOKED: "muted",
    CredentialState.IN_PROGRESS: "info",
}


def resume_url(enrolment: Enrolment) -> str:
    if enrolment.last_lesson_key:
        return reverse("learning:lesson", args=[enrolment.course_id, enrolment.last_lesson_key])
    return reverse("learning:course_detail", args=[enrolment.course_id])


@contribute
def learning_home(user: User, home: Home) -> None:
    now = timezone.now()
    # One query for everything open: what is due, and what to continue.
    open_enrolments = list(
        Enrolment.objects.filter(user=user, is_current=True)
        .exclude(status=EnrolmentStatus.COMPLETED)
        .select_related("course")
        .order_by("due_at", "-last_activity_at")[:50]
    )
    due = [e for e in open_enrolments if e.due_at is not None]
    for enrolment in due[:6]:
        overdue = enrolment.due_at is not None and enrolment.due_at < now
        home.due.append(
            HomeItem(
                title=enrolment.course.title,
                url=resume_url(enrolment),
                meta=(_("Overdue, %(percent)d%% done") if overdue else _("%(percent)d%% done"))
                % {"percent": enrolment.progress},
                when=enrolment.due_at,
                when_kind="due",
                tone="error" if overdue else "info",
            )
        )
    started = sorted(
        (e for e in open_enrolments if e.last_activity_at),
        key=lambda e: e.last_activity_at or now,
        reverse=True,
    )
    home.continue_items[:0] = [
        HomeItem(
            title=e.course.title,
            url=resume_url(e),
            meta=_("%(percent)d%% done") % {"percent": e.progress},
            when=e.last_activity_at,
        )
        for e in started[:3]
    ]
    credentials = (
        Credential.objects.filter(user=user, is_current=True)
        .select_related("certification")
        .order_by("expires_at")[:6]
    )
    for credential in credentials:
        state = credential.state(now)
        home.certifications.append(
            HomeItem(
                title=credential.certification.name,
                url=credential.get_absolute_url(),
                meta=CredentialState(state).label,
                when=credential.expires_at,
                when_kind="until",
                tone=STATE_TONES[CredentialState(state)],
            )
        )
