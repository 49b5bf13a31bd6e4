"""What higher layers add to organisations and people, registered in their ready():

- people_changed_hooks: someone joined, changed job role or location, or their company
  changed tier or region. orgs calls `people_changed(ids)` inside the action's transaction,
  and each hook (auto-enrolment rules, for one) decides what that means, usually after
  commit.
- derived_roles: roles a person holds through another app's records (moderating a forum
  category). Each returns a flat values_list of role names for one person; orgs folds them
  into the one query behind `User.roles_held`, so predicates and the menu see them for free.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from touchpoint.kernel.registry import Registry

people_changed_hooks: Registry[Callable[[list[int]], None]] = Registry(
    "react to people joining or changing role, location, tier or region"
)


def people_changed(user_ids: Iterable[int]) -> None:
    ids = sorted({pk for pk in user_ids if pk})
    if ids:
        for hook in people_changed_hooks:
            hook(ids)


derived_roles: Registry[Callable[[Any], Any]] = Registry(
    "roles a person holds through another app's records"
)
