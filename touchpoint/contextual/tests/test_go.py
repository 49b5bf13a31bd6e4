"""The deep link /go/ from a partner's own system, and the counted /go/item/<id>/."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from tests.support.factories import PASSWORD
from tests.support.library import make_asset
from touchpoint.contextual.models import ContextItem, ContextUsage
from touchpoint.contextual.tests.conftest import map_context
from touchpoint.kernel.models import ActivityEvent

DEEP_LINK = "/go/?app=pos&screen=extended-warranty&product=model-x200"


@pytest.fixture
def guide(personas):
    return make_asset(personas.mia, "X200 extended warranty guide")


def test_it_opens_the_only_matching_item_directly_and_counts_it(personas, guide):
    map_context(guide, app="pos", screen="extended-warranty")
    response = personas.client(personas.bob).get(DEEP_LINK)
    assert response.status_code == 302
    assert response["Location"] == reverse("library:asset", args=[guide.pk])

    asked = ActivityEvent.objects.get(actor=personas.bob, verb="requested-help")
    assert asked.extra["app"] == "pos" and asked.extra["product"] == "model-x200"
    assert asked.extra["shown"] == 1 and asked.extra["via"] == "go"
    opened = ActivityEvent.objects.get(actor=personas.bob, verb="launched")
    assert (opened.object_type, opened.object_id) == ("library.asset", str(guide.pk))
    assert opened.partner_id == personas.dealer_a.pk
    assert ContextItem.objects.get().open_count == 1
    usage = ContextUsage.objects.get(app="pos", screen="extended-warranty", product="model-x200")
    assert (usage.asked, usage.empty, usage.opened) == (1, 0, 1)


def test_it_lists_several_items_with_counted_links(personas, guide):
    other = make_asset(personas.mia, "Offering the plan")
    map_context(guide, other, app="pos", screen="extended-warranty")
    client = personas.client(personas.bob)
    page = client.get(DEEP_LINK)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.index("X200 extended warranty guide") < body.index("Offering the plan")
    item = ContextItem.objects.get(asset=other)
    link = f"/go/item/{item.pk}/?app=pos&amp;screen=extended-warranty&amp;product=model-x200&amp;via=list"
    assert link in body

    opened = client.get(link.replace("&amp;", "&"))
    assert opened["Location"] == reverse("library:asset", args=[other.pk])
    event = ActivityEvent.objects.get(verb="launched")
    assert event.extra["via"] == "list" and event.extra["screen"] == "extended-warranty"
    assert ContextUsage.objects.get(product="model-x200").opened == 1


def test_it_offers_a_search_when_nothing_is_mapped(personas):
    page = personas.client(personas.bob).get("/go/?app=pos&screen=trade-in")
    assert page.status_code == 200
    assert 'href="/search/?q=trade+in"' in page.content.decode()
    usage = ContextUsage.objects.get(app="pos", screen="trade-in")
    assert (usage.asked, usage.empty) == (1, 1)
    # Asking again counts on the same row.
    personas.client(personas.bob).get("/go/?app=POS&screen=Trade In")
    usage.refresh_from_db()
    assert (usage.asked, usage.empty) == (2, 2)


def test_it_sends_a_signed_out_person_to_sign_in_and_back_to_the_same_place(personas, guide):
    map_context(guide, app="pos", screen="extended-warranty")
    response = Client().get(DEEP_LINK)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(DEEP_LINK, safe='/')}"

    client = Client()
    signed_in = client.post(
        "/accounts/login/", {"login": personas.bob.email, "password": PASSWORD, "next": DEEP_LINK}
    )
    assert signed_in["Location"] == DEEP_LINK
    assert client.get(DEEP_LINK)["Location"] == reverse("library:asset", args=[guide.pk])


@pytest.mark.parametrize(
    "crafted",
    [
        "&next=https://evil.example/",
        "&url=//evil.example/",
        "&next=%2F%2Fevil.example",
        "&redirect=https:%2F%2Fevil.example",
    ],
)
def test_it_never_redirects_off_the_site(personas, guide, crafted):
    map_context(guide, app="pos")
    client = personas.client(personas.bob)
    for url in (
        f"/go/?app=pos{crafted}",
        f"/go/item/{ContextItem.objects.get().pk}/?app=pos{crafted}",
    ):
        location = client.get(url)["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
        assert "evil" not in location
    # Signing in with a crafted next stays on the site too.
    signed_in = Client().post(
        "/accounts/login/",
        {"login": personas.bob.email, "password": PASSWORD, "next": "https://evil.example/go/"},
    )
    assert "evil" not in signed_in["Location"]


def test_it_refuses_an_item_the_person_may_not_see(personas, birchwood_only):
    promo = make_asset(personas.mia, "Birchwood promo", audience=birchwood_only)
    map_context(promo, app="pos")
    item = ContextItem.objects.get()
    assert personas.client(personas.bob).get(f"/go/item/{item.pk}/").status_code == 404
    assert personas.client(personas.carol).get(f"/go/item/{item.pk}/").status_code == 302
    assert not ActivityEvent.objects.filter(actor=personas.bob, verb="launched").exists()


def test_it_checks_the_persons_audiences_afresh_when_an_item_is_opened(personas, birchwood_only):
    promo = make_asset(personas.mia, "Birchwood promo", audience=birchwood_only)
    map_context(promo, app="pos")
    item = ContextItem.objects.get()
    carol = personas.client(personas.carol)
    assert carol.get("/go/?app=pos")["Location"] == promo.get_absolute_url()  # cached now

    birchwood_only.partners.set([personas.dealer_a])  # now meant for Alder Creek instead

    assert carol.get(f"/go/item/{item.pk}/").status_code == 404


def test_a_crafted_context_on_an_item_link_adds_no_usage_rows(personas, guide):
    map_context(guide, app="pos")
    item = ContextItem.objects.get()
    personas.client(personas.bob).get(f"/go/item/{item.pk}/?app=made-up&screen=x")
    assert not ContextUsage.objects.exists()


def test_the_deep_link_stays_within_its_query_budget(
    personas, guide, django_assert_max_num_queries
):
    other = make_asset(personas.mia, "Offering the plan")
    for n in range(10):
        map_context(guide, app="pos", screen=f"screen-{n}")
    map_context(guide, other, app="pos", screen="extended-warranty")
    client = personas.client(personas.bob)
    client.get(DEEP_LINK)  # warm up: portal settings row, first usage row
    with django_assert_max_num_queries(10):
        assert client.get(DEEP_LINK).status_code == 200
    item = ContextItem.objects.filter(asset=other).first()
    with django_assert_max_num_queries(10):
        assert client.get(f"/go/item/{item.pk}/?app=pos").status_code == 302
