"""Housekeeping keeps the library current: scheduled items go live, expired ones are
archived, owners hear once about items that need them; content health and launch readiness
show where things stand."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.support.courses import make_certification, make_course
from tests.support.library import make_asset, make_section
from touchpoint.courses.models import Course
from touchpoint.kernel.models import Notification
from touchpoint.library import actions, health
from touchpoint.library.models import Asset, AssetState
from touchpoint.library.readiness import Fact, Readiness, build_readiness, contribute
from touchpoint.library.tasks import notify_content_owners, run_housekeeping
from touchpoint.search.models import Entry

DAY = timedelta(days=1)


def test_it_publishes_scheduled_items_and_archives_expired_ones(personas):
    p = personas
    now = timezone.now()
    scheduled = make_asset(p.pat, "Summer campaign", publish=False)
    actions.publish_asset(p.pat, scheduled, now + timedelta(hours=1))
    expiring = make_asset(p.pat, "Spring price list", expires_at=now + timedelta(hours=2))
    later = make_asset(p.pat, "Autumn campaign", publish=False)
    actions.publish_asset(p.pat, later, now + DAY * 5)

    # Nothing is due yet.
    assert run_housekeeping.call() == {"published": 0, "expired": 0}
    Asset.objects.filter(pk=scheduled.pk).update(publish_at=now - timedelta(minutes=1))
    Asset.objects.filter(pk=expiring.pk).update(expires_at=now - timedelta(minutes=1))
    assert run_housekeeping.call() == {"published": 1, "expired": 1}

    scheduled.refresh_from_db()
    expiring.refresh_from_db()
    assert scheduled.state == AssetState.PUBLISHED and scheduled.content_updated_at is not None
    assert expiring.state == AssetState.ARCHIVED and expiring.archived_at is not None
    assert Asset.objects.get(pk=later.pk).state == AssetState.SCHEDULED
    assert Entry.objects.filter(object_id=str(scheduled.pk)).exists()
    assert not Entry.objects.filter(object_id=str(expiring.pk)).exists()
    assert p.client(p.bob).get(f"/library/assets/{scheduled.pk}/").status_code == 200
    assert p.client(p.bob).get(f"/library/assets/{expiring.pk}/").status_code == 404


def test_the_worker_runs_housekeeping_on_its_schedule(personas, run_worker):
    from touchpoint.kernel.scheduler import JOBS, enqueue_due_jobs

    assert "touchpoint.library.tasks.run_housekeeping" in JOBS
    assert JOBS["touchpoint.library.tasks.run_housekeeping"].every == timedelta(minutes=15)
    asset = make_asset(personas.pat, "Due now", publish=False)
    actions.publish_asset(personas.pat, asset, timezone.now() + timedelta(minutes=5))
    Asset.objects.filter(pk=asset.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    enqueue_due_jobs()
    run_worker()
    assert Asset.objects.get(pk=asset.pk).state == AssetState.PUBLISHED


def test_it_tells_each_owner_once_in_one_grouped_notification(personas, on_commit):
    p = personas
    now = timezone.now()
    today = timezone.localdate()
    section = make_section(p.pat, "Service")
    overdue = make_asset(p.pat, "Overdue guide", section=section, review_by=today - DAY * 3)
    make_asset(p.pat, "Expiring bulletin", section=section, expires_at=now + DAY * 5)
    unused = make_asset(p.pat, "Dusty chart", section=section)
    Asset.objects.filter(pk=unused.pk).update(published_at=now - DAY * 200)
    make_asset(p.mia, "Mia's overdue deck", section=section, owner=p.mia, review_by=today - DAY)
    make_asset(p.pat, "Fine", section=section, review_by=today + DAY * 30)

    with on_commit():
        assert notify_content_owners.call() == 2
    pats = Notification.objects.get(recipient=p.pat, kind="content")
    assert pats.title == "3 library items need your attention"
    assert (
        "Overdue guide (review was due" in pats.body and "Expiring bulletin (expires" in pats.body
    )
    assert "Dusty chart (never opened)" in pats.body and "Fine" not in pats.body
    assert pats.url == f"/library/health/?owner={p.pat.pk}"
    assert Notification.objects.get(recipient=p.mia).title == "1 library item needs your attention"

    # The next day: nothing new, so nothing is sent again.
    with on_commit():
        assert notify_content_owners.call() == 0
    assert Notification.objects.filter(kind="content").count() == 2

    # Extended, then overdue again later: a new review date is a new problem.
    actions.extend_review(p.pat, overdue)
    Asset.objects.filter(pk=overdue.pk).update(review_by=today - DAY)
    with on_commit():
        assert notify_content_owners.call() == 1
    assert "Overdue guide" in Notification.objects.filter(recipient=p.pat).latest("pk").body


def test_it_counts_content_health_per_section_and_owner(personas):
    p = personas
    now = timezone.now()
    today = timezone.localdate()
    service = make_section(p.pat, "Service")
    sales = make_section(p.mia, "Sales")
    make_asset(p.pat, "Current", section=service, review_by=today + DAY * 90)
    make_asset(p.pat, "Due", section=service, review_by=today - DAY * 10)
    make_asset(p.pat, "Stale", section=service, review_by=today - DAY * 120)
    old = make_asset(p.mia, "Old content", section=sales, owner=p.mia)
    Asset.objects.filter(pk=old.pk).update(content_updated_at=now - DAY * 400)
    make_asset(p.mia, "Expiring", section=sales, owner=p.mia, expires_at=now + DAY * 3)
    unused = make_asset(p.mia, "Unused", section=sales, owner=p.mia)
    Asset.objects.filter(pk=unused.pk).update(
        published_at=now - DAY * 200, last_opened_at=now - DAY * 190
    )
    actions.archive_asset(p.pat, make_asset(p.pat, "Archived", section=service))
    make_asset(p.pat, "Draft is not counted", section=service, publish=False)

    rows = {r.label: r.counts for r in health.by_section(Asset.objects.all())}
    assert rows == {
        "Sales": {"stale": 1, "expiring": 1, "unused": 1},
        "Service": {"current": 1, "due": 1, "stale": 1, "archived": 1},
    }
    owners = {r.label: r.problems for r in health.by_owner(Asset.objects.all())}
    assert owners == {"Mia Chen": 3, "Pat Quinn": 2}
    titles = [a.title for a in health.problems(Asset.objects.all())]
    assert titles[:2] == ["Stale", "Due"]  # oldest review date first

    page = p.client(p.pat).get("/library/health/")
    assert page.status_code == 200
    assert page.context["totals"]["stale"] == 2
    filtered = p.client(p.pat).get(f"/library/health/?section={sales.pk}&status=unused")
    assert [a.title for a in filtered.context["page"]] == ["Unused"]


def test_a_content_owner_sees_the_health_of_their_own_items_only(personas):
    p = personas
    today = timezone.localdate()
    make_asset(
        p.pat, "Pat's overdue", section=make_section(p.pat, "Service"), review_by=today - DAY
    )
    make_asset(p.mia, "Mia's overdue", section=make_section(p.mia, "Sales"), review_by=today - DAY)
    page = p.client(p.mia).get("/library/health/")
    assert [a.title for a in page.context["page"]] == ["Mia's overdue"]
    assert p.client(p.bob).get("/library/health/").status_code == 403
    assert p.client(p.dana).get("/library/health/").status_code == 403
    home = p.client(p.mia).get("/").content.decode()
    assert "1 library item needs review" in home


def test_still_current_extends_the_review_date_in_one_click(personas):
    p = personas
    today = timezone.localdate()
    asset = make_asset(p.pat, "Overdue guide", review_by=today - DAY * 10)
    client = p.client(p.pat)

    row = client.post(
        f"/library/manage/assets/{asset.pk}/extend-review/", headers={"HX-Request": "true"}
    )
    assert row.status_code == 200 and "Still current; next review by" in row.content.decode()
    asset.refresh_from_db()
    assert asset.review_by == actions.add_months(today, 6)

    # Without JavaScript: back to the health page it came from.
    back = client.post(
        f"/library/manage/assets/{asset.pk}/extend-review/", {"next": "/library/health/?status=due"}
    )
    assert back["Location"] == "/library/health/?status=due"
    asset.refresh_from_db()
    assert asset.review_by == actions.add_months(actions.add_months(today, 6), 6)


def test_still_current_also_clears_stale_content_that_has_not_changed_in_a_year(personas):
    p = personas
    old = make_asset(p.pat, "Serial number plate", review_by=timezone.localdate() + DAY * 10)
    Asset.objects.filter(pk=old.pk).update(content_updated_at=timezone.now() - DAY * 400)

    def status() -> str:
        return health.with_health(Asset.objects.filter(pk=old.pk)).values_list("health", flat=True)[
            0
        ]

    assert status() == "stale"
    actions.extend_review(p.pat, old)
    assert status() == "current"
    # Partners do not see it as "updated": only new content does that.
    assert Asset.objects.get(pk=old.pk).content_updated_at < timezone.now() - DAY * 399


def test_archive_from_content_health_keeps_the_item(personas):
    p = personas
    asset = make_asset(p.pat, "Dusty chart")
    row = p.client(p.pat).post(
        f"/library/manage/assets/{asset.pk}/archive/", headers={"HX-Request": "true"}
    )
    assert "Archived." in row.content.decode()
    assert Asset.objects.get(pk=asset.pk).state == AssetState.ARCHIVED


def test_the_health_view_keeps_its_query_budget(personas, django_assert_max_num_queries):
    p = personas
    today = timezone.localdate()
    for name in ("Service", "Sales", "Parts"):
        section = make_section(p.pat, name)
        for n in range(6):
            make_asset(p.pat, f"{name} {n}", section=section, review_by=today - DAY * (n * 40))
    client = p.client(p.pat)
    client.get("/library/health/")
    with django_assert_max_num_queries(10):
        assert client.get("/library/health/").status_code == 200


def test_launch_readiness_shows_what_each_section_is_missing(personas):
    p = personas
    today = timezone.localdate()
    service = make_section(p.pat, "Service")
    make_section(p.mia, "Finance")
    for n in range(5):
        make_asset(p.pat, f"Guide {n}", section=service, review_by=today + DAY * 30)
    make_asset(p.pat, "Overdue", section=service, review_by=today - DAY)
    course = make_course(p.mia, "X200 service fundamentals")
    Course.objects.filter(pk=course.pk).update(section=service)
    make_certification("X200 Certified Service Technician", [course])

    readiness = build_readiness()
    by_name = {row.section.name: row for row in readiness.sections}
    facts = {str(f.label): f.value for f in by_name["Service"].facts}
    assert facts["Published items"] == 6 and facts["Published courses"] == 1
    assert facts["Certifications"] == 1
    assert [str(m) for m in by_name["Service"].missing] == [
        "1 published item is past its review date."
    ]
    assert "Nothing is published yet." in [str(m) for m in by_name["Finance"].missing]

    page = p.client(p.pat).get("/library/readiness/")
    assert page.status_code == 200 and "Not ready" in page.content.decode()
    assert p.client(p.mia).get("/library/readiness/").status_code == 403


def test_other_apps_add_their_facts_to_launch_readiness(personas, monkeypatch):
    from touchpoint.library import readiness as module

    monkeypatch.setattr(module, "CONTRIBUTORS", [])

    @contribute
    def launcher(readiness: Readiness) -> None:
        readiness.channel.append(Fact("Launcher links", 0, ok=False))
        readiness.channel_missing.append("No links to partners' other systems yet.")

    page = personas.client(personas.pat).get("/library/readiness/").content.decode()
    assert "Launcher links" in page and "No links to partners" in page
