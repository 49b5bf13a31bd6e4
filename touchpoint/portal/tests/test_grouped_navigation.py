"""The menu is grouped by what people do: vendor staff see the groups that hold a place of
theirs (Communicate, Educate, ... Administer), the group of the current page open; partner
people see one short list; a phone has a bottom bar of the few places used most."""

from __future__ import annotations

from django.urls import reverse

from conftest import Personas
from touchpoint.portal.navigation import navigation_for, phone_bar_for


def headings(user: object, path: str = "/") -> list[str]:
    return [str(group.label) for group in navigation_for(user, path) if group.heading]  # type: ignore[arg-type]


def labels_in(user: object, heading: str) -> list[str]:
    for group in navigation_for(user, "/"):  # type: ignore[arg-type]
        if str(group.label) == heading:
            return [str(item.label) for item in group.items]
    return []


def test_pat_the_portal_admin_sees_her_places_grouped_by_what_she_does(
    personas: Personas,
) -> None:
    assert headings(personas.pat) == [
        "Communicate",
        "Educate",
        "Measure",
        "Align",
        "Sell",
        "Administer",
    ]
    assert "News" in labels_in(personas.pat, "Communicate")
    assert "Manage learning" in labels_in(personas.pat, "Educate")
    assert "Partners" in labels_in(personas.pat, "Align")
    assert {"Staff", "Audit log", "Portal settings"} <= set(labels_in(personas.pat, "Administer"))


def test_mia_the_content_owner_administers_only_her_audiences(personas: Personas) -> None:
    assert labels_in(personas.mia, "Administer") == ["Audiences"]
    assert {"Learning", "Manage learning", "Library", "Manage library"} <= set(
        labels_in(personas.mia, "Educate")
    )


def test_dana_the_channel_manager_finds_her_partners_under_align(personas: Personas) -> None:
    assert "Partners" in labels_in(personas.dana, "Align")
    assert "Style guide" not in labels_in(personas.dana, "Administer")


def test_bob_the_sales_rep_sees_one_short_list_without_group_headings(
    personas: Personas,
) -> None:
    groups = navigation_for(personas.bob, "/")
    assert [group.heading for group in groups] == [False]
    labels = [str(item.label) for item in groups[0].items]
    assert labels[:5] == ["Home", "Learning", "Library", "News", "Community"]
    assert "Style guide" not in labels and "Staff" not in labels


def test_it_opens_the_group_of_the_current_page_and_marks_the_page(personas: Personas) -> None:
    groups = navigation_for(personas.pat, reverse("orgs:staff_list"))
    opened = [str(group.label) for group in groups if group.open]
    assert opened == ["Administer"]
    current = [str(i.label) for group in groups for i in group.items if i.active]
    assert current == ["Staff"]


def test_the_phone_bar_holds_home_learning_library_and_search(personas: Personas) -> None:
    for person in (personas.bob, personas.pat):
        assert [str(item.label) for item in phone_bar_for(person, "/")] == [
            "Home",
            "Learning",
            "Library",
            "Search",
        ]
    assert [item.active for item in phone_bar_for(personas.bob, reverse("library:home"))] == [
        False,
        False,
        True,
        False,
    ]


def test_the_sidebar_renders_collapsible_groups_with_the_current_one_open(
    personas: Personas,
) -> None:
    page = personas.client(personas.pat).get(reverse("orgs:staff_list")).content.decode()
    assert '<details class="sidenav-group" open' in page
    assert page.count('<details class="sidenav-group"') == 6
    assert 'aria-current="page">' in page
    assert 'class="phone-bar"' in page
