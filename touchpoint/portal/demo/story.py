"""The story's calendar. The demo is made through the actions, which stamp everything with
the time they run; a story needs a past (Pat published the first terms eleven months ago,
Hannah's certificate was earned two years ago), so after an action has made a record, the
one date that tells its history is moved back here. Only dates: every rule, audit entry,
rollup and notification came from the action itself.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def backdate(target: models.Model | models.QuerySet[Any], **dates: Any) -> None:
    """Move the named date fields of a record (or of every row of a QuerySet) to the past."""
    if isinstance(target, models.QuerySet):
        rows = target
    else:
        rows = type(target)._default_manager.filter(pk=target.pk)
    rows.update(**dates)
    if isinstance(target, models.Model):
        for name, value in dates.items():
            setattr(target, name, value)
