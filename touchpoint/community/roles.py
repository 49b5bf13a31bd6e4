"""The role community derives for people: a category's listed moderators hold
"category_moderator" among their staff roles, so every predicate and the menu know it
from the one roles query (orgs.hooks.derived_roles)."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, QuerySet, Value

from touchpoint.community.access import CATEGORY_MODERATOR
from touchpoint.community.models import Category
from touchpoint.orgs.hooks import derived_roles


@derived_roles.register
def category_moderator(user: Any) -> QuerySet[Any]:
    moderating: Any = Category.moderators.through.objects.filter(user=user)
    return moderating.annotate(
        role=Value(CATEGORY_MODERATOR, output_field=CharField())
    ).values_list("role", flat=True)
