"""The daily courses job: one digest per person about training that is new, due or overdue."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from touchpoint.courses.models import Enrolment, Source
from touchpoint.kernel.notifications import notify
from touchpoint.kernel.scheduler import periodic

SOON = timedelta(days=7)


def _stage(enrolment: Enrolment, now: datetime) -> str | None:
    """The reminder this enrolment is owed now, if any."""
    if enrolment.due_at and enrolment.due_at < now:
        return "overdue" if enrolment.reminder_stage != "overdue" else None
    if enrolment.due_at and enrolment.due_at < now + SOON:
        return "soon" if enrolment.reminder_stage not in ("soon", "overdue") else None
    if (
        enrolment.source in (Source.RULE, Source.PATH, Source.RECERT)
        and not enrolment.reminder_stage
    ):
        return "new"  # assigned in bulk: announced in the digest rather than one by one
    return None


@periodic(every=timedelta(days=1))
@task()
def send_training_digests() -> int:
    """One notification (and email, by preference) per person, listing what is new,
    due within a week, or overdue; each course is mentioned once per stage."""
    now = timezone.now()
    candidates = (
        Enrolment.objects.filter(is_current=True, completed_at__isnull=True, user__is_active=True)
        .filter(
            Q(due_at__lt=now + SOON)
            | Q(reminder_stage="", source__in=[Source.RULE, Source.PATH, Source.RECERT])
        )
        .select_related("course", "user")
        .order_by("user_id", "due_at")
    )
    owed: dict[int, list[tuple[Enrolment, str]]] = defaultdict(list)
    for enrolment in candidates.iterator(chunk_size=2000):
        stage = _stage(enrolment, now)
        if stage:
            owed[enrolment.user_id].append((enrolment, stage))
    for items in owed.values():
        person = items[0][0].user
        with translation.override(person.language):
            lines = []
            for enrolment, stage in items:
                due = enrolment.due_at.date().isoformat() if enrolment.due_at else ""
                label = {
                    "overdue": _("overdue since %(d)s") % {"d": due},
                    "soon": _("due %(d)s") % {"d": due},
                    "new": _("new for you") + (f", {_('due %(d)s') % {'d': due}}" if due else ""),
                }[stage]
                lines.append(f"• {enrolment.course.title} ({label})")
            title = ngettext(
                "%(n)d course needs your attention", "%(n)d courses need your attention", len(items)
            ) % {"n": len(items)}
        with transaction.atomic():
            notify([person], "training", title, body="\n".join(lines), url="/learn/my/")
            for enrolment, stage in items:
                Enrolment.objects.filter(pk=enrolment.pk).update(
                    reminder_stage="overdue"
                    if stage == "overdue"
                    else ("soon" if stage == "soon" else "new")
                )
    return len(owed)
