"""What other apps do when people change: the registry orgs calls, filled by higher layers.

Someone joined, changed job role or location, or their company changed tier or region:
orgs calls `people_changed(ids)` inside the action's transaction, and each registered hook
(auto-enrolment rules, for one) decides what that means for it, usually after commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from touchpoint.kernel.registry import Registry

people_changed_hooks: Registry[Callable[[list[int]], None]] = Registry(
    "react to people joining or changing role, location, tier or region"
)


def people_changed(user_ids: Iterable[int]) -> None:
    ids = sorted({pk for pk in user_ids if pk})
    if ids:
        for hook in people_changed_hooks:
            hook(ids)
