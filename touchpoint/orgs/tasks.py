"""Background email for organisations: invitations and application decisions."""

from __future__ import annotations

from django_tasks import task

from touchpoint.kernel.emails import send_templated
from touchpoint.orgs.headcounts import refresh_all_headcounts  # noqa: F401  (a periodic job)
from touchpoint.orgs.invitations import invitation_url
from touchpoint.orgs.models import Invitation, PartnerApplication


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
    send_templated(
        "invitation",
        person.email,
        person.language,
        {"invitation": invitation, "person": person, "url": invitation_url(invitation)},
    )
    return True


@task()
def send_application_rejection(application_id: int) -> bool:
    application = PartnerApplication.objects.filter(pk=application_id).first()
    if application is None:
        return False
    send_templated(
        "application_rejected",
        application.contact_email,
        application.language,
        {"application": application},
    )
    return True


@task()
def send_invitations(invitation_ids: list[int]) -> int:
    """Email a batch of invitations (imports); returns how many were sent."""
    return sum(send_invitation.call(pk) for pk in invitation_ids)


@task()
def apply_import(batch_id: int) -> str:
    from touchpoint.orgs.importing import apply_batch

    return apply_batch(batch_id).status
