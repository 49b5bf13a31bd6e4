"""A month of sessions for the calendar page: the weeks of the month (Monday first) with
each day's sessions, and the days that have any, for the list shown on a phone."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from touchpoint.orgs.models import User
from touchpoint.sessions.models import Session


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    sessions: list[Session] = field(default_factory=list)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)

    @property
    def busy_days(self) -> list[Day]:
        return [day for week in self.weeks for day in week if day.in_month and day.sessions]


def month_asked(value: str) -> date:
    """The first of the month asked for as YYYY-MM; this month for anything else."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def month_of_sessions(user: User, first: date) -> Month:
    """The sessions this person may see (not called off) that start in the month, by the
    day they start in the person's time zone, in two queries at most."""
    tz = timezone.get_current_timezone()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start = datetime.combine(weeks[0][0], time.min, tzinfo=tz)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), time.min, tzinfo=tz)
    by_day: dict[date, list[Session]] = defaultdict(list)
    for session in (
        Session.objects.visible_to(user)
        .filter(is_cancelled=False, starts_at__gte=start, starts_at__lt=end)
        .select_related("course")
        .order_by("starts_at")
    ):
        by_day[timezone.localtime(session.starts_at, tz).date()].append(session)
    today = timezone.localdate()
    return Month(
        first,
        [
            [Day(d, d.month == first.month, d == today, by_day.get(d, [])) for d in week]
            for week in weeks
        ],
    )
