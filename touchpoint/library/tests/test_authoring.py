"""Content owners and portal admins add items, upload new versions, publish, schedule,
unpublish and archive them; portal admins manage the sections."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.support import factories as f
from tests.support.library import PDF, make_asset, make_product, make_section
from touchpoint.kernel.models import AuditEntry
from touchpoint.library import actions
from touchpoint.library.models import Asset, AssetKind, AssetState, Product, Section, Tag
from touchpoint.orgs.models import Department, StaffRole, StaffRoleKind
from touchpoint.search.models import Entry


@pytest.fixture
def sam(personas):  # type: ignore[no-untyped-def]
    """Sam Reyes, content owner of the Service department."""
    service = Department.objects.get_or_create(name="Service")[0]
    person = f.StaffFactory(email="sam@ridgeline.example", name="Sam Reyes", roles=[])
    StaffRole.objects.create(user=person, role=StaffRoleKind.CONTENT_OWNER, department=service)
    return person


def details(section, owner, **data):  # type: ignore[no-untyped-def]
    return {
        "title": "Generator will not start", "summary": "The five checks", "section": section.pk,
        "tags_text": "troubleshooting, Generators, troubleshooting", "department": "",
        "owner": owner.pk, "audience": "", "language": "en", "publish_at": "", "review_by": "",
        "expires_at": "", "note": "First version", **data,
    }  # fmt: skip


def local(moment):  # type: ignore[no-untyped-def]
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_sam_writes_an_article_and_publishes_it_sanitised_and_searchable(personas, sam):
    service = make_section(sam, "Service")
    x200 = make_product()
    response = p_client(personas, sam).post(
        "/library/manage/new/?kind=article",
        details(
            service, sam, kind="article", products=[x200.pk], intent="publish",
            body="<h2>Fuel</h2><p onclick='steal()'>Check the fuel.</p><script>alert(1)</script>"
            "<a href='javascript:alert(1)'>x</a><img src=x onerror=alert(1)>",
        ),
    )  # fmt: skip
    asset = Asset.objects.get(title="Generator will not start")
    assert response["Location"] == f"/library/assets/{asset.pk}/"
    assert asset.state == AssetState.PUBLISHED and asset.published_at is not None
    assert asset.department == service.department  # "same as the section"
    body = asset.current_version.body
    assert "<script>" not in body and "onclick" not in body and "javascript:" not in body
    assert "<img" not in body and "<h2>Fuel</h2>" in body
    assert sorted(asset.tags.values_list("name", flat=True)) == ["Generators", "troubleshooting"]
    assert list(asset.products.all()) == [x200]
    assert Entry.objects.filter(kind="article", object_id=str(asset.pk)).exists()
    assert AuditEntry.objects.filter(action="asset.created", target_id=str(asset.pk)).exists()
    assert AuditEntry.objects.filter(action="asset.published", target_id=str(asset.pk)).exists()


def p_client(personas, user):  # type: ignore[no-untyped-def]
    return personas.client(user)


def test_it_schedules_a_future_publish_time_and_refuses_one_in_the_past(personas, sam):
    service = make_section(sam, "Service")
    client = p_client(personas, sam)
    later = timezone.now() + timedelta(days=2)
    client.post(
        "/library/manage/new/?kind=link",
        details(service, sam, kind="link", title="Parts catalogue", url="https://parts.ridgeline.example/",
                publish_at=local(later), intent="publish"),
    )  # fmt: skip
    scheduled = Asset.objects.get(title="Parts catalogue")
    assert scheduled.state == AssetState.SCHEDULED
    assert not Entry.objects.filter(object_id=str(scheduled.pk)).exists()

    page = client.post(
        "/library/manage/new/?kind=link",
        details(service, sam, kind="link", title="Too late", url="https://parts.ridgeline.example/",
                publish_at=local(timezone.now() - timedelta(days=1)), intent="publish"),
    )  # fmt: skip
    assert page.status_code == 200
    assert "This time has passed" in page.content.decode()
    assert not Asset.objects.filter(title="Too late").exists()


def test_it_accepts_only_web_addresses_for_links(personas, sam):
    service = make_section(sam, "Service")
    page = p_client(personas, sam).post(
        "/library/manage/new/?kind=link",
        details(service, sam, kind="link", url="javascript:alert(1)", intent="publish"),
    )
    assert page.status_code == 200 and not Asset.objects.exists()
    assert "https://" in page.content.decode()


def test_it_refuses_a_content_owner_working_in_another_departments_section(personas, sam):
    p = personas
    sales = make_section(p.pat, "Sales")  # owned by Pat, department Sales
    client = p_client(personas, sam)
    page = client.post(
        "/library/manage/new/?kind=article",
        details(sales, sam, kind="article", body="<p>x</p>", intent="draft") | {"owner": p.pat.pk},
    )
    assert page.status_code == 200 and not Asset.objects.exists()
    # The Sales section is not even offered to him.
    assert sales.pk not in [s.pk for s in page.context["form"].fields["section"].queryset]
    theirs = make_asset(p.pat, "Price list", section=sales)
    assert client.get(f"/library/manage/assets/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/library/manage/assets/{theirs.pk}/archive/").status_code == 404
    Asset.objects.get(pk=theirs.pk, state=AssetState.PUBLISHED)
    # Partners and other staff roles cannot author at all.
    assert p.client(p.bob).get("/library/manage/new/").status_code == 403
    assert p.client(p.dana).get("/library/manage/").status_code == 403


def test_sam_cannot_hand_his_item_to_another_department(personas, sam):
    """Filed in his own section, an item under the Sales department would be Sales' owners'
    to edit: Service's content owner is offered, and allowed, his own department only."""
    p = personas
    service = make_section(p.pat, "Service")
    sales = Department.objects.get_or_create(name="Sales")[0]
    client = p_client(personas, sam)
    form = client.get("/library/manage/new/?kind=article").context["form"]
    assert list(form.fields["department"].queryset) == [service.department]
    page = client.post(
        "/library/manage/new/?kind=article",
        details(service, sam, kind="article", body="<p>x</p>", intent="draft")
        | {"department": sales.pk},
    )
    assert page.status_code == 200 and not Asset.objects.exists()
    assert "Select a valid choice" in page.content.decode()


