"""L&D requests, as the people involved meet them: a partner or a department asks, the
learning team classifies, assigns and delivers, the requester follows along, and nobody sees
another partner's requests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support.alignment import make_request
from tests.support.courses import make_course
from tests.support.library import make_asset
from touchpoint.alignment import actions
from touchpoint.alignment.models import (
    Deliverable,
    DeliverableKind,
    EntryKind,
    LearningRequest,
    Priority,
    RelationshipType,
    Status,
)
from touchpoint.contextual.models import ContextMapping
from touchpoint.kernel.models import AuditEntry, Notification
from touchpoint.orgs.models import Department

NEW = "/requests/new/"


def future(days: int = 30) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def intake(**overrides: str) -> dict[str, str]:
    return {
        "title": "Extended-warranty sales guide",
        "need": "Reps forget to offer the plan before the price is agreed.",
        "audience": "Sales reps on the showroom floor",
        "job_role": "",
        "business_outcome": "More X200 buyers take the extended warranty.",
        "kpi_metric": "Extended-warranty attach rate",
        "kpi_baseline": "18",
        "kpi_target": "25",
        "kpi_unit": "%",
        "kpi_by": future(200),
        "deadline": future(45),
        **overrides,
    }


def triage_data(**overrides: str) -> dict[str, str]:
    return {
        "relationship": RelationshipType.VENDOR,
        "owner": "",
        "status": Status.TRIAGED,
        "priority": str(Priority.NORMAL),
        "decline_reason": "",
        **overrides,
    }


# --- asking ------------------------------------------------------------------------------------
def test_it_takes_a_request_from_a_partner_person_for_their_company(personas, on_commit):
    p = personas
    page = p.client(p.bob).get(NEW)
    assert page.status_code == 200
    assert 'name="department"' not in page.content.decode()  # partners are not asked

    with on_commit():
        response = p.client(p.bob).post(NEW, intake(job_role=str(p.roles["sales"].pk)))
    request = LearningRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert request.partner == p.dealer_a and request.department is None
    assert request.requester == p.bob and request.status == Status.NEW
    assert request.job_role == p.roles["sales"]
    assert (request.kpi_metric, request.kpi_baseline, request.kpi_target, request.kpi_unit) == (
        "Extended-warranty attach rate",
        18,
        25,
        "%",
    )
    assert request.kpi_change == 7
    assert list(request.timeline.values_list("kind", flat=True)) == [EntryKind.SUBMITTED]
    assert AuditEntry.objects.filter(action="request.submitted", partner_id=p.dealer_a.pk).exists()
    # The trainer hears about it; the requester does not hear about their own request.
    assert Notification.objects.filter(recipient=p.mia, kind="requests").count() == 1
    assert not Notification.objects.filter(recipient=p.bob).exists()

    detail = p.client(p.bob).get(request.get_absolute_url()).content.decode()
    assert "Extended-warranty attach rate" in detail and "Alder Creek Outdoor" in detail


def test_it_asks_staff_which_department_needs_it(personas):
    p = personas
    service = Department.objects.create(name="Service")
    missing = p.client(p.dana).post(NEW, intake())
    assert missing.status_code == 200
    assert "This field is required." in missing.content.decode()
    assert not LearningRequest.objects.exists()

    p.client(p.dana).post(NEW, intake(department=str(service.pk)))
    request = LearningRequest.objects.get()
    assert request.department == service and request.partner is None


def test_it_refuses_a_deadline_in_the_past_and_keeps_what_was_typed(personas):
    p = personas
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = p.client(p.bob).post(NEW, intake(deadline=yesterday, kpi_by=yesterday))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("The date has passed; choose today or later.") == 2
    assert "Reps forget to offer the plan" in body  # nothing lost
    assert 'aria-invalid="true"' in body
    assert not LearningRequest.objects.exists()


def test_it_refuses_kpi_figures_without_a_metric_and_a_metric_without_a_target(personas):
    p = personas
    no_metric = p.client(p.bob).post(NEW, intake(kpi_metric="")).content.decode()
    assert "Name the KPI these figures are for" in no_metric
    no_target = p.client(p.bob).post(NEW, intake(kpi_target="")).content.decode()
    assert "Give the target the KPI should reach." in no_target
    assert not LearningRequest.objects.exists()

    # No KPI at all is fine: not every ask has one yet.
    p.client(p.bob).post(
        NEW, intake(kpi_metric="", kpi_baseline="", kpi_target="", kpi_unit="", kpi_by="")
    )
    assert LearningRequest.objects.get().has_kpi is False


def test_it_refuses_markup_in_names_and_missing_essentials(personas):
    p = personas
    body = (
        p.client(p.bob)
        .post(NEW, intake(title="<b>Guide</b>", business_outcome="  ", deadline=""))
        .content.decode()
    )
    assert "Names cannot contain &lt; or &gt;" in body
    assert body.count("This field is required.") == 2
    assert not LearningRequest.objects.exists()


# --- triage --------------------------------------------------------------------------------------
def test_only_the_learning_team_triages(personas):
    p = personas
    request = make_request(p.bob, "Warranty guide")
    url = f"/requests/{request.pk}/triage/"
    # The requester, their admin and their channel manager may read it, not triage it.
    for outsider in (p.bob, p.alice, p.dana):
        assert p.client(outsider).get(request.get_absolute_url()).status_code == 200
        assert p.client(outsider).post(url, triage_data()).status_code == 404
    assert "Save triage" not in p.client(p.alice).get(request.get_absolute_url()).content.decode()
    # Nor may they search the catalogue through the deliverable picker (drafts would show).
    make_course(p.mia, "Warranty draft", publish=False)
    peek = p.client(p.bob).get(
        request.get_absolute_url(), {"find": "warranty"}, HTTP_HX_REQUEST="true"
    )
    assert "Warranty draft" not in peek.content.decode()

    response = p.client(p.mia).post(
        url, triage_data(owner=str(p.mia.pk), status=Status.IN_PROGRESS, priority="3")
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.relationship, request.owner, request.status, request.priority) == (
        RelationshipType.VENDOR, p.mia, Status.IN_PROGRESS, Priority.HIGH
    )  # fmt: skip
    kinds = list(request.timeline.values_list("kind", flat=True))
    assert kinds == [
        EntryKind.SUBMITTED, EntryKind.CLASSIFIED, EntryKind.ASSIGNED, EntryKind.PRIORITY,
        EntryKind.STATUS,
    ]  # fmt: skip
    audit = AuditEntry.objects.get(action="request.triaged")
    assert audit.before["status"] == "new" and audit.after["status"] == "in_progress"
    assert audit.actor == p.mia

    # Saving the same values again changes nothing and writes nothing.
    p.client(p.mia).post(
        url, triage_data(owner=str(p.mia.pk), status=Status.IN_PROGRESS, priority="3")
    )
    assert request.timeline.count() == 5
    assert AuditEntry.objects.filter(action="request.triaged").count() == 1


def test_declining_needs_a_reason_and_moving_on_needs_a_type(personas):
    p = personas
    request = make_request(p.bob, "Everything about everything")
    url = f"/requests/{request.pk}/triage/"
    no_reason = p.client(p.pat).post(url, triage_data(status=Status.DECLINED))
    assert no_reason.status_code == 400
    assert "Say why the request is declined" in no_reason.content.decode()
    no_type = p.client(p.pat).post(url, triage_data(relationship="", status=Status.IN_PROGRESS))
    assert no_type.status_code == 400
    assert "Choose the relationship type before moving the request on." in (
        no_type.content.decode()
    )
    request.refresh_from_db()
    assert request.status == Status.NEW and request.timeline.count() == 1

    p.client(p.pat).post(
        url, triage_data(relationship="", status=Status.DECLINED, decline_reason="Too broad.")
    )
    request.refresh_from_db()
    assert request.status == Status.DECLINED and request.closed_at is not None
    page = p.client(p.bob).get(request.get_absolute_url()).content.decode()
    assert "Too broad." in page


def test_the_owner_must_be_in_the_learning_team(personas):
    p = personas
    request = make_request(p.bob)
    response = p.client(p.pat).post(
        f"/requests/{request.pk}/triage/", triage_data(owner=str(p.dana.pk))
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_it_shows_the_seed_definitions_beside_the_choice(personas):
    p = personas
    request = make_request(p.bob)
    page = p.client(p.mia).get(request.get_absolute_url()).content.decode()
    for label in ("Strategic Partnership", "Vendor", "Broker", "Self Service"):
        assert label in page
    assert "joint planning" in page  # Strategic Partnership
    assert "requirements the requester has already" in page  # Vendor
    assert "connect the people who have the knowledge" in page  # Broker
    assert "moment of need" in page  # Self Service
    assert 'aria-describedby="rel-help-broker"' in page and 'id="rel-help-broker"' in page
    assert "How to choose the relationship type" in page


# --- deliverables ---------------------------------------------------------------------------------
def test_it_links_deliverables_of_every_kind_and_tells_the_requester(personas, on_commit):
    p = personas
    request = make_request(p.bob, "Warranty help at the POS")
    course = make_course(p.mia, "Extended warranty: offering it")
    asset = make_asset(p.pat, "X200 extended warranty guide")
    mapping = ContextMapping(app="pos", screen="extended-warranty")
    mapping.save()
    add = f"/requests/{request.pk}/deliverables/add/"
    mia = p.client(p.mia)

    found = mia.get(request.get_absolute_url(), {"find": "warranty"}, HTTP_HX_REQUEST="true")
    text = found.content.decode()
    assert f"course:{course.pk}" in text and f"asset:{asset.pk}" in text
    assert f"mapping:{mapping.pk}" in text

    with on_commit():
        for value in (f"course:{course.pk}", f"asset:{asset.pk}", f"mapping:{mapping.pk}"):
            assert mia.post(add, {"target": value}).status_code == 302
        mia.post(
            f"/requests/{request.pk}/deliverables/link/",
            {"title": "Forum answer: plan after 30 days?", "url": "/forums/answers/7/"},
        )
    kinds = list(request.deliverables.values_list("kind", flat=True))
    assert kinds == ["course", "asset", "mapping", "link"]
    assert Notification.objects.filter(recipient=p.bob, kind="requests").count() == 4

    # Linking the same thing twice is refused politely.
    mia.post(add, {"target": f"asset:{asset.pk}"})
    assert request.deliverables.count() == 4

    page = p.client(p.bob).get(request.get_absolute_url()).content.decode()
    assert course.get_absolute_url() in page and asset.get_absolute_url() in page
    assert "/go/?app=pos&amp;screen=extended-warranty" in page  # the partner's deep link
    assert 'href="/forums/answers/7/"' in page
    staff_page = mia.get(request.get_absolute_url()).content.decode()
    assert f"/context/{mapping.pk}/" in staff_page  # staff open the mapping's editor

    link = request.deliverables.get(kind="link")
    mia.post(f"/requests/{request.pk}/deliverables/{link.pk}/remove/")
    assert request.deliverables.count() == 3
    assert request.timeline.filter(kind=EntryKind.DELIVERABLE_REMOVED).exists()
    assert AuditEntry.objects.filter(action="request.deliverable_removed").exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "/ok/../\\evil.example",
        "javascript:alert(1)",
        "evil.example/forums/1/",
        "forums/1/",
        "/forums/ 1/",
        "/forums/1/\x00",
        "",
    ],
)
def test_a_linked_page_must_be_a_page_of_the_portal(personas, url):
    p = personas
    request = make_request(p.bob)
    response = p.client(p.mia).post(
        f"/requests/{request.pk}/deliverables/link/", {"title": "Forum answer", "url": url}
    )
    assert response.status_code == 400
    assert not Deliverable.objects.exists()
    with pytest.raises(Exception):  # noqa: B017 - the action refuses it too, not only the form
        actions.add_deliverable(
            p.mia, request, Deliverable(kind=DeliverableKind.LINK, title="x", url=url)
        )


def test_a_deleted_item_stays_on_the_request_by_its_title(personas):
    p = personas
    request = make_request(p.bob)
    mapping = ContextMapping(app="dms", screen="service-order")
    mapping.save()
    actions.add_deliverable(
        p.mia, request, Deliverable(kind=DeliverableKind.MAPPING, mapping=mapping)
    )
    mapping.delete()
    page = p.client(p.bob).get(request.get_absolute_url()).content.decode()
    assert "dms / service-order / * / *" in page and "no longer available" in page


# --- following along -----------------------------------------------------------------------------
def test_the_requester_hears_when_the_status_changes(personas, on_commit):
    p = personas
    request = make_request(p.bob, "Warranty guide")
    with on_commit():
        p.client(p.mia).post(
            f"/requests/{request.pk}/triage/", triage_data(status=Status.IN_PROGRESS)
        )
    note = Notification.objects.get(recipient=p.bob, kind="requests")
    assert note.title == "Your L&D request “Warranty guide” is now: In progress"
    assert note.url == request.get_absolute_url()

    # A change that is not a status change (the priority) does not ping the requester.
    with on_commit():
        p.client(p.mia).post(
            f"/requests/{request.pk}/triage/",
            triage_data(status=Status.IN_PROGRESS, priority=str(Priority.HIGH)),
        )
    assert Notification.objects.filter(recipient=p.bob).count() == 1


def test_comments_are_plain_text_and_reach_the_other_side(personas, on_commit):
    p = personas
    request = make_request(p.bob, "Warranty guide")
    actions.triage(p.mia, request, relationship="vendor", owner=p.mia, status="triaged", priority=2)
    with on_commit():
        response = p.client(p.bob).post(
            f"/requests/{request.pk}/comment/",
            {"body": "<script>alert('x')</script>\nSecond line"},
        )
    assert response.status_code == 302
    page = p.client(p.mia).get(request.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>Second line" in page
    assert Notification.objects.filter(recipient=p.mia, title__startswith="New comment").exists()

    with on_commit():
        p.client(p.mia).post(f"/requests/{request.pk}/comment/", {"body": "Draft next week."})
    assert Notification.objects.filter(recipient=p.bob, title__startswith="New comment").exists()

    empty = p.client(p.bob).post(f"/requests/{request.pk}/comment/", {"body": "   "})
    assert empty.status_code == 400
    assert request.timeline.filter(kind=EntryKind.COMMENT).count() == 2


def test_my_requests_lists_only_mine(personas):
    p = personas
    make_request(p.bob, "Bob's ask")
    make_request(p.alice, "Alice's ask")
    bob = p.client(p.bob).get("/requests/mine/").content.decode()
    assert "Bob&#x27;s ask" in bob and "Alice&#x27;s ask" not in bob
    # For a rep the request list is the same as their own.
    assert "Alice&#x27;s ask" not in p.client(p.bob).get("/requests/").content.decode()


# --- isolation -----------------------------------------------------------------------------------
def test_each_person_sees_only_the_requests_they_may_follow(personas):
    p = personas
    bobs = make_request(p.bob, "Bob's ask")
    hannahs = make_request(p.hannah, "Rutland ask")  # Alder Creek's location
    carols = make_request(p.carol, "Birchwood ask")
    ingrids = make_request(p.ingrid, "Fjord ask")
    staff = make_request(p.mia, "Sales department ask", department="Sales")

    def seen(user):
        return {
            r.pk
            for r in LearningRequest.objects.all()
            if p.client(user).get(r.get_absolute_url()).status_code == 200
        }

    assert seen(p.bob) == {bobs.pk}
    assert seen(p.alice) == {bobs.pk, hannahs.pk}  # her company and its location
    assert seen(p.carol) == {carols.pk}
    assert seen(p.dana) == {bobs.pk, hannahs.pk, carols.pk}  # her partners
    assert seen(p.evan) == {ingrids.pk}
    assert seen(p.mia) == seen(p.pat) == {bobs.pk, hannahs.pk, carols.pk, ingrids.pk, staff.pk}

    alice_list = p.client(p.alice).get("/requests/").content.decode()
    assert "Bob&#x27;s ask" in alice_list and "Birchwood ask" not in alice_list
    assert "Birchwood" not in p.client(p.alice).get("/requests/export.csv").getvalue().decode()
    # A rep's list is their own; they get no export of other people's requests.
    assert p.client(p.bob).get("/requests/export.csv").status_code == 403


# --- the learning team's list --------------------------------------------------------------------
def _mixed(p):
    a = make_request(p.bob, "Warranty guide")
    b = make_request(p.carol, "Parts counter")
    c = make_request(p.mia, "Compliance course", department="Sales")
    d = make_request(p.ingrid, "Generator answers")
    actions.triage(p.mia, a, relationship="vendor", owner=p.mia, status="in_progress", priority=2)
    actions.triage(p.pat, b, relationship="broker", owner=None, status="delivered", priority=2)
    actions.triage(p.pat, c, relationship="vendor", owner=p.pat, status="triaged", priority=3)
    return a, b, c, d


def test_the_list_filters_by_type_status_owner_department_and_partner(personas):
    p = personas
    _a, _b, c, _d = _mixed(p)
    mia = p.client(p.mia)

    def titles(**params):
        page = mia.get("/requests/", params).context["page"]
        return {r.title for r in page}

    assert titles() == {"Warranty guide", "Parts counter", "Compliance course", "Generator answers"}
    assert titles(relationship="vendor") == {"Warranty guide", "Compliance course"}
    assert titles(relationship="none") == {"Generator answers"}
    assert titles(status="delivered") == {"Parts counter"}
    assert titles(status="open") == {"Warranty guide", "Compliance course", "Generator answers"}
    assert titles(owner=str(p.mia.pk)) == {"Warranty guide"}
    assert titles(owner="none") == {"Parts counter", "Generator answers"}
    assert titles(department=str(c.department_id)) == {"Compliance course"}
    assert titles(partner=str(p.dealer_b.pk)) == {"Parts counter"}
    assert titles(q="guide") == {"Warranty guide"}
    # Filters keep working with nonsense in them: they are ignored, not a crash.
    assert mia.get("/requests/", {"status": "nope", "owner": "x"}).status_code == 200


def test_the_counts_cross_type_and_status_and_follow_the_other_filters(personas):
    p = personas
    _mixed(p)
    counts = p.client(p.mia).get("/requests/").context["counts"]
    grid = {row.code: dict(row.cells) for row in counts.rows}
    assert grid["vendor"]["in_progress"] == 1 and grid["vendor"]["triaged"] == 1
    assert grid["broker"]["delivered"] == 1
    assert grid["none"]["new"] == 1
    assert counts.total == 4
    assert {row.code: row.total for row in counts.rows}["self_service"] == 0

    # Filtering by partner narrows the counts; filtering by status does not (the cells
    # are how one picks a status).
    by_partner = p.client(p.mia).get("/requests/", {"partner": p.dealer_b.pk}).context["counts"]
    assert by_partner.total == 1
    by_status = p.client(p.mia).get("/requests/", {"status": "new"}).context["counts"]
    assert by_status.total == 4

    htmx = p.client(p.mia).get("/requests/", {"relationship": "vendor"}, HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode() and "Warranty guide" in htmx.content.decode()


def test_the_csv_export_is_safe_to_open(personas):
    p = personas
    make_request(
        p.bob,
        '=HYPERLINK("https://evil.example")',
        audience="+sales",
        kpi_metric="@attach",
        kpi_target=25,
    )
    response = p.client(p.mia).get("/requests/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.getvalue().decode()
    assert text.startswith('\ufeff"id","submitted","title"')
    assert "'=HYPERLINK" in text and "'+sales" in text and "'@attach" in text
    assert ",=HYPERLINK" not in text
    assert "Alder Creek Outdoor" in text and "bob@aldercreek.example" in text


def test_the_list_keeps_its_query_budget(personas, django_assert_max_num_queries):
    p = personas
    for n in range(30):
        request = make_request(p.bob if n % 2 else p.carol, f"Request {n}")
        if n % 3 == 0:
            actions.triage(
                p.mia, request, relationship="broker", owner=p.mia, status="triaged", priority=2
            )
    mia, alice = p.client(p.mia), p.client(p.alice)
    with django_assert_max_num_queries(12):
        response = mia.get("/requests/", {"status": "open"})
    assert len(response.context["page"].object_list) == 25
    with django_assert_max_num_queries(10):
        response = alice.get("/requests/")
    assert response.context["page"].paginator.count == 15


def test_it_lets_only_the_learning_team_manage_requests_and_their_deliverables(personas):
    p = personas
    bobs = make_request(p.bob, "Bob's ask")
    carols = make_request(p.carol, "Birchwood ask")
    link = actions.add_deliverable(
        p.mia, bobs, Deliverable(kind=DeliverableKind.LINK, title="Answer", url="/forums/1/")
    )
    assert set(LearningRequest.objects.manageable_by(p.mia)) == {bobs, carols}
    for outsider in (p.bob, p.alice, p.dana):
        assert not LearningRequest.objects.manageable_by(outsider).exists()
        assert not Deliverable.objects.manageable_by(outsider).exists()
    assert list(Deliverable.objects.visible_to(p.bob)) == [link]
    assert not Deliverable.objects.visible_to(p.carol).exists()

    # A deliverable is removed through its own request only; anything else is missing.
    mia = p.client(p.mia)
    assert mia.post(f"/requests/{carols.pk}/deliverables/{link.pk}/remove/").status_code == 404
    bob = p.client(p.bob)
    assert bob.post(f"/requests/{bobs.pk}/deliverables/{link.pk}/remove/").status_code == 404
    assert bobs.deliverables.count() == 1
    assert mia.post(f"/requests/{bobs.pk}/deliverables/{link.pk}/remove/").status_code == 302
    assert bobs.deliverables.count() == 0


def test_bob_gets_one_email_for_a_burst_of_changes_to_his_request(
    personas, on_commit, settings, mailoutbox
):
    from django_tasks_db.models import DBTaskResult

    from touchpoint.kernel.notifications import email_notifications

    p = personas
    settings.NOTIFICATION_EMAIL_GROUP_SECONDS = 120
    request = make_request(p.bob, "Warranty guide")
    # Mia classifies it, comments and moves it on within the same minute.
    with on_commit():
        actions.triage(
            p.mia, request, relationship="vendor", owner=p.mia, status="triaged", priority=2
        )
        actions.comment(p.mia, request, "We will start with the showroom checklist.")
        actions.triage(
            p.mia, request, relationship="vendor", owner=p.mia, status="in_progress", priority=2
        )
    owed = Notification.objects.filter(recipient=p.bob, email_due_at__isnull=False)
    assert owed.count() == 3
    # Each waits two minutes in the queue, so the later ones can join the first.
    queued = DBTaskResult.objects.filter(task_path=email_notifications.module_path)
    assert queued.count() == 3
    assert all((task.run_after - timezone.now()).total_seconds() > 100 for task in queued)
    for task in queued.order_by("enqueued_at"):
        email_notifications.call(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])

    [email] = [m for m in mailoutbox if m.to == [p.bob.email]]
    assert "(and 2 earlier updates)" in email.subject
    assert "We will start with the showroom checklist." in email.body
    assert not owed.exists()
