"""Moderators keep the community useful: reports reach a queue, posts are hidden and shown,
threads locked and moved, edits keep their history (and nobody edits someone else's post),
new posts are rate-limited, a new partner's first posts wait for review, and unanswered
questions are brought to the category's moderators once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support import factories as f
from tests.support.community import (
    add_reply,
    make_category,
    make_thread,
    only_for_service_techs,
)
from touchpoint.community import actions
from touchpoint.community.models import (
    Category,
    Post,
    PostRevision,
    PostStatus,
    Report,
    Subscription,
    Thread,
)
from touchpoint.kernel.models import AuditEntry, Notification
from touchpoint.kernel.scheduler import JOBS
from touchpoint.orgs.models import StaffRoleKind
from touchpoint.search.models import Entry
from touchpoint.search.query import search


@pytest.fixture
def lee(personas):  # type: ignore[no-untyped-def]
    return f.StaffFactory(
        email="lee@ridgeline.example", name="Lee Park", roles=[StaffRoleKind.MODERATOR]
    )


def titles(person, kind="forum_moderation"):  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(recipient=person, kind=kind).values_list("title", flat=True)
    )


def test_a_reported_post_reaches_the_queue_and_a_moderator_hides_it(personas, lee):
    p = personas
    sales = make_category("Sales talk")
    thread = make_thread(p.bob, sales, "Best mower for hills?")
    rude = add_reply(p.hannah, thread, "Buy from the competition, lol")
    bob = p.client(p.bob)

    form = bob.get(f"/community/posts/{rude.pk}/report/")
    assert form.status_code == 200
    assert bob.post(f"/community/posts/{rude.pk}/report/", {"reason": "bogus"}).status_code == 400
    sent = bob.post(f"/community/posts/{rude.pk}/report/", {"reason": "wrong", "note": "Unhelpful"})
    again = bob.post(f"/community/posts/{rude.pk}/report/", {"reason": "spam"})
    assert sent.status_code == again.status_code == 302
    assert Report.objects.filter(post=rude).count() == 1  # reporting twice changes nothing
    assert titles(lee) == ["A post in Best mower for hills? was reported"]

    assert "1 forum post waits for moderation" in p.client(lee).get("/").content.decode()
    queue = p.client(lee).get("/community/moderation/")
    assert [post.pk for post in queue.context["reported"]] == [rude.pk]
    assert "Unhelpful" in queue.content.decode()
    assert bob.get("/community/moderation/").status_code == 403
    # A partner cannot hide a post they see: its moderation URL answers the 404 of a missing
    # post (a URL that names a record never says 403).
    assert bob.post(f"/community/posts/{rude.pk}/hide/", {"on": "1"}).status_code == 404
    assert Post.objects.get(pk=rude.pk).status == PostStatus.PUBLISHED

    hidden = p.client(lee).post(
        f"/community/posts/{rude.pk}/hide/", {"on": "1", "next": "/community/moderation/"}
    )
    assert hidden.status_code == 302 and hidden["Location"] == "/community/moderation/"
    rude.refresh_from_db()
    thread.refresh_from_db()
    assert rude.status == PostStatus.HIDDEN and thread.reply_count == 0
    assert Report.objects.get(post=rude).resolution == "hidden"
    assert "lol" not in bob.get(thread.get_absolute_url()).content.decode()
    assert bob.get(f"/community/posts/{rude.pk}/").status_code == 404
    assert "lol" in p.client(lee).get(thread.get_absolute_url()).content.decode()
    assert AuditEntry.objects.filter(action="community.post_hidden", actor=lee).exists()

    p.client(lee).post(f"/community/posts/{rude.pk}/hide/", {"on": "0"})
    thread.refresh_from_db()
    assert thread.reply_count == 1 and "lol" in bob.get(thread.get_absolute_url()).content.decode()


def test_a_moderator_locks_and_moves_a_thread(personas, lee):
    p = personas
    sales = make_category("Sales talk")
    techs = make_category("Service techs only", audience=only_for_service_techs())
    thread = make_thread(p.hannah, sales, "Spindle bearing noise", "Grinding at idle")
    lee_client, bob = p.client(lee), p.client(p.bob)

    assert lee_client.post(f"/community/threads/{thread.pk}/lock/", {"on": "1"}).status_code == 302
    refused = bob.post(f"/community/threads/{thread.pk}/reply/", {"body": "Me too!"})
    assert refused.status_code == 409
    assert "Me too!" in refused.content.decode()  # what Bob typed is kept in the form
    assert "locked" in refused.content.decode()
    add_reply(lee, thread, "Locked; a moderator may still add the answer.")
    assert bob.post(f"/community/threads/{thread.pk}/lock/", {"on": "0"}).status_code == 404

    page = lee_client.get(f"/community/threads/{thread.pk}/move/")
    assert list(page.context["form"].fields["category"].queryset) == [techs]
    assert search(p.bob, "spindle bearing", kind="forum").hits
    moved = lee_client.post(f"/community/threads/{thread.pk}/move/", {"category": techs.pk})
    assert moved.status_code == 302
    thread.refresh_from_db()
    assert thread.category == techs
    assert bob.get(thread.get_absolute_url()).status_code == 404  # not for a sales rep now
    assert not search(p.bob, "spindle bearing", kind="forum").hits
    assert search(p.hannah, "spindle bearing", kind="forum").hits
    assert Entry.objects.get(kind="forum", object_id=str(thread.pk)).audience == techs.audience


def test_authors_edit_their_own_posts_for_a_while_and_the_history_is_kept(personas, lee, settings):
    p = personas
    settings.FORUM_EDIT_MINUTES = 15
    sales = make_category("Sales talk")
    thread = make_thread(p.bob, sales, "Finance offr", "Is 0% on?")
    opening = thread.posts.get()
    bob = p.client(p.bob)

    saved = bob.post(
        f"/community/posts/{opening.pk}/edit/",
        {"title": "Finance offer", "body": "Is **0%** still on?"},
    )
    assert saved.status_code == 302
    opening.refresh_from_db()
    thread.refresh_from_db()
    assert thread.title == "Finance offer" and "<strong>0%</strong>" in opening.body_html
    revision = PostRevision.objects.get(post=opening)
    assert (revision.previous_body, revision.previous_title, revision.edited_by) == (
        "Is 0% on?",
        "Finance offr",
        p.bob,
    )
    history = bob.get(f"/community/posts/{opening.pk}/history/")
    assert history.status_code == 200 and "Is 0% on?" in history.content.decode()

    # Someone else's post, which Carol can see: its edit and history URLs answer the 404 of
    # a missing post, and nothing changes.
    carol = p.client(p.carol)
    assert carol.get(opening.get_absolute_url()).status_code == 302  # she reads it
    assert carol.get(f"/community/posts/{opening.pk}/edit/").status_code == 404
    assert (
        carol.post(
            f"/community/posts/{opening.pk}/edit/", {"title": "Mine now", "body": "Hacked"}
        ).status_code
        == 404
    )
    assert carol.get(f"/community/posts/{opening.pk}/history/").status_code == 404
    opening.refresh_from_db()
    assert opening.body == "Is **0%** still on?"

    # Past the edit window the author may not edit either; a moderator always may.
    Post.objects.filter(pk=opening.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    assert bob.get(f"/community/posts/{opening.pk}/edit/").status_code == 404
    assert bob.get(f"/community/posts/{opening.pk}/history/").status_code == 200  # still his
    fixed = p.client(lee).post(
        f"/community/posts/{opening.pk}/edit/", {"title": "Finance offer", "body": "Is 0% on?"}
    )
    assert fixed.status_code == 302
    assert PostRevision.objects.filter(post=opening).count() == 2
    assert AuditEntry.objects.filter(action="community.post_edited", actor=lee).exists()
    assert "edited" in p.client(p.carol).get(thread.get_absolute_url()).content.decode()


def test_it_limits_how_fast_one_person_posts_and_keeps_the_text(personas, lee, settings):
    p = personas
    settings.FORUM_POST_RATE = "2/10m"
    sales = make_category("Sales talk")
    thread = make_thread(p.bob, sales, "First")  # 1
    add_reply(p.bob, thread, "Second")  # 2
    bob = p.client(p.bob)

    refused = bob.post(f"/community/threads/{thread.pk}/reply/", {"body": "Third, too fast"})
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "Third, too fast" in body and "10 minutes" in body
    new = bob.post(
        f"/community/categories/{sales.pk}/new/",
        {"kind": "discussion", "title": "Another", "body": "Too fast"},
    )
    assert new.status_code == 429 and Thread.objects.count() == 1
    assert Post.objects.filter(author=p.bob).count() == 2

    # Others are not affected, and older posts leave the window.
    assert add_reply(p.hannah, thread, "Fine").pk
    Post.objects.filter(author=p.bob).update(created_at=timezone.now() - timedelta(minutes=11))
    assert bob.post(f"/community/threads/{thread.pk}/reply/", {"body": "Now"}).status_code == 302
    # Vendor experts answer as many questions as they need to.
    for n in range(3):
        add_reply(lee, thread, f"Answer {n}")


def test_a_new_partners_first_post_waits_for_review(personas, lee, settings):
    p = personas
    settings.FORUM_HOLD_FIRST_POSTS = 1
    sales = make_category("Sales talk", moderators=[lee])
    Subscription.objects.create(user=p.bob, category=sales)
    carol = p.client(p.carol)

    carol.post(
        f"/community/categories/{sales.pk}/new/",
        {"kind": "question", "title": "Where is the price list?", "body": "Cannot find it"},
    )
    thread = Thread.objects.get()
    opening = thread.posts.get()
    assert thread.status == opening.status == PostStatus.HELD
    page = carol.get(thread.get_absolute_url())
    assert page.status_code == 200 and "waits for a moderator" in page.content.decode()
    assert p.client(p.bob).get(thread.get_absolute_url()).status_code == 404
    assert p.client(p.bob).get(sales.get_absolute_url()).context["page"].paginator.count == 0
    assert not search(p.bob, "price list", kind="forum").hits
    assert Notification.objects.filter(recipient=p.bob).count() == 0
    assert titles(lee) == ["A post in Sales talk waits for review"]
    queue = p.client(lee).get("/community/moderation/")
    assert [post.pk for post in queue.context["held"]] == [opening.pk]

    assert p.client(lee).post(f"/community/posts/{opening.pk}/approve/").status_code == 302
    thread.refresh_from_db()
    assert thread.status == PostStatus.PUBLISHED
    assert p.client(p.bob).get(thread.get_absolute_url()).status_code == 200
    assert search(p.bob, "price list", kind="forum").hits
    assert list(Notification.objects.filter(recipient=p.bob).values_list("title", flat=True)) == [
        "New in Sales talk: Where is the price list?"
    ]
    # Approved once, Carol's next post goes straight out; staff are never held.
    assert add_reply(p.carol, thread, "Found it, thanks").status == PostStatus.PUBLISHED
    assert add_reply(lee, thread, "Great").status == PostStatus.PUBLISHED
    # Hannah's first reply is held, counted only once approved.
    held = add_reply(p.hannah, thread, "Page 3")
    thread.refresh_from_db()
    assert held.status == PostStatus.HELD and thread.reply_count == 2
    assert "Page 3" in p.client(p.hannah).get(thread.get_absolute_url()).content.decode()
    assert "Page 3" not in p.client(p.bob).get(thread.get_absolute_url()).content.decode()


def test_unanswered_questions_notify_the_categorys_moderators_once(personas, lee, settings):
    p = personas
    settings.FORUM_UNANSWERED_HOURS = 24
    sam = f.StaffFactory(
        email="sam@ridgeline.example", name="Sam Reyes", roles=[StaffRoleKind.CONTENT_OWNER]
    )
    techs = make_category("Service techs only", audience=only_for_service_techs(), moderators=[sam])
    sales = make_category("Sales talk")  # no moderators of its own: community moderators
    old = timezone.now() - timedelta(hours=30)
    waiting = make_thread(p.hannah, techs, "Hydraulic drift on slopes")
    self_bumped = make_thread(p.bob, sales, "Anyone?")
    add_reply(p.bob, self_bumped, "Still looking…")
    answered = make_thread(p.bob, sales, "Demo fleet pricing")
    add_reply(p.carol, answered, "Ask Dana.")
    make_thread(p.bob, sales, "Fresh question")  # not old enough
    Thread.objects.exclude(title="Fresh question").update(created_at=old)

    from touchpoint.community import tasks  # the worker discovers it

    assert JOBS[tasks.notify_unanswered_questions.module_path].every == timedelta(hours=1)
    assert actions.notify_unanswered() == 2
    assert titles(sam) == ["Unanswered questions waiting for more than 24 hours"]
    assert "Hydraulic drift on slopes" in Notification.objects.get(recipient=sam).body
    lee_note = Notification.objects.get(recipient=lee, kind="forum_moderation")
    assert "Anyone?" in lee_note.body and "Demo fleet" not in lee_note.body
    assert "Hydraulic" not in lee_note.body  # techs has its own moderator

    assert actions.notify_unanswered() == 0  # once, not every hour
    assert Notification.objects.filter(kind="forum_moderation").count() == 2
    queue = p.client(lee).get("/community/moderation/")
    assert {t.title for t in queue.context["unanswered"]} == {
        "Hydraulic drift on slopes",
        "Anyone?",
    }
    assert waiting.pk in {t.pk for t in queue.context["unanswered"]}


def test_portal_admins_set_up_categories_with_audience_and_moderators(personas, lee):
    p = personas
    audience = only_for_service_techs()
    pat = p.client(p.pat)

    created = pat.post(
        "/community/moderation/categories/new/",
        {
            "name": "Service techs only",
            "description": "Troubleshooting",
            "audience": audience.pk,
            "moderators": [lee.pk],
            "position": 2,
        },
    )
    assert created.status_code == 302
    category = Category.objects.get()
    assert category.audience == audience and list(category.moderators.all()) == [lee]
    assert AuditEntry.objects.filter(action="community.category_saved").exists()
    assert (
        pat.post(
            "/community/moderation/categories/new/", {"name": "<b>x</b>", "position": 0}
        ).status_code
        == 400
    )
    assert p.client(p.bob).get("/community/moderation/categories/new/").status_code == 403
    assert p.client(lee).get(f"/community/categories/{category.pk}/edit/").status_code == 200
    listing = pat.get("/community/moderation/categories/")
    assert "Service techs only" in listing.content.decode()


def test_a_category_moderator_moderates_their_category_and_nothing_else(personas):
    p = personas
    kim = f.StaffFactory(email="kim@ridgeline.example", roles=[StaffRoleKind.CONTENT_OWNER])
    service = make_category("Service bay", moderators=[kim])
    sales = make_category("Sales talk")
    theirs = add_reply(p.hannah, make_thread(p.bob, service, "Belt slips"), "Tighten it")
    other = add_reply(p.hannah, make_thread(p.bob, sales, "Price list?"), "Page 3")
    kim_client = p.client(kim)

    assert kim_client.get("/community/moderation/").status_code == 200
    assert set(Category.objects.moderated_by(kim)) == {service}
    assert set(Post.objects.manageable_by(kim)) == {
        theirs,
        theirs.thread.posts.get(is_opening=True),
    }
    assert kim_client.post(f"/community/posts/{other.pk}/hide/", {"on": "1"}).status_code == 404
    assert kim_client.post(f"/community/posts/{theirs.pk}/hide/", {"on": "1"}).status_code == 302
    assert Post.objects.get(pk=other.pk).status == PostStatus.PUBLISHED
    assert Post.objects.get(pk=theirs.pk).status == PostStatus.HIDDEN
    # She edits posts in her category only; in Sales talk she is a reader like any other.
    assert Post.objects.editable_by(kim).filter(pk=theirs.pk).exists()
    assert not Post.objects.editable_by(kim).filter(pk=other.pk).exists()
    assert kim_client.get(f"/community/posts/{other.pk}/edit/").status_code == 404
    assert kim_client.get(f"/community/categories/{service.pk}/edit/").status_code == 404


def test_it_offers_to_edit_a_category_only_to_those_the_page_opens_for(personas, lee):
    p = personas
    kim = f.StaffFactory(email="kim@ridgeline.example", roles=[StaffRoleKind.CONTENT_OWNER])
    service = make_category("Service bay", moderators=[kim])
    edit = f"/community/categories/{service.pk}/edit/"
    # Kim moderates the category's threads but does not set categories up: no link to a 404.
    assert edit not in p.client(kim).get(service.get_absolute_url()).content.decode()
    assert edit in p.client(lee).get(service.get_absolute_url()).content.decode()
    assert p.client(lee).get(edit).status_code == 200


def test_a_refused_post_does_not_count_against_the_rate(personas, settings):
    p = personas
    settings.FORUM_POST_RATE = "2/10m"
    sales = make_category("Sales talk")
    thread = make_thread(p.bob, sales, "First")
    add_reply(p.bob, thread, "Second")
    bob = p.client(p.bob)
    for _attempt in range(3):
        refused = bob.post(f"/community/threads/{thread.pk}/reply/", {"body": "Too fast"})
        assert refused.status_code == 429
    # One post leaves the window: there is room for exactly one more, refusals or not.
    first = Post.objects.get(thread=thread, is_opening=True)
    Post.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    assert bob.post(f"/community/threads/{thread.pk}/reply/", {"body": "Now"}).status_code == 302
    assert bob.post(f"/community/threads/{thread.pk}/reply/", {"body": "Again"}).status_code == 429


def test_it_says_what_a_post_rate_looks_like_when_it_is_mistyped(personas, settings):
    settings.FORUM_POST_RATE = "five a minute"
    with pytest.raises(ValueError, match="5/10m"):
        actions.post_rate()
