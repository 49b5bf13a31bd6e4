"""Partners browse the library: sections, what is new for them, items meant for them only,
previews, counted downloads and link opens, and favourites."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support.courses import make_course
from tests.support.library import make_asset, make_product, make_section, png
from touchpoint.courses.models import Course
from touchpoint.kernel.models import ActivityEvent
from touchpoint.library import actions
from touchpoint.library.models import Asset, AssetKind, AssetState, Favourite
from touchpoint.orgs.models import Audience


def birchwood_only(p):  # type: ignore[no-untyped-def]
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    return audience


def test_it_shows_bob_the_sections_what_is_new_for_him_and_his_favourites(personas):
    p = personas
    service = make_section(p.pat, "Service")
    make_section(p.pat, "Sales", position=1)
    guide = make_asset(p.pat, "Generator will not start", section=service)
    old = make_asset(p.pat, "Winter storage", section=service)
    Asset.objects.filter(pk=old.pk).update(content_updated_at=timezone.now() - timedelta(days=90))
    make_asset(p.pat, "Birchwood price list", section=service, audience=birchwood_only(p))
    make_asset(p.pat, "Unfinished draft", section=service, publish=False)
    actions.set_favourite(p.bob, old, True)

    page = p.client(p.bob).get("/library/")

    assert page.status_code == 200
    body = page.content.decode()
    assert "Service" in body and "Sales" in body
    recent = [a.title for a in page.context["recent"]]
    assert recent == [guide.title]  # the 90-day-old one is not new any more
    assert [a.title for a in page.context["favourites"]] == ["Winter storage"]
    assert "Birchwood price list" not in body and "Unfinished draft" not in body
    assert {s.name: n for s, n in page.context["sections"]} == {"Service": 2, "Sales": 0}


def test_it_filters_a_section_by_product_tag_and_kind_and_lists_its_courses(personas):
    p = personas
    service = make_section(p.pat, "Service")
    x200 = make_product()
    make_asset(
        p.pat, "Deck vibration", section=service, products=(x200,), tags=("troubleshooting",)
    )
    make_asset(p.pat, "Parts catalogue", section=service, kind=AssetKind.LINK)
    make_asset(p.pat, "Spec sheet", section=service, kind=AssetKind.FILE, products=(x200,))
    course = make_course(p.mia, "X200 service fundamentals")
    Course.objects.filter(pk=course.pk).update(section=service)
    bob = p.client(p.bob)

    def titles(query: str) -> list[str]:
        return [a.title for a in bob.get(f"/library/service/{query}").context["page"]]

    assert titles("") == ["Deck vibration", "Parts catalogue", "Spec sheet"]
    assert titles("?product=model-x200") == ["Deck vibration", "Spec sheet"]
    assert titles("?product=model-x200&kind=file") == ["Spec sheet"]
    tag = Asset.objects.get(title="Deck vibration").tags.get()
    assert titles(f"?tag={tag.pk}") == ["Deck vibration"]
    assert [c.title for c in bob.get("/library/service/").context["courses"]] == [course.title]
    assert bob.get("/library/nowhere/").status_code == 404


def test_it_answers_a_draft_an_archived_and_a_not_for_you_item_like_a_missing_one(personas):
    p = personas
    draft = make_asset(p.pat, "Draft", publish=False)
    archived = actions.archive_asset(p.pat, make_asset(p.pat, "Old"))
    theirs = make_asset(p.pat, "Birchwood only", audience=birchwood_only(p))
    bob, carol = p.client(p.bob), p.client(p.carol)

    for asset in (draft, archived, theirs):
        assert bob.get(f"/library/assets/{asset.pk}/").status_code == 404
    assert bob.get("/library/assets/987654/").status_code == 404
    assert carol.get(f"/library/assets/{theirs.pk}/").status_code == 200
    # Staff see every item, with its state.
    assert p.client(p.dana).get(f"/library/assets/{draft.pk}/").status_code == 200


def test_it_shows_an_article_and_counts_reading_it(personas):
    p = personas
    article = make_asset(p.pat, "Generator will not start")
    page = p.client(p.bob).get(f"/library/assets/{article.pk}/")
    assert "Check the fuel first." in page.content.decode()
    article.refresh_from_db()
    assert article.open_count == 1 and article.last_opened_at is not None
    assert ActivityEvent.objects.filter(
        actor=p.bob, verb="viewed", object_id=str(article.pk)
    ).exists()
    # Staff checking the page do not make it look used.
    p.client(p.pat).get(f"/library/assets/{article.pk}/")
    article.refresh_from_db()
    assert article.open_count == 1


def test_it_previews_a_pdf_and_an_image_in_the_page(personas):
    p = personas
    pdf = make_asset(p.pat, "Spec sheet", kind=AssetKind.FILE)
    image = make_asset(
        p.pat, "Poster", kind=AssetKind.FILE,
        content={"data": png(), "file_type": "image/png", "file_extension": "png"},
    )  # fmt: skip
    bob = p.client(p.bob)

    page = bob.get(f"/library/assets/{pdf.pk}/").content.decode()
    assert f'<iframe class="asset-pdf" src="/library/assets/{pdf.pk}/file/"' in page
    assert f'href="/library/assets/{pdf.pk}/download/"' in page
    assert f'<img class="asset-image" src="/library/assets/{image.pk}/file/"' in (
        bob.get(f"/library/assets/{image.pk}/").content.decode()
    )
    inline = bob.get(f"/library/assets/{pdf.pk}/file/")
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    assert bob.get(f"/library/assets/{image.pk}/file/")["Content-Security-Policy"].startswith(
        "sandbox"
    )


def test_it_counts_a_download_as_an_activity_event(personas):
    p = personas
    pdf = make_asset(p.pat, "Spec sheet", kind=AssetKind.FILE)
    response = p.client(p.bob).get(f"/library/assets/{pdf.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="spec-sheet.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    event = ActivityEvent.objects.get(actor=p.bob, verb="downloaded")
    assert event.object_id == str(pdf.pk) and event.partner_id == p.dealer_a.pk
    pdf.refresh_from_db()
    assert pdf.open_count == 1


def test_it_counts_following_a_link_and_only_ever_redirects_to_a_web_address(personas):
    p = personas
    link = make_asset(p.pat, "Parts catalogue", kind=AssetKind.LINK)
    response = p.client(p.bob).get(f"/library/assets/{link.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "https://parts.ridgeline.example/"
    assert ActivityEvent.objects.filter(actor=p.bob, verb="opened").count() == 1
    # A stored address that is not http(s) is never followed, whatever put it there.
    link.current_version.url = "javascript:alert(1)"
    link.current_version.save()
    assert p.client(p.bob).get(f"/library/assets/{link.pk}/open/").status_code == 404


def test_it_keeps_one_favourite_however_often_bob_asks(personas):
    p = personas
    guide = make_asset(p.pat, "Generator will not start")
    bob = p.client(p.bob)
    url = f"/library/assets/{guide.pk}/favourite/"

    assert bob.post(url, {"on": "1"})["Location"] == f"/library/assets/{guide.pk}/"
    bob.post(url, {"on": "1"})
    assert Favourite.objects.filter(user=p.bob, asset=guide).count() == 1

    partial = bob.post(url, {"on": "0"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "Add to favourites" in partial.content.decode()
    assert 'aria-pressed="false"' in partial.content.decode()
    bob.post(url, {"on": "0"})
    assert not Favourite.objects.filter(user=p.bob).exists()
    # An off-site "next" is ignored.
    assert bob.post(url, {"on": "1", "next": "https://evil.example/"})["Location"] == (
        f"/library/assets/{guide.pk}/"
    )


def test_it_shows_partners_the_history_but_only_staff_download_old_versions(personas):
    p = personas
    pdf = make_asset(p.pat, "Price list", kind=AssetKind.FILE)
    from tests.support.library import content_for

    actions.add_version(p.pat, pdf, content_for(AssetKind.FILE, note="New prices from 1 May"))
    page = p.client(p.bob).get(f"/library/assets/{pdf.pk}/").content.decode()
    assert "New prices from 1 May" in page and "Version 2" in page
    assert "/versions/1/download/" not in page
    assert p.client(p.bob).get(f"/library/assets/{pdf.pk}/versions/1/download/").status_code == 404
    staff = p.client(p.dana)
    assert "/versions/1/download/" in staff.get(f"/library/assets/{pdf.pk}/").content.decode()
    assert staff.get(f"/library/assets/{pdf.pk}/versions/1/download/").status_code == 200


@pytest.mark.parametrize("extra", [0, 12])
def test_it_keeps_the_library_pages_within_their_query_budget(
    personas, django_assert_max_num_queries, extra
):
    p = personas
    service = make_section(p.pat, "Service")
    x200 = make_product()
    for n in range(3 + extra):
        asset = make_asset(
            p.pat, f"Guide {n}", section=service, products=(x200,), tags=("x200", f"tag {n}")
        )
        actions.set_favourite(p.bob, asset, True)
    pdf = make_asset(p.pat, "Spec sheet", kind=AssetKind.FILE, section=service, tags=("x200",))
    bob = p.client(p.bob)
    bob.get("/library/")  # session and portal settings warmed up

    with django_assert_max_num_queries(9):
        assert bob.get("/library/").status_code == 200
    with django_assert_max_num_queries(12):
        assert bob.get("/library/service/").status_code == 200
    with django_assert_max_num_queries(14):
        assert bob.get(f"/library/assets/{pdf.pk}/").status_code == 200


def test_it_puts_new_items_among_what_is_new_for_bob_on_home(personas):
    p = personas
    make_asset(p.pat, "Generator will not start")
    make_asset(p.pat, "Not for Bob", audience=birchwood_only(p))
    home = p.client(p.bob).get("/").content.decode()
    assert "Generator will not start" in home and "New in the library" in home
    assert "Not for Bob" not in home


def test_it_lists_archived_items_nowhere_for_partners(personas):
    p = personas
    guide = make_asset(p.pat, "Generator will not start")
    actions.archive_asset(p.pat, guide)
    assert Asset.objects.get(pk=guide.pk).state == AssetState.ARCHIVED
    body = p.client(p.bob).get("/library/service/").content.decode()
    assert "Generator will not start" not in body