def test_it_reads_the_file_type_from_the_content_not_the_name(personas, sam):
    service = make_section(sam, "Service")
    client = p_client(personas, sam)
    html = SimpleUploadedFile(
        "spec.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    page = client.post(
        "/library/manage/new/?kind=file",
        details(service, sam, kind="file", file=html, intent="publish"),
    )
    assert page.status_code == 200 and not Asset.objects.exists()
    assert "This file type is not accepted here" in page.content.decode()
    svg = SimpleUploadedFile(
        "logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/png"
    )
    client.post("/library/manage/new/?kind=file", details(service, sam, kind="file", file=svg))
    assert not Asset.objects.exists()

    real = SimpleUploadedFile("X200 spec/../sheet.pdf", PDF, "application/octet-stream")
    client.post(
        "/library/manage/new/?kind=file",
        details(service, sam, kind="file", file=real, intent="draft"),
    )
    version = Asset.objects.get().current_version
    assert version.file_type == "application/pdf" and version.file_name == "sheet.pdf"
    assert version.file.name.endswith(".pdf") and "sheet" not in version.file.name


def test_it_refuses_a_file_over_the_size_limit(personas, sam, settings):
    settings.MAX_DOCUMENT_BYTES = 100
    service = make_section(sam, "Service")
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 200, "application/pdf")
    page = p_client(personas, sam).post(
        "/library/manage/new/?kind=file", details(service, sam, kind="file", file=big)
    )
    assert "the limit is 100" in page.content.decode()
    assert not Asset.objects.exists()


def test_sam_uploads_a_new_version_with_what_changed(personas, sam):
    service = make_section(sam, "Service")
    asset = make_asset(sam, "Service schedule", kind=AssetKind.FILE, section=service)
    first_update = asset.content_updated_at
    client = p_client(personas, sam)

    page = client.post(
        f"/library/manage/assets/{asset.pk}/version/", {"file": SimpleUploadedFile("v2.pdf", PDF)}
    )
    assert page.status_code == 200 and "This field is required" in page.content.decode()  # the note

    client.post(
        f"/library/manage/assets/{asset.pk}/version/",
        {"file": SimpleUploadedFile("v2.pdf", PDF), "note": "Belt tension added"},
    )
    asset.refresh_from_db()
    assert asset.current_version.number == 2 and asset.current_version.note == "Belt tension added"
    assert asset.versions.count() == 2
    assert asset.content_updated_at > first_update  # partners see it as updated


