"""Search: Bob finds what is meant for him, ranked and highlighted, and nothing else; Mia
sees what people searched for and did not find."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from tests.support.courses import make_course
from touchpoint.courses import actions as learning
from touchpoint.kernel.models import ActivityEvent, ApiToken
from touchpoint.library.models import Asset, AssetKind, AssetState, AssetVersion, Section
from touchpoint.orgs.models import Audience, Department
from touchpoint.search import index
from touchpoint.search.models import Entry, Miss
from touchpoint.search.query import search


@pytest.fixture
def service(personas):
    department = Department.objects.get_or_create(name="Service")[0]
    return Section.objects.create(
        name="Service", slug="service", department=department, owner=personas.mia
    )


def publish(section, owner, title, text="", *, kind=AssetKind.ARTICLE, audience=None, **fields):
    asset = Asset.objects.create(
        section=section,
        kind=kind,
        title=title,
        summary=fields.pop("summary", ""),
        department=section.department,
        owner=owner,
        audience=audience,
        state=fields.pop("state", AssetState.PUBLISHED),
        **fields,
    )
    asset.current_version = AssetVersion.objects.create(asset=asset, number=1, body=text)
    asset.save()
    index.update(asset)
    return asset


def gold_only(personas):
    audience = Audience.objects.create(name="Gold dealers")
    audience.tiers.add(personas.tiers["Gold"])
    return audience


def test_it_finds_an_article_by_part_of_a_word_and_highlights_it(personas, service):
    publish(service, personas.mia, "Extended warranty for the X200", "<p>Offer it at the till.</p>")
    publish(service, personas.mia, "Chain sharpening", "<p>Use a round file.</p>")

    results = search(personas.bob, "warr")

    assert [h.url for h in results.hits] == [
        Asset.objects.get(title__startswith="Ext").get_absolute_url()
    ]
    assert "<mark>" in results.hits[0].title and results.total == 1
    assert results.facets == {"article": 1}


def test_it_ranks_a_title_match_above_a_mention_in_the_text(personas, service):
    publish(service, personas.mia, "Till procedures", "<p>Mention the carburettor kit.</p>")
    publish(service, personas.mia, "Carburettor cleaning", "<p>Step by step.</p>")

    titles = [str(h.title) for h in search(personas.bob, "carburettor").hits]

    assert titles[0].startswith("<mark>Carburettor")


def test_partners_only_find_what_their_audience_reaches(personas, service):
    publish(service, personas.mia, "Gold dealer pricing sheet", audience=gold_only(personas))

    assert search(personas.bob, "pricing").total == 1  # Alder Creek is Gold
    assert search(personas.carol, "pricing").total == 0  # Birchwood is Silver
    assert search(personas.dana, "pricing").total == 1  # vendor staff see everything published


def test_drafts_and_archived_items_are_never_found(personas, service):
    publish(service, personas.mia, "Draft recall notice", state=AssetState.DRAFT)
    live = publish(service, personas.mia, "Recall notice for X200 batteries")
    assert search(personas.bob, "recall").total == 1

    live.state = AssetState.ARCHIVED
    live.save()
    index.update(live)

    assert search(personas.bob, "recall").total == 0
    assert not Entry.objects.filter(kind="article").exists()


def test_published_courses_and_their_lessons_are_found_and_leave_when_unpublished(personas):
    course = make_course(personas.mia, "Hydrostatic transmission service")

    results = search(personas.bob, "hydrostatic")
    assert results.facets == {"course": 1, "lesson": 2}

    learning.set_course_status(personas.mia, course, "draft")
    assert search(personas.bob, "hydrostatic").total == 0


def test_it_filters_by_kind_and_section(personas, service):
    publish(service, personas.mia, "Mower blade guide")
    make_course(personas.mia, "Mower blade safety")

    assert search(personas.bob, "mower", kind="course").total == 1
    assert search(personas.bob, "mower", section=service.pk).total == 1
    assert search(personas.bob, "mower").total == 4  # the article, the course, its 2 lessons


def test_it_tolerates_a_typo_when_nothing_matches_exactly(personas, service):
    publish(service, personas.mia, "Extended warranty for the X200")

    results = search(personas.bob, "warrenty")

    assert results.approximate and results.hits
    assert "warranty" in str(results.hits[0].title).lower()


@pytest.mark.parametrize(
    ("query", "found"),
    [('"', 0), ("warranty OR", 1), ("NEAR(zq b)", 0), ("x200*:", 1), ("zq & | !", 0), ("-- ;", 0)],
)
def test_search_syntax_in_the_words_is_never_interpreted(personas, service, query, found):
    publish(service, personas.mia, "Extended warranty for the X200")

    results = search(personas.bob, query)  # no error from either engine: only the words count

    assert results.total == found
    assert all("X200" in str(hit.title) for hit in results.hits)


def test_the_page_searches_live_and_records_a_submitted_search(personas, service):
    publish(service, personas.mia, "Extended warranty for the X200")
    bob = personas.client(personas.bob)

    live = bob.get("/search/?q=warranty", headers={"HX-Request": "true"})
    page = bob.get("/search/?q=warranty")

    assert "<html" not in live.content.decode() and "Extended" in live.content.decode()
    assert "Extended" in page.content.decode()
    assert ActivityEvent.objects.filter(verb="searched", actor=personas.bob).count() == 1


def test_searches_that_find_nothing_are_counted_for_content_owners(personas, service):
    bob, carol, mia = (personas.client(u) for u in (personas.bob, personas.carol, personas.mia))
    bob.get("/search/?q=Snow+blower+belts")
    carol.get("/search/?q=snow  blower BELTS")

    miss = Miss.objects.get()
    assert (miss.query, miss.count) == ("snow blower belts", 2)
    assert "snow blower belts" in mia.get("/search/misses/").content.decode()
    assert bob.get("/search/misses/").status_code == 403

    mia.post(f"/search/misses/{miss.pk}/handled/")
    miss.refresh_from_db()
    assert miss.handled_by == personas.mia
    assert "snow blower belts" not in mia.get("/search/misses/").content.decode()


def test_it_counts_a_miss_only_when_the_search_is_submitted_not_while_typing(personas):
    bob = personas.client(personas.bob)

    for typed in ("sn", "snow", "snow bl"):
        bob.get(f"/search/?q={typed}", headers={"HX-Request": "true"})
    assert not Miss.objects.exists()

    bob.get("/search/?q=snow+blower+belts")
    assert list(Miss.objects.values_list("query", "count")) == [("snow blower belts", 1)]
    event = ActivityEvent.objects.get(verb="searched", actor=personas.bob)
    assert (event.object_name, event.extra) == ("snow blower belts", {"results": 0})


def test_the_search_page_keeps_to_its_query_budget(
    personas, service, django_assert_max_num_queries
):
    for n in range(30):
        publish(service, personas.mia, f"Warranty bulletin {n}", "<p>Warranty text.</p>")
    bob = personas.client(personas.bob)
    bob.get("/")  # session and portal settings warm

    with django_assert_max_num_queries(12):
        response = bob.get("/search/?q=warranty")

    assert response.content.decode().count('class="search-hit"') == 20


def test_a_rebuild_gives_the_same_index(personas, service):
    publish(service, personas.mia, "Extended warranty for the X200")
    make_course(personas.mia, "Hydrostatic transmission service")
    before = set(Entry.objects.values_list("kind", "object_id", "title"))

    call_command("search_rebuild", verbosity=0)

    assert set(Entry.objects.values_list("kind", "object_id", "title")) == before
    assert search(personas.bob, "hydrostatic").total == 3


def test_the_api_gives_the_same_results_to_a_token_with_the_content_scope(personas, service):
    publish(service, personas.mia, "Gold dealer pricing sheet", audience=gold_only(personas))
    bob_key = ApiToken.issue(personas.bob, "Dealer CRM", ["content:read"])[1]
    carol_key = ApiToken.issue(personas.carol, "Dealer CRM", ["content:read"])[1]
    narrow_key = ApiToken.issue(personas.bob, "Org sync", ["orgs:read"])[1]

    def call(key):
        return Client().get("/api/v1/search?q=pricing", HTTP_AUTHORIZATION=f"Bearer {key}")

    found = call(bob_key).json()
    assert found["total"] == 1 and found["results"][0]["kind"] == "article"
    assert "<mark>pricing</mark>" in found["results"][0]["title"].lower()
    assert call(carol_key).json()["total"] == 0
    assert call(narrow_key).status_code == 403
    assert "/api/v1/search" in Client().get("/api/v1/openapi.json").json()["paths"]


def test_it_takes_no_more_of_a_pasted_page_than_a_query_can_be(personas):
    from touchpoint.kernel.forms import QUERY_MAX_LENGTH

    pasted = "warranty" * 375  # 3,000 characters, no spaces
    page = personas.client(personas.bob).get("/search/", {"q": pasted}).content.decode()
    taken = pasted[:QUERY_MAX_LENGTH]
    assert f"Nothing found for “{taken}”" in page
    assert page.count(f'value="{taken}"') == 2
    # Both search boxes, the top bar's and the page's, refuse to take more.
    assert page.count(f'maxlength="{QUERY_MAX_LENGTH}"') == 2
    assert Miss.objects.get().query == pasted[:QUERY_MAX_LENGTH]
