"""Partners ask and answer in the forums: categories for their audience only, questions and
discussions, safe formatting, mentions and follows that notify, accepted answers, linked
portal items, best practices in their list and in search, and a thread page whose query
count does not grow with its replies."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support import factories as f
from tests.support.community import (
    add_many_replies,
    add_reply,
    make_category,
    make_thread,
    only_for_partner,
    only_for_service_techs,
)
from tests.support.library import make_asset
from touchpoint.community.formatting import render
from touchpoint.community.models import Post, PostLink, Subscription, Thread, ThreadKind
from touchpoint.kernel.models import Notification
from touchpoint.orgs.models import Audience, StaffRoleKind
from touchpoint.search.query import search

# A thread page, whatever its length: session, user, thread with its category (audience in
# the same query), the viewed event, moderator check, post count, the page of posts, their
# linked items, author badges (two), following, portal settings: 12 for a partner and for a
# moderator; +1 when a partner reads linked items (which they may open), +1 on the first
# page when the accepted answer is on a later one.
THREAD_PAGE_BUDGET = 14


@pytest.fixture
def lee(personas):  # type: ignore[no-untyped-def]
    return f.StaffFactory(
        email="lee@ridgeline.example", name="Lee Park", roles=[StaffRoleKind.MODERATOR]
    )


def notes(person, kind="forum"):  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(recipient=person, kind=kind).values_list("title", flat=True)
    )


def test_it_shows_each_person_only_the_categories_meant_for_them(personas):
    p = personas
    make_category("Sales talk", position=1)
    make_category("Service techs only", audience=only_for_service_techs(), position=2)
    gold = Audience.objects.create(name="Gold dealers")
    gold.tiers.add(p.tiers["Gold"])
    make_category("Gold dealer lounge", audience=gold, position=3)

    def names(user) -> list[str]:  # type: ignore[no-untyped-def]
        page = p.client(user).get("/community/")
        assert page.status_code == 200
        return [c.name for c in page.context["categories"]]

    assert names(p.hannah) == ["Sales talk", "Service techs only", "Gold dealer lounge"]
    assert names(p.bob) == ["Sales talk", "Gold dealer lounge"]  # Gold, but sales
    assert names(p.carol) == ["Sales talk"]  # Silver, management
    assert names(p.mia) == ["Sales talk", "Service techs only", "Gold dealer lounge"]  # staff


def test_it_refuses_posting_in_a_category_outside_your_audience_and_keeps_nothing(personas):
    p = personas
    techs = make_category("Service techs only", audience=only_for_service_techs())
    bob = p.client(p.bob)

    page = bob.get(f"/community/categories/{techs.pk}/new/")
    posted = bob.post(
        f"/community/categories/{techs.pk}/new/",
        {"kind": "question", "title": "Sneaking in", "body": "Hello"},
    )

    assert page.status_code == posted.status_code == 404
    assert not Thread.objects.exists()
    thread = make_thread(p.hannah, techs, "Spindle bearing noise")
    assert bob.get(thread.get_absolute_url()).status_code == 404
    assert bob.post(f"/community/threads/{thread.pk}/reply/", {"body": "me too"}).status_code == 404
    assert Post.objects.filter(author=p.bob).count() == 0


def test_bob_asks_a_question_and_hannah_answers_it(personas):
    p = personas
    sales = make_category("Sales talk")
    bob, hannah = p.client(p.bob), p.client(p.hannah)

    asked = bob.post(
        f"/community/categories/{sales.pk}/new/",
        {"kind": "question", "title": "Financing for the X200?", "body": "Is 0% still on?"},
    )
    thread = Thread.objects.get()
    assert asked.status_code == 302 and asked["Location"] == thread.get_absolute_url()
    assert thread.kind == ThreadKind.QUESTION and thread.author == p.bob

    replied = hannah.post(f"/community/threads/{thread.pk}/reply/", {"body": "Yes, until June."})
    answer = Post.objects.get(is_opening=False)
    assert replied.status_code == 302
    assert replied["Location"] == f"/community/posts/{answer.pk}/"
    assert hannah.get(replied["Location"])["Location"].endswith(f"#post-{answer.pk}")
    thread.refresh_from_db()
    assert thread.reply_count == 1

    page = bob.get(thread.get_absolute_url())
    body = page.content.decode()
    assert "Is 0% still on?" in body and "Yes, until June." in body
    assert "Alder Creek" in body  # Hannah's company is named on her post
    empty = bob.post(f"/community/threads/{thread.pk}/reply/", {"body": "  "})
    assert empty.status_code == 400


def test_it_formats_a_small_safe_subset_and_removes_scripts_and_javascript_links():
    html = render(
        "**Bold** and *italic* and `x < y`\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "[guide](https://ridgeline.example/guide) and https://parts.ridgeline.example/x200\n\n"
        '<script>alert("x")</script> [click](javascript:alert(1)) <a href="javascript:alert(2)">a</a>'
        ' <img src=x onerror="alert(3)">'
    )
    assert "<strong>Bold</strong>" in html and "<em>italic</em>" in html
    assert "<code>x &lt; y</code>" in html
    assert "<ul><li>one</li><li>two</li></ul>" in html
    assert "<ol><li>first</li><li>second</li></ol>" in html
    assert (
        '<a href="https://ridgeline.example/guide" rel="noopener noreferrer nofollow">guide</a>'
        in html
    )
    assert 'href="https://parts.ridgeline.example/x200"' in html
    # Typed HTML is shown as text, never run: no tags of the author's survive.
    assert "<script" not in html and "<img" not in html
    hrefs = re.findall(r'<a href="([^"]*)"', html)
    assert hrefs == ["https://ridgeline.example/guide", "https://parts.ridgeline.example/x200"]
    assert "&lt;script&gt;" in html  # shown as typed, never run


def test_mentions_notify_only_people_who_can_see_the_category(personas, lee):
    p = personas
    techs = make_category("Service techs only", audience=only_for_service_techs())
    sales = make_category("Sales talk")

    make_thread(
        p.hannah, techs, "Belt squeal",
        "@bob@aldercreek.example and @lee@ridgeline.example: any idea? cc @nobody@example.com",
    )  # fmt: skip
    assert notes(p.bob) == []  # a sales rep cannot see the techs' category
    assert notes(lee) == ["Hannah Kim mentioned you in Belt squeal"]

    thread = make_thread(p.hannah, sales, "Demo day", "@BOB@aldercreek.example will you come?")
    assert notes(p.bob) == ["Hannah Kim mentioned you in Demo day"]
    post = thread.posts.get()
    assert "<strong>@BOB@aldercreek.example</strong>" in post.body_html


def test_following_a_thread_or_a_category_notifies_of_replies_and_new_threads(personas):
    p = personas
    sales = make_category("Sales talk")
    carol = p.client(p.carol)
    assert carol.post(f"/community/categories/{sales.pk}/follow/", {"on": "1"}).status_code == 302

    thread = make_thread(p.bob, sales, "Spring promotion ideas", kind=ThreadKind.DISCUSSION)
    assert notes(p.carol) == ["New in Sales talk: Spring promotion ideas"]

    # Bob follows his own thread; Carol follows it from the page (htmx swaps the button).
    partial = carol.post(
        f"/community/threads/{thread.pk}/follow/", {"on": "1"}, headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200 and "Following" in partial.content.decode()
    add_reply(p.hannah, thread, "Free first service!")
    assert notes(p.bob) == ["Hannah Kim replied to Spring promotion ideas"]
    assert "Hannah Kim replied to Spring promotion ideas" in notes(p.carol)
    assert notes(p.hannah) == []  # never about one's own post

    carol.post(f"/community/threads/{thread.pk}/follow/", {"on": "0"})
    add_reply(p.bob, thread, "Good one")
    assert notes(p.carol).count("Bob Tran replied to Spring promotion ideas") == 0
    assert Subscription.objects.filter(user=p.carol, thread=thread).count() == 0


def test_the_asker_accepts_an_answer_and_others_may_not(personas, lee):
    p = personas
    sales = make_category("Sales talk")
    thread = make_thread(p.bob, sales, "Financing for the X200?")
    answer = add_reply(p.hannah, thread, "0% for 24 months.")
    url = f"/community/posts/{answer.pk}/accept/"

    # Carol sees the answer but did not ask: the URL is as missing for her as any other.
    assert p.client(p.carol).post(url, {"on": "1"}).status_code == 404
    assert p.client(p.bob).post(url, {"on": "1"}).status_code == 302
    thread.refresh_from_db()
    assert thread.accepted_post == answer
    assert notes(p.hannah) == ["Your answer in Financing for the X200? was accepted"]
    page = p.client(p.carol).get(thread.get_absolute_url())
    assert page.context["accepted"] == answer
    assert "Accepted answer" in page.content.decode()

    # A moderator may change it; a discussion has no accepted answer.
    better = add_reply(lee, thread, "Also 2.9% over 60 months.")
    assert p.client(lee).post(f"/community/posts/{better.pk}/accept/").status_code == 302
    thread.refresh_from_db()
    assert thread.accepted_post == better
    talk = make_thread(p.bob, sales, "Chit-chat", kind=ThreadKind.DISCUSSION)
    reply = add_reply(p.hannah, talk)
    assert p.client(p.bob).post(f"/community/posts/{reply.pk}/accept/").status_code == 409


def test_a_moderator_links_portal_items_from_an_answer_and_content_owners_see_them(personas, lee):
    p = personas
    techs = make_category("Service techs only", audience=only_for_service_techs())
    article = make_asset(p.pat, "X200 deck vibration: troubleshooting")
    secret = make_asset(p.pat, "Birchwood price list", audience=only_for_partner(p.dealer_b))
    thread = make_thread(p.hannah, techs, "Deck vibrates at full speed")
    lee_client = p.client(lee)

    found = lee_client.get("/community/moderation/link-search/", {"link_q": "deck vibration"})
    assert found.status_code == 200
    assert f'value="article:{article.pk}"' in found.content.decode()
    assert (
        p.client(p.hannah).get("/community/moderation/link-search/?link_q=deck").status_code == 403
    )

    # Without JavaScript, "Find" submits the reply form: results shown, the text kept.
    no_js = lee_client.post(
        f"/community/threads/{thread.pk}/reply/",
        {"body": "Draft answer", "link_q": "deck vibration", "find_links": "1"},
    )
    assert no_js.status_code == 200 and not Post.objects.filter(author=lee).exists()
    assert f'value="article:{article.pk}"' in no_js.content.decode()
    assert "Draft answer" in no_js.content.decode()

    posted = lee_client.post(
        f"/community/threads/{thread.pk}/reply/",
        {
            "body": "Balance the blades first.",
            "link": [f"article:{article.pk}", f"article:{secret.pk}"],
        },
    )
    assert posted.status_code == 302, posted.context["form"].errors
    answer = Post.objects.get(author=lee)
    assert sorted(PostLink.objects.filter(post=answer).values_list("title", flat=True)) == [
        "Birchwood price list",
        "X200 deck vibration: troubleshooting",
    ]
    p.client(p.hannah).post(f"/community/posts/{answer.pk}/accept/")

    # Hannah sees the article linked under the answer, not the item that is not for her.
    page = p.client(p.hannah).get(thread.get_absolute_url()).content.decode()
    assert article.get_absolute_url() in page and secret.get_absolute_url() not in page

    # A partner's "links" are ignored: only moderators link items.
    add_reply(p.hannah, thread, "Thanks!")
    p.client(p.hannah).post(
        f"/community/threads/{thread.pk}/reply/", {"body": "See", "link": f"article:{article.pk}"}
    )
    assert PostLink.objects.count() == 2

    report = p.client(p.mia).get("/community/content/")
    assert report.status_code == 200
    rows = {row["title"]: row for row in report.context["items"]}
    assert rows["X200 deck vibration: troubleshooting"]["answers"] == 1
    assert rows["X200 deck vibration: troubleshooting"]["accepted"] == 1
    assert rows["X200 deck vibration: troubleshooting"]["threads"] == [thread]
    assert p.client(p.bob).get("/community/content/").status_code == 403


def test_best_practices_have_their_own_list_and_are_found_in_search(personas, lee):
    p = personas
    sales = make_category("Sales talk")
    techs = make_category("Service techs only", audience=only_for_service_techs())
    tip = add_reply(p.hannah, make_thread(p.bob, sales, "Closing tips"), "Offer the plan early.")
    tech_tip = add_reply(lee, make_thread(p.hannah, techs, "Winter storage"), "Stabilise fuel.")
    for post in (tip, tech_tip):
        assert p.client(lee).post(f"/community/posts/{post.pk}/best-practice/", {"on": "1"}).status_code == 302  # fmt: skip

    listed = p.client(p.bob).get("/community/best-practices/")
    assert [post.pk for post in listed.context["page"]] == [tip.pk]
    assert [post.pk for post in p.client(p.hannah).get("/community/best-practices/").context["page"]] == [tech_tip.pk, tip.pk]  # fmt: skip

    hits = search(p.bob, "offer plan early", kind="forum").hits
    assert [h.url for h in hits] == [f"/community/posts/{tip.pk}/"]
    assert search(p.bob, "stabilise fuel").hits == []  # not for a sales rep
    assert search(p.hannah, "stabilise fuel", kind="forum").hits
    found = {h.url for h in search(p.bob, "closing tips", kind="forum").hits}
    assert found == {tip.thread.get_absolute_url(), tip.get_absolute_url()}

    p.client(lee).post(f"/community/posts/{tip.pk}/best-practice/", {"on": "0"})
    assert list(p.client(p.bob).get("/community/best-practices/").context["page"]) == []
    # No longer a best practice of its own: an ordinary reply, found through its thread.
    hits = search(p.bob, "offer plan early", kind="forum").hits
    assert [h.url for h in hits] == [tip.thread.get_absolute_url()]


@pytest.mark.parametrize("replies", [20, 200])
def test_a_thread_page_keeps_to_its_query_budget_however_many_replies(
    personas, lee, replies, django_assert_max_num_queries
):
    p = personas
    sales = make_category("Sales talk", moderators=[lee])
    thread = make_thread(p.bob, sales, "Long one")
    others = [p.bob, p.hannah, p.carol, p.alice, lee, p.mia]
    add_many_replies(thread, others, replies)
    article = make_asset(p.pat, "X200 deck vibration: troubleshooting")
    for post in Post.objects.filter(author=lee)[:5]:
        PostLink.objects.create(post=post, kind="article", object_id=str(article.pk), title="X", url="/x/")  # fmt: skip
    Thread.objects.filter(pk=thread.pk).update(accepted_post=Post.objects.filter(author=p.hannah).last())  # fmt: skip
    readers = [(p.client(p.carol), "carol"), (p.client(lee), "lee")]

    for client, _who in readers:
        for page in ("", "?page=3", "?page=last"):
            with django_assert_max_num_queries(THREAD_PAGE_BUDGET):
                response = client.get(f"{thread.get_absolute_url()}{page}")
            assert response.status_code == 200


def test_the_thread_page_query_count_is_the_same_for_20_and_200_replies(personas, lee):
    p = personas
    sales = make_category("Sales talk")
    counts = []
    for size in (20, 200):
        thread = make_thread(p.bob, sales, f"Thread with {size}")
        add_many_replies(thread, [p.bob, p.hannah, lee], size)
        client = p.client(p.carol)
        client.get(thread.get_absolute_url())  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{thread.get_absolute_url()}?page=2").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