def test_it_unpublishes_and_archives_but_never_deletes(personas, sam):
    asset = make_asset(sam, "Old bulletin", section=make_section(sam, "Service"))
    client = p_client(personas, sam)
    client.post(f"/library/manage/assets/{asset.pk}/unpublish/")
    asset.refresh_from_db()
    assert asset.state == AssetState.DRAFT
    assert not Entry.objects.filter(object_id=str(asset.pk)).exists()

    client.post(f"/library/manage/assets/{asset.pk}/archive/")
    asset.refresh_from_db()
    assert asset.state == AssetState.ARCHIVED and asset.archived_at is not None
    assert asset.versions.count() == 1
    assert client.get(f"/library/assets/{asset.pk}/").status_code == 200  # staff still find it
    assert p_client(personas, personas.bob).get(f"/library/assets/{asset.pk}/").status_code == 404

    refused = client.post(
        f"/library/manage/assets/{asset.pk}/publish/", {"publish_at": ""}, follow=True
    )
    assert "Restore the item to a draft" in refused.content.decode()
    client.post(f"/library/manage/assets/{asset.pk}/unpublish/")  # restore as draft
    client.post(f"/library/manage/assets/{asset.pk}/publish/", {"publish_at": ""})
    asset.refresh_from_db()
    assert asset.state == AssetState.PUBLISHED
    actions = list(
        AuditEntry.objects.filter(target_id=str(asset.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "asset.unpublished",
        "asset.archived",
        "asset.unpublished",
        "asset.published",
    ]


def test_it_moves_a_scheduled_item_when_its_time_changes(personas, sam):
    service = make_section(sam, "Service")
    asset = make_asset(sam, "Launch poster", section=service, publish=False)
    client = p_client(personas, sam)
    client.post(
        f"/library/manage/assets/{asset.pk}/publish/",
        {"publish_at": local(timezone.now() + timedelta(days=3))},
    )
    asset.refresh_from_db()
    assert asset.state == AssetState.SCHEDULED
    edit = details(service, sam, title="Launch poster", publish_at="", tags_text="poster")
    client.post(f"/library/manage/assets/{asset.pk}/edit/", edit)
    asset.refresh_from_db()
    assert asset.state == AssetState.DRAFT  # no time, no schedule
    assert list(Tag.objects.values_list("name", flat=True)) == ["poster"]


def test_only_portal_admins_manage_sections(personas):
    p = personas
    owner = p.mia
    sales = Department.objects.get_or_create(name="Sales")[0]
    data = {
        "name": "Sales",
        "slug": "sales",
        "description": "",
        "department": sales.pk,
        "owner": owner.pk,
        "position": 1,
    }
    assert p.client(p.mia).post("/library/manage/sections/", data).status_code == 403
    assert p.client(p.pat).post("/library/manage/sections/", data).status_code == 302
    section = Section.objects.get(slug="sales")
    assert section.owner == owner
    reserved = p.client(p.pat).post(
        "/library/manage/sections/", data | {"name": "Health", "slug": "health"}
    )
    assert "used by the library itself" in reserved.content.decode()
    p.client(p.pat).post(f"/library/manage/sections/{section.pk}/edit/", data | {"position": 5})
    assert Section.objects.get(pk=section.pk).position == 5
    assert AuditEntry.objects.filter(action="section.updated").exists()


def test_it_records_what_an_edit_changed_and_nothing_for_an_edit_that_changed_nothing(
    personas, sam
):
    service = make_section(sam, "Service")
    asset = make_asset(sam, "Chain sharpening", section=service, tags=("chains",))
    client = p_client(personas, sam)
    edit = details(service, sam, title=asset.title, summary=asset.summary, tags_text="chains")
    edit["review_by"] = asset.review_by.isoformat() if asset.review_by else ""

    client.post(f"/library/manage/assets/{asset.pk}/edit/", edit)
    assert not AuditEntry.objects.filter(action="asset.updated").exists()

    client.post(f"/library/manage/assets/{asset.pk}/edit/", edit | {"title": "Sharpening chains"})
    entry = AuditEntry.objects.get(action="asset.updated", target_id=str(asset.pk))
    assert entry.before["title"] == "Chain sharpening"
    assert entry.after["title"] == "Sharpening chains"


def test_it_applies_one_authoring_rule_to_the_list_and_to_a_single_item(personas, sam):
    p = personas
    service = make_section(sam, "Service")
    sales = make_section(p.pat, "Sales")
    items = [
        make_asset(sam, "Sam's own", section=service),
        make_asset(p.pat, "In Sam's department", section=service, owner=p.pat),
        make_asset(p.pat, "Sales price list", section=sales),
        make_asset(p.pat, "Sam accountable in Sales", section=sales, owner=sam),
    ]
    for person in (sam, p.pat, p.mia, p.dana, p.bob):
        listed = set(Asset.objects.manageable_by(person).values_list("pk", flat=True))
        assert {a.pk for a in items if a.is_manageable_by(person)} == listed, person
    assert {a.title for a in Asset.objects.manageable_by(sam)} == {
        "Sam's own", "In Sam's department", "Sam accountable in Sales",
    }  # fmt: skip


def test_it_records_who_added_or_renamed_a_product(personas):
    x200 = actions.save_product(personas.pat, Product(name="X200 mower", code="model-x200"))
    entry = AuditEntry.objects.get(action="product.created")
    assert entry.actor == personas.pat and entry.after == {
        "name": "X200 mower",
        "code": "model-x200",
    }
    x200.name = "X200 zero-turn mower"
    actions.save_product(personas.pat, x200)
    changed = AuditEntry.objects.get(action="product.updated")
    assert (changed.before["name"], changed.after["name"]) == ("X200 mower", "X200 zero-turn mower")
    actions.save_product(personas.pat, x200)  # nothing changed: nothing recorded
    assert AuditEntry.objects.filter(action__startswith="product.").count() == 2
    with pytest.raises(ValidationError):  # one product per code
        actions.save_product(personas.pat, Product(name="Twin", code="model-x200"))
