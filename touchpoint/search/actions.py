"""Writes of the search app: a submitted search (its activity event, and the count of
searches that found nothing), and closing those."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.kernel.forms import QUERY_MAX_LENGTH
from touchpoint.orgs.models import User
from touchpoint.search.models import Miss


@transaction.atomic
def record_search(
    actor: User, query: str, *, section: int | None, found: int, content_found: int
) -> None:
    """Someone submitted a search: an activity event with how much it found (`found`, the
    directory's partners and people included), and, when no content matched, one more
    count for its wording among the searches that found nothing."""
    record_event(actor, "searched", object_type="search", name=query, extra={"results": found})
    if not content_found:
        _count_miss(query, section)


def _count_miss(query: str, section: int | None = None) -> None:
    """Count a search that found nothing, once per wording (case and spacing aside).
    A wording marked handled that misses again is open again."""
    wording = " ".join(query.lower().split())[:QUERY_MAX_LENGTH]
    if len(wording) < 2:
        return
    now = timezone.now()
    changes = {"count": F("count") + 1, "last_at": now, "handled_at": None, "section_id": section}
    if Miss.objects.filter(query=wording).update(**changes):
        return
    try:
        with transaction.atomic():
            Miss.objects.create(query=wording, first_at=now, last_at=now, section_id=section)
    except IntegrityError:  # two people missed with the same words at the same moment
        Miss.objects.filter(query=wording).update(**changes)


@transaction.atomic
def mark_handled(actor: User, miss: Miss) -> Miss:
    miss.handled_at = timezone.now()
    miss.handled_by = actor
    miss.save(update_fields=["handled_at", "handled_by"])
    audit.record(actor, "search.miss_handled", miss, after={"query": miss.query})
    return miss
