"""Background work for organisations: invitation and application emails, and the hourly
headcount refresh."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from touchpoint.kernel.emails import send_templated
from touchpoint.kernel.scheduler import periodic
from touchpoint.orgs import headcounts
from touchpoint.orgs.invitations import invitation_url
from touchpoint.orgs.models import ApplicationStatus, Invitation, PartnerApplication


@task()
def send_invitation(invitation_id: int) -> bool:
    invitation = (
        Invitation.objects.select_related("user__partner", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return False  # resent or revoked before the worker got to it
    person = invitation.user
    # The contact of an approved application hears the channel manager's note with it.
    approved = (
        PartnerApplication.objects.filter(
            partner_id=person.partner_id,
            contact_email__iexact=person.email,
            status=ApplicationStatus.APPROVED,
        ).first()
        if person.partner_id is not None
        else None
    )
    send_templated(
        "invitation",
        person.email,
        person.language,
        {
            "invitation": invitation,
            "person": person,
            "url": invitation_url(invitation),
            "application": approved,
        },
    )
    return True


def _email_applicant(application_id: int, template: str) -> bool:
    application = PartnerApplication.objects.filter(pk=application_id).first()
    if application is None:
        return False
    send_templated(
        template, application.contact_email, application.language, {"application": application}
    )
    return True


@task()
def send_application_received(application_id: int) -> bool:
    """Tell the applicant their application arrived and what happens next."""
    return _email_applicant(application_id, "application_received")


@task()
def send_application_rejection(application_id: int) -> bool:
    return _email_applicant(application_id, "application_rejected")


@task()
def send_invitations(invitation_ids: list[int]) -> int:
    """Email a batch of invitations (imports); returns how many were sent."""
    return sum(send_invitation.call(pk) for pk in invitation_ids)


@periodic(every=timedelta(hours=1))
@task()
def refresh_all_headcounts() -> int:
    """Safety net for changes made outside the actions (e.g. the operator's admin site)."""
    return headcounts.refresh()
