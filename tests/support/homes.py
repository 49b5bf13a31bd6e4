"""Builders for home test data: a team with gaps to act on. Used by the home tests and the
browser tests of each persona's home."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.support.alignment import make_request
from tests.support.courses import make_certification, make_course
from touchpoint.courses import actions as course_actions
from touchpoint.credentials.models import Credential, CredentialStatus
from touchpoint.orgs.models import PartnerApplication, ProgramTerms


def team_with_gaps(p: Any) -> Any:
    """Alder Creek's team has a course overdue (Bob), one due soon (Hannah) and a
    certification running out (Hannah); a dealer in Dana's region applied to join, and Alice
    asked for a course. Birchwood, Dana's too, is fine."""
    now = timezone.now()
    overdue = course_actions.enrol(
        p.bob, make_course(p.mia, "Zero-turn safety"), actor=p.alice, source="assigned"
    )
    overdue.due_at = now - timedelta(days=2)  # assigned with a date since passed
    overdue.save(update_fields=["due_at"])
    course_actions.enrol(
        p.hannah, make_course(p.mia, "Hydro service"), actor=p.alice, source="assigned",
        due_at=now + timedelta(days=5),
    )  # fmt: skip
    Credential.objects.create(
        user=p.hannah, certification=make_certification(), status=CredentialStatus.ACTIVE,
        issued_at=now - timedelta(days=700), expires_at=now + timedelta(days=20),
        expiring_from=now - timedelta(days=10),
    )  # fmt: skip
    terms = ProgramTerms.objects.create(version="2026.1", title="Terms", body="<p>x</p>")
    PartnerApplication.objects.create(
        company_name="Quarry Hill", kind="dealer", country="US", contact_name="Rosa",
        contact_email="rosa@quarry.example", terms=terms, region=p.regions["nae"],
    )  # fmt: skip
    make_request(p.alice, "Hydro course in Spanish")
    return p
