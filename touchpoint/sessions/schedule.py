"""A session's schedule: who may lead one, and what is wrong with the times, place and seats a
trainer gave (shown on the form, and checked again by the actions)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from touchpoint.orgs.models import User
from touchpoint.sessions.models import Session, SessionKind
from touchpoint.sessions.seats import seats_taken


def instructors() -> QuerySet[User]:
    """Vendor staff who can lead a session: active people without a partner holding a role."""
    return (
        User.objects.filter(partner__isnull=True, is_active=True, staffrole__isnull=False)
        .distinct()
        .order_by("name", "email")
    )


def schedule_errors(session: Session, *, original: Session | None = None) -> dict[str, str]:
    """What is wrong with a session's schedule, by field. `original` is the saved session
    when editing: an unchanged start may lie in the past (fixing the notes of a session
    under way), and the seats may not drop below the people already holding one."""
    errors: dict[str, str] = {}
    if session.kind == SessionKind.CLASSROOM and not (session.location or "").strip():
        errors["location"] = _("Say where the classroom session takes place.")
    if session.kind == SessionKind.WEBINAR and not session.join_url:
        errors["join_url"] = _("Add the link people use to join the webinar.")
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    moved = original is None or original.starts_at != session.starts_at
    if session.starts_at and moved and session.starts_at < timezone.now():
        errors["starts_at"] = _("The start is in the past.")
    if session.seats is not None:
        if session.seats < 1:
            errors["seats"] = _("Offer at least one seat.")
        elif original is not None:
            taken = seats_taken(original)
            if session.seats < taken:
                errors["seats"] = ngettext(
                    "%(n)d person already holds a seat: keep at least %(n)d seat.",
                    "%(n)d people already hold a seat: keep at least %(n)d seats.",
                    taken,
                ) % {"n": taken}
    if session.instructor_id and not instructors().filter(pk=session.instructor_id).exists():
        errors["instructor"] = _("Choose a member of the vendor's staff.")
    return errors
