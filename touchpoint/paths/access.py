"""Who may see which learning paths."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from touchpoint.courses.access import is_author
from touchpoint.courses.models import Status
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import User
from touchpoint.paths.models import LearningPath


def paths_visible_to(user: User) -> QuerySet[LearningPath]:
    if not user.is_authenticated or not user.is_active:
        return LearningPath.objects.none()
    mine = user.path_enrolments.values("path_id")
    paths = LearningPath.objects.filter(
        (Q(status=Status.PUBLISHED) & for_user_q(user)) | Q(pk__in=mine)
    )
    if is_author(user):
        paths = LearningPath.objects.all()
    return paths.distinct()
