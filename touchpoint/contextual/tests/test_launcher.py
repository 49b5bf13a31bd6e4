"""The app launcher: links to the other systems partners use, for the people their audience
reaches, on /apps/ and home; clicks are counted on the way out."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from touchpoint.contextual.models import LauncherLink
from touchpoint.kernel.models import ActivityEvent, AuditEntry


@pytest.fixture
def links(personas, birchwood_only):
    return {
        "ordering": LauncherLink.objects.create(name="Ridgeline ordering", url="https://orders.ridgeline.example/", icon="cart", position=1, sso_hint="Sign in with your Ridgeline account", on_home=True),
        "finance": LauncherLink.objects.create(name="Birchwood finance", url="https://finance.example.com/", audience=birchwood_only, position=2, on_home=True),
        "hidden": LauncherLink.objects.create(name="Old portal", url="https://old.example.com/", is_active=False),
    }  # fmt: skip


def test_people_see_the_links_their_audience_reaches_on_apps_and_home(personas, links):
    bob = personas.client(personas.bob)
    page = bob.get("/apps/").content.decode()
    assert "Ridgeline ordering" in page and "Sign in with your Ridgeline account" in page
    assert "Birchwood finance" not in page and "Old portal" not in page
    home = bob.get("/")
    quick = [link.title for link in home.context["home"].quick_links]
    assert quick[0] == "Ridgeline ordering" and "Birchwood finance" not in quick
    carol = personas.client(personas.carol).get("/apps/").content.decode()
    assert "Birchwood finance" in carol


def test_a_click_is_counted_then_sent_to_the_other_system(personas, links):
    link = links["ordering"]
    response = personas.client(personas.bob).get(f"/apps/{link.pk}/open/")
    assert (
        response.status_code == 302 and response["Location"] == "https://orders.ridgeline.example/"
    )
    event = ActivityEvent.objects.get(verb="launched")
    assert (event.actor, event.object_type, event.object_id) == (
        personas.bob,
        "contextual.launcherlink",
        str(link.pk),
    )
    link.refresh_from_db()
    assert link.open_count == 1


def test_a_link_outside_the_persons_audience_is_not_found(personas, links):
    bob = personas.client(personas.bob)
    assert bob.get(f"/apps/{links['finance'].pk}/open/").status_code == 404
    assert bob.get(f"/apps/{links['hidden'].pk}/open/").status_code == 404
    assert not ActivityEvent.objects.filter(verb="launched").exists()


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (31, 95, 139)).save(out, format="PNG")
    return SimpleUploadedFile("../../evil name.png", out.getvalue(), content_type="image/png")


def test_pat_manages_launcher_links_with_an_audit_trail(personas, links):
    client = personas.client(personas.pat)
    assert client.get("/apps/manage/").status_code == 200
    created = client.post(
        "/apps/manage/new/",
        {"name": "Parts catalogue", "url": "https://parts.ridgeline.example/", "icon": "gear",
         "icon_image": png(), "position": 3, "is_active": "on"},
    )  # fmt: skip
    assert created.status_code == 302
    link = LauncherLink.objects.get(name="Parts catalogue")
    assert link.icon_image.name.startswith("launcher/") and "evil" not in link.icon_image.name
    client.post(
        f"/apps/manage/{link.pk}/",
        {"name": "Parts", "url": link.url, "icon": "gear", "position": 3},
    )
    link.refresh_from_db()
    assert (link.name, link.is_active) == ("Parts", False)
    client.post(f"/apps/manage/{link.pk}/delete/")
    assert not LauncherLink.objects.filter(pk=link.pk).exists()
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "launcher_link.created", "launcher_link.updated", "launcher_link.deleted",
    }  # fmt: skip


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.com/", "/relative"])
def test_only_web_addresses_are_accepted(personas, url):
    page = personas.client(personas.pat).post(
        "/apps/manage/new/", {"name": "Bad", "url": url, "icon": "link", "position": 0}
    )
    assert page.status_code == 200 and not LauncherLink.objects.exists()


def test_an_icon_that_is_not_an_image_is_refused(personas):
    fake = SimpleUploadedFile("icon.png", b"<svg onload=alert(1)>", content_type="image/png")
    page = personas.client(personas.pat).post(
        "/apps/manage/new/",
        {
            "name": "X",
            "url": "https://x.example/",
            "icon": "link",
            "icon_image": fake,
            "position": 0,
        },
    )
    assert page.status_code == 200 and not LauncherLink.objects.exists()


def test_only_portal_admins_manage_the_launcher(personas, links):
    for person in (personas.mia, personas.alice):
        client = personas.client(person)
        assert client.get("/apps/manage/").status_code == 403
        assert client.get(f"/apps/manage/{links['ordering'].pk}/").status_code == 404


def test_launch_readiness_counts_the_launcher_and_says_when_help_is_not_mapped(personas, links):
    page = personas.client(personas.pat).get("/library/readiness/").content.decode()

    # The two links shown count; the hidden one does not.
    assert "Links in the app launcher</a></span><strong>2</strong>" in page
    assert "No contextual help mapped" in page
