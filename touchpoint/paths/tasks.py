"""The paths app's periodic job: the auto-enrolment safety net."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from touchpoint.kernel.scheduler import periodic
from touchpoint.paths.models import EnrolmentRule
from touchpoint.paths.rules import apply_rule


@periodic(every=timedelta(minutes=15))
@task()
def apply_all_rules() -> int:
    """Catches anyone the targeted runs missed (an import, a change in the operator's site)."""
    return sum(apply_rule(rule) for rule in EnrolmentRule.objects.filter(is_active=True))
