"""Daily certification jobs: expiry reminders (to the holder and their partner admins) and
opening recertification when a credential enters its renewal window."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks import task

from touchpoint.courses.actions import enrol
from touchpoint.courses.models import Course, Source, Status
from touchpoint.credentials.actions import requirements
from touchpoint.credentials.models import Credential, CredentialStatus
from touchpoint.kernel.notifications import notify
from touchpoint.kernel.scheduler import periodic
from touchpoint.orgs.models import partner_admins_of


@periodic(every=timedelta(days=1))
@task()
def send_certification_reminders() -> int:
    """At each reminder offset before expiry (60, 30, 7 days…), and once when it expires,
    tell the holder and their partner admins."""
    now = timezone.now()
    sent = 0
    horizon = now + timedelta(days=366)
    credentials = Credential.objects.filter(
        is_current=True,
        status=CredentialStatus.ACTIVE,
        expires_at__isnull=False,
        expires_at__lt=horizon,
    ).select_related("certification", "user__partner")
    for credential in credentials.iterator(chunk_size=1000):
        assert credential.expires_at is not None
        days_left = (credential.expires_at - now).days
        due = [
            d
            for d in credential.certification.reminder_offsets
            if days_left <= d and d not in credential.reminders_sent
        ]
        expired = credential.expires_at <= now and 0 not in credential.reminders_sent
        if not due and not expired:
            continue
        holder = credential.user
        params = {"name": credential.certification.name, "person": holder.name or holder.email,
                  "date": credential.expires_at.date().isoformat(), "days": max(days_left, 0)}  # fmt: skip
        if expired:
            title = gettext_lazy("%(name)s has expired")
            others = gettext_lazy("%(person)s's %(name)s has expired")
        else:
            title = gettext_lazy("%(name)s expires in %(days)d days (%(date)s)")
            others = gettext_lazy("%(person)s's %(name)s expires in %(days)d days (%(date)s)")
        with transaction.atomic():
            notify(
                [holder], "certifications", title, params=params, url=credential.get_absolute_url()
            )
            admins = [a for a in partner_admins_of(holder) if a.pk != holder.pk]
            notify(
                admins, "certifications", others, params=params, url="/learn/team/certifications/"
            )
            credential.reminders_sent = sorted(
                set(credential.reminders_sent) | set(due) | ({0} if expired else set())
            )
            credential.save(update_fields=["reminders_sent"])
        sent += 1
    return sent


@periodic(every=timedelta(days=1))
@task()
def open_recertifications() -> int:
    """When a credential enters its renewal window, enrol the holder in the
    recertification courses, due at the expiry date: a course they finished before is
    taken again (a new enrolment; the finished one stays as history), one under way carries
    on with that due date at the latest."""
    now = timezone.now()
    opened = 0
    credentials = Credential.objects.filter(
        is_current=True,
        status=CredentialStatus.ACTIVE,
        renewal_opened_at__isnull=True,
        expiring_from__lte=now,
    ).select_related("certification", "user")
    for credential in credentials.iterator(chunk_size=500):
        with transaction.atomic():
            locked = Credential.objects.select_for_update().get(pk=credential.pk)
            if locked.renewal_opened_at is not None:
                continue
            locked.renewal_opened_at = now
            locked.save(update_fields=["renewal_opened_at"])
            open_courses = (
                Course.objects.filter(pk__in=requirements(credential.certification, True))
                .exclude(status=Status.ARCHIVED)
                .filter(published_version__isnull=False)
                .select_related("published_version")
            )
            for course in open_courses:
                enrol(credential.user, course, source=Source.RECERT,
                      due_at=credential.expires_at, retake=True)  # fmt: skip
            notify(
                [credential.user],
                "certifications",
                gettext_lazy("Time to renew %(name)s"),
                body=gettext_lazy("Complete the recertification by %(date)s to stay certified."),
                params={"name": credential.certification.name,
                        "date": credential.expires_at.date().isoformat() if credential.expires_at else ""},
                url=credential.get_absolute_url(),
            )  # fmt: skip
            opened += 1
    return opened
