"""Searching the forum from the community pages: threads and their replies that the person
may see, the words marked, a page at a time."""

from __future__ import annotations

from tests.support.community import add_reply, make_category, make_thread, only_for_partner


def test_bob_finds_a_thread_by_words_in_a_reply_with_the_words_marked(personas):
    p = personas
    talk = make_category("Service talk")
    thread = make_thread(p.alice, talk, "Deck vibrates at full speed", "Any idea?")
    add_reply(p.carol, thread, "Check the spindle bearings before the belt.")
    make_thread(p.alice, talk, "Spring price list", "Where is it?")

    page = p.client(p.bob).get("/community/search/", {"q": "spindle"}).content.decode()
    assert thread.get_absolute_url() in page
    assert "<mark>spindle</mark>" in page.lower()
    assert "Spring price list" not in page


def test_a_thread_of_a_category_for_another_partner_is_not_found(personas):
    p = personas
    birchwood = make_category("Birchwood only", audience=only_for_partner(p.dealer_b))
    ours = make_thread(p.carol, birchwood, "Our spindle supplier", "Ask me for the number.")
    assert ours.get_absolute_url() in (
        p.client(p.carol).get("/community/search/", {"q": "spindle"}).content.decode()
    )
    assert ours.get_absolute_url() not in (
        p.client(p.bob).get("/community/search/", {"q": "spindle"}).content.decode()
    )


def test_many_threads_come_a_page_at_a_time(personas):
    p = personas
    talk = make_category("Service talk")
    for n in range(23):
        # Ridgeline's experts: no posting rate applies to them.
        make_thread(p.mia if n % 2 else p.pat, talk, f"Mower question {n}", "Blade wear?")
    bob = p.client(p.bob)
    first = bob.get("/community/search/", {"q": "blade"}).content.decode()
    second = bob.get("/community/search/", {"q": "blade", "page": 2}).content.decode()
    assert first.count("search-hit forum-hit") == 20 and second.count("search-hit forum-hit") == 3
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_community_pages_offer_the_search_box(personas):
    body = personas.client(personas.bob).get("/community/").content.decode()
    assert 'action="/community/search/"' in body and 'type="search"' in body
