"""Launch campaigns at work: running their steps when due, the feature tour a person sees
once, and launch incentives detected set-based from existing data and recorded as activity
events for the Motivation app. (Building campaigns and a person's part in a tour are
writes in comms.actions.)

Incentives (each recorded once per person per campaign step, while the step is active):
- first sign-in: the person has signed in since the step started (`last_login`);
- profile completed: name, job title and job role filled in;
- first course completed: a course completed since the step started.
Each award is an `IncentiveAward` row plus an activity event: verb "earned", object
`comms.campaign` <campaign id>, extra {"incentive": code, "points": n, "step": id}.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from touchpoint.comms.deliveries import _stamp
from touchpoint.comms.models import (
    AnnouncementState,
    Campaign,
    CampaignStep,
    Delivery,
    Incentive,
    IncentiveAward,
    StepKind,
    StepProgress,
)
from touchpoint.kernel import audit
from touchpoint.kernel.emails import send_many
from touchpoint.kernel.html import as_text
from touchpoint.kernel.models import ActivityEvent
from touchpoint.orgs.audience import for_user_q, users_reached
from touchpoint.orgs.models import User

RUN_EVERY = timedelta(minutes=5)


# --- running -----------------------------------------------------------------------------------
def _insert_progress(step: CampaignStep, people: QuerySet[User], now: datetime) -> int:
    sql, params = people.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {StepProgress._meta.db_table} (step_id, user_id, reached_at)"  # noqa: S608
            f" SELECT %s, c.pk, %s FROM ({sql}) c WHERE 1 = 1 ON CONFLICT DO NOTHING",
            [step.pk, _stamp(now), *params],
        )
        return max(cursor.rowcount, 0)


def send_email_step(step: CampaignStep) -> int:
    """Email everyone the campaign reaches (once each: a progress row per person first)."""
    now = timezone.now()
    _insert_progress(step, users_reached(step.campaign.audience), now)
    owed = (
        # The step starts once (under a row lock), so all its rows are this sending's.
        StepProgress.objects.filter(step=step, user__is_active=True)
        .order_by("pk")
        .values_list("pk", "user__email", "user__language")
    )
    return send_many(
        owed.iterator(chunk_size=2000),
        "campaign_email",
        {"step": step, "text": as_text(step.body)},
        lambda ids: None,
    )


def start_due_steps(now: datetime | None = None) -> int:
    """Steps whose time has come start: emails are sent, tours and incentives become
    active. Teasers are published by the announcement publisher; here they are marked."""
    now = now or timezone.now()
    started = 0
    for candidate in CampaignStep.objects.filter(started_at__isnull=True, run_at__lte=now):
        with transaction.atomic():
            step = (
                CampaignStep.objects.select_for_update(of=("self",))
                .select_related("campaign__audience", "announcement")
                .filter(pk=candidate.pk, started_at__isnull=True)
                .first()
            )
            if step is None:
                continue
            teaser = step.announcement if step.kind == StepKind.TEASER else None
            if step.kind == StepKind.TEASER and (
                teaser is None or teaser.state != AnnouncementState.PUBLISHED
            ):
                continue  # not out yet (or held back); looked at again next run
            step.started_at = now
            step.reached = users_reached(step.campaign.audience).count()
            step.save(update_fields=["started_at", "reached"])
            forget_tours()
            audit.record("campaigns", "campaign.step_started", step.campaign,
                         after={"step": step.title, "kind": step.kind})  # fmt: skip
        if step.kind == StepKind.EMAIL:
            send_email_step(step)
        started += 1
    return started


def _profile_complete() -> Q:
    return ~Q(name="") & ~Q(title="") & Q(job_role__isnull=False)


def _achievers(step: CampaignStep, incentive: str) -> QuerySet[User]:
    assert step.started_at is not None
    people = users_reached(step.campaign.audience).filter(partner__isnull=False)
    if incentive == Incentive.FIRST_SIGN_IN:
        return people.filter(last_login__gte=step.started_at)
    if incentive == Incentive.PROFILE:
        return people.filter(_profile_complete())
    from touchpoint.courses.models import Enrolment

    completed = Enrolment.objects.filter(user=OuterRef("pk"), completed_at__gte=step.started_at)
    return people.filter(Exists(completed))


def _json_sql() -> str:
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def _uuid_sql() -> str:
    return (
        "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"
    )


def award_incentives(step: CampaignStep, now: datetime | None = None) -> int:
    """Record the incentives people achieved since the last run: one INSERT … SELECT per
    incentive, and their activity events in a second; returns how many were awarded."""
    now = now or timezone.now()
    awarded = 0
    awards, events, users = (
        IncentiveAward._meta.db_table, ActivityEvent._meta.db_table, User._meta.db_table,
    )  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        for incentive, points in step.points().items():
            if not points:
                continue
            people = _achievers(step, incentive).exclude(
                Exists(
                    IncentiveAward.objects.filter(
                        step=step, user=OuterRef("pk"), incentive=incentive
                    )
                )
            )
            sql, params = people.order_by().values("pk").query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {awards} (step_id, user_id, incentive, points, achieved_at)"  # noqa: S608
                f" SELECT %s, c.pk, %s, %s, %s FROM ({sql}) c WHERE 1 = 1 ON CONFLICT DO NOTHING",
                [step.pk, incentive, points, _stamp(now), *params],
            )
            added = max(cursor.rowcount, 0)
            if not added:
                continue
            awarded += added
            campaign = step.campaign
            cursor.execute(
                f"INSERT INTO {events} (statement_id, timestamp, actor_id, verb, object_type, object_id,"  # noqa: S608
                " object_name, object_url, partner_id, extra)"
                f" SELECT {_uuid_sql()}, a.achieved_at, a.user_id, 'earned', 'comms.campaign', %s, %s, '',"
                f" u.partner_id, {_json_sql()} FROM {awards} a JOIN {users} u ON u.id = a.user_id"
                " WHERE a.step_id = %s AND a.incentive = %s AND a.achieved_at = %s",
                [str(campaign.pk), campaign.name[:254],
                 json.dumps({"incentive": str(incentive), "points": points, "step": step.pk}),
                 step.pk, incentive, _stamp(now)],
            )  # fmt: skip
    return awarded


def update_email_actions(now: datetime | None = None) -> int:
    """An email "acted" when its recipient signed in after it: one UPDATE per run."""
    user = User.objects.filter(pk=OuterRef("user_id"), last_login__gt=OuterRef("reached_at"))
    return (
        StepProgress.objects.filter(step__kind=StepKind.EMAIL, acted_at__isnull=True)
        .filter(Exists(user))
        .update(acted_at=now or timezone.now())
    )


# --- the feature tour --------------------------------------------------------------------------
TOURS_CACHE_KEY = "comms:tour-windows"


def forget_tours() -> None:
    # Now, and again once committed (a home load in between may have cached the old state).
    cache.delete(TOURS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(TOURS_CACHE_KEY))


def tour_windows() -> list[tuple[datetime, datetime | None]]:
    """(start, end) of every started tour, cached: most home loads, when no tour is on,
    then cost no query. Cleared when a step is saved, started or removed."""
    windows = cache.get(TOURS_CACHE_KEY)
    if windows is None:
        windows = list(
            CampaignStep.objects.filter(kind=StepKind.TOUR, started_at__isnull=False)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now()))
            .values_list("started_at", "ends_at")
        )
        cache.set(TOURS_CACHE_KEY, windows, 300)
    return windows


def tour_for(user: User, now: datetime | None = None) -> CampaignStep | None:
    """The active tour meant for this person that they have not closed yet (one query).
    It shows on home from their first visit until they dismiss or finish it, then never again."""
    if not user.is_authenticated or user.is_vendor:
        return None
    now = now or timezone.now()
    if not any(end is None or end > now for _start, end in tour_windows()):
        return None
    seen = StepProgress.objects.filter(step=OuterRef("pk"), user=user, closed_at__isnull=False)
    return (
        CampaignStep.objects.running(StepKind.TOUR, now)
        .filter(for_user_q(user, "campaign__audience"))
        .exclude(Exists(seen))
        .in_language()
        .order_by("run_at", "pk")
        .first()
    )


# --- the timeline ------------------------------------------------------------------------------
def step_figures(campaign: Campaign) -> dict[int, dict[str, int]]:
    """Per step: reached and acted (and per incentive), from three grouped queries."""
    figures: dict[int, dict[str, Any]] = {}
    row: Any
    steps = list(campaign.steps.all())
    teasers = {s.announcement_id: s.pk for s in steps if s.announcement_id}
    for row in (
        Delivery.objects.filter(announcement_id__in=list(teasers))
        .values("announcement_id")
        .annotate(
            reached=Count("pk"),
            read=Count("pk", filter=Q(read_at__isnull=False)),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        )
        .order_by()
    ):
        figures[teasers[row["announcement_id"]]] = row
    for row in (
        StepProgress.objects.filter(step__campaign=campaign)
        .values("step_id")
        .annotate(reached=Count("pk"), acted=Count("pk", filter=Q(acted_at__isnull=False)))
        .order_by()
    ):
        figures[row["step_id"]] = row
    for row in (
        IncentiveAward.objects.filter(step__campaign=campaign)
        .values("step_id", "incentive")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        entry = figures.setdefault(row["step_id"], {"acted": 0})
        entry[row["incentive"]] = row["n"]
        entry["acted"] = entry.get("acted", 0) + row["n"]
    return figures
