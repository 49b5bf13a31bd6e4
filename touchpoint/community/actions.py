"""Writes for the community: threads and replies (rate-limited, a new partner's first posts
held for review), edits with history, accepted answers, best practices, linked portal items,
reports and moderation, subscriptions, categories, and the unanswered-question notice.

Every write runs in one transaction. Moderation and edits record an audit entry; what people
post records an activity event. Notifications are written inside the transaction (their
emails go out once it commits), and the search index hears of every change to what people
may find.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from touchpoint.community import formatting
from touchpoint.community.models import (
    Category,
    Post,
    PostLink,
    PostRevision,
    PostStatus,
    Report,
    ReportReason,
    Subscription,
    Thread,
    ThreadKind,
)
from touchpoint.kernel import audit, ratelimit
from touchpoint.kernel.activity import record_event
from touchpoint.kernel.notifications import notify
from touchpoint.orgs.models import StaffRoleKind, User
from touchpoint.search import index
from touchpoint.search.models import Entry

# Search-index kinds a moderator may link from an answer.
LINKABLE_KINDS = ("article", "asset", "course", "lesson")
MAX_LINKS = 5


class PostRefused(Exception):
    """A post or change that cannot be made, with the message to show and the HTTP status
    that says why (429 too many posts, 409 locked thread, 400 bad input)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# --- settings ---------------------------------------------------------------------------------
def post_rate() -> tuple[int, int]:
    """FORUM_POST_RATE, e.g. "5/10m": at most 5 new posts per person in 10 minutes."""
    return ratelimit.parse_rate(settings.FORUM_POST_RATE)


def posts_held() -> int:
    """FORUM_HOLD_FIRST_POSTS: how many of a partner person's first posts wait for review."""
    return settings.FORUM_HOLD_FIRST_POSTS


def edit_minutes() -> int:
    """FORUM_EDIT_MINUTES: how long authors may edit their own posts."""
    return settings.FORUM_EDIT_MINUTES


def unanswered_hours() -> int:
    """FORUM_UNANSWERED_HOURS: when an unanswered question is brought to the moderators."""
    return settings.FORUM_UNANSWERED_HOURS


# --- helpers ----------------------------------------------------------------------------------
def check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise PostRefused(_("Write something first."))
    if len(body) > formatting.MAX_LENGTH:
        raise PostRefused(
            _("Keep a post under %(n)d characters.") % {"n": formatting.MAX_LENGTH}, 413
        )
    return body


def _check_rate(author: User, now: datetime) -> None:
    if author.is_vendor:
        return  # vendor experts and moderators answer many questions in a row
    # The posts themselves are the count: a refused attempt does not use up the allowance.
    if ratelimit.rows_over_rate(
        Post.objects.filter(author=author), settings.FORUM_POST_RATE, now=now
    ):
        allowed, seconds = post_rate()
        minutes = max(1, seconds // 60)
        raise PostRefused(
            ngettext(
                "You have posted %(n)d times in the last minute. Please wait a little; "
                "your text is kept below.",
                "You have posted %(n)d times in the last %(minutes)d minutes. Please wait a "
                "little; your text is kept below.",
                minutes,
            )
            % {"n": allowed, "minutes": minutes},
            429,
        )


def _must_hold(author: User) -> bool:
    held = posts_held()
    if held <= 0 or author.is_vendor:
        return False
    approved = Post.objects.filter(author=author, status=PostStatus.PUBLISHED).count()
    return approved < held


def category_moderators(category: Category) -> QuerySet[User]:
    """Who hears about this category: its own moderators, or else every community moderator."""
    own = User.objects.filter(moderated_categories=category, is_active=True)
    if own.exists():
        return own
    return User.objects.filter(
        is_active=True, partner__isnull=True, staffrole__role=StaffRoleKind.MODERATOR
    ).distinct()


def resolve_links(user: User, keys: Iterable[str]) -> list[Entry]:
    """Index entries named "kind:id" that may be linked: linkable kinds the person can see."""
    from touchpoint.search.query import visible_entries

    wanted: list[tuple[str, str]] = []
    for key in keys:
        kind, _sep, object_id = key.partition(":")
        if kind in LINKABLE_KINDS and object_id and (kind, object_id) not in wanted:
            wanted.append((kind, object_id))
    if len(wanted) > MAX_LINKS:
        raise PostRefused(_("Link at most %(n)d items to one answer.") % {"n": MAX_LINKS})
    if not wanted:
        return []
    found = {
        (e.kind, e.object_id): e
        for e in visible_entries(user).filter(
            kind__in={k for k, _i in wanted}, object_id__in={i for _k, i in wanted}
        )
    }
    missing = [key for key in wanted if key not in found]
    if missing:
        raise PostRefused(_("A linked item is no longer available; search for it again."))
    return [found[key] for key in wanted]


def _add_links(actor: User, post: Post, entries: Sequence[Entry]) -> None:
    PostLink.objects.bulk_create(
        [
            PostLink(
                post=post, kind=e.kind, object_id=e.object_id, title=e.title, url=e.url,
                created_by=actor,
            )
            for e in entries
        ],
        ignore_conflicts=True,
    )  # fmt: skip


def _literal(text: str) -> str:
    """User text as a notification body: notify() fills %(name)s parameters into it."""
    return text.replace("%", "%%")


def _subscribe(user: User, thread: Thread) -> None:
    Subscription.objects.get_or_create(user=user, thread=thread)


def _mentioned(post: Post) -> QuerySet[User]:
    emails = formatting.mentioned_emails(post.body)
    if not emails:
        return User.objects.none()
    people = User.objects.filter(email__in=emails).exclude(pk=post.author_id)
    return post.thread.category.readers_among(people)


def _announce(post: Post) -> None:
    """Tell people about a newly published post: those mentioned, those following the thread
    (a reply) or the category (a new thread), each once, never the author, and only people
    the category is for."""
    thread = post.thread
    category = thread.category
    params = {"name": post.author.name or post.author.email, "thread": thread.title}
    url = post.get_absolute_url()
    mentioned = list(_mentioned(post))
    if mentioned:
        notify(
            mentioned, "forum", gettext_lazy("%(name)s mentioned you in %(thread)s"),
            body=_literal(formatting.plain(post.body)[:300]), url=url, params=params,
        )  # fmt: skip
    if post.is_opening:
        following = User.objects.filter(forum_subscriptions__category=category)
        title = gettext_lazy("New in %(category)s: %(thread)s")
        params["category"] = category.name
    else:
        following = User.objects.filter(forum_subscriptions__thread=thread)
        title = gettext_lazy("%(name)s replied to %(thread)s")
    followers = category.readers_among(following)
    followers = followers.exclude(pk=post.author_id).exclude(pk__in=[m.pk for m in mentioned])
    notify(
        followers.distinct(), "forum", title, body=_literal(formatting.plain(post.body)[:300]), url=url,
        params=params,
    )  # fmt: skip


def _tell_moderators_held(post: Post) -> None:
    notify(
        category_moderators(post.thread.category),
        "forum_moderation",
        gettext_lazy("A post in %(category)s waits for review"),
        body=_literal(formatting.plain(post.body)[:300]),
        url=post.get_absolute_url(),
        params={"category": post.thread.category.name},
    )


def _record_post_event(post: Post) -> None:
    thread = post.thread
    if post.is_opening:
        verb = "asked" if thread.is_question else "commented"
    else:
        verb = "answered" if thread.is_question else "commented"
    record_event(
        post.author, verb, thread, url=post.get_absolute_url(),
        extra={"post": post.pk, "category": thread.category_id},
    )  # fmt: skip


# --- posting ------------------------------------------------------------------------------------
@dataclass
class Draft:
    """What someone wrote: the text, and for a moderator the items to link."""

    body: str
    links: Sequence[Entry] = ()


def start_thread(author: User, category: Category, kind: str, title: str, draft: Draft) -> Thread:
    if not Category.objects.visible_to(author).filter(pk=category.pk).exists():
        raise PermissionDenied  # views fetch the category through its getter and 404 first
    if kind not in ThreadKind.values:
        raise PostRefused(_("Choose a discussion or a question."))
    title = " ".join(title.split())
    if not title:
        raise PostRefused(_("Give the thread a title."))
    body = check_body(draft.body)
    now = timezone.now()
    _check_rate(author, now)
    held = _must_hold(author)
    status = PostStatus.HELD if held else PostStatus.PUBLISHED
    with transaction.atomic():
        thread = Thread.objects.create(
            category=category, kind=kind, title=title[:200], author=author, status=status,
            created_at=now, last_post_at=now,
        )  # fmt: skip
        post = Post.objects.create(
            thread=thread, author=author, is_opening=True, body=body,
            body_html=formatting.render(body), status=status, created_at=now,
        )  # fmt: skip
        if draft.links and category.is_moderated_by(author):
            _add_links(author, post, draft.links)
        _subscribe(author, thread)
        _record_post_event(post)
        if held:
            _tell_moderators_held(post)
        else:
            _announce(post)
            index.update(thread)
    return thread


def reply(author: User, thread: Thread, draft: Draft) -> Post:
    category = thread.category
    moderator = category.is_moderated_by(author)
    if thread.status != PostStatus.PUBLISHED and not moderator:
        raise PostRefused(_("This thread is waiting for review; replies open once it is approved."), 409)  # fmt: skip
    if thread.is_locked and not moderator:
        raise PostRefused(_("This thread is locked: a moderator closed it to new replies."), 409)
    body = check_body(draft.body)
    now = timezone.now()
    _check_rate(author, now)
    held = _must_hold(author)
    with transaction.atomic():
        post = Post.objects.create(
            thread=thread, author=author, body=body, body_html=formatting.render(body),
            status=PostStatus.HELD if held else PostStatus.PUBLISHED, created_at=now,
        )  # fmt: skip
        if draft.links and moderator:
            _add_links(author, post, draft.links)
        _subscribe(author, thread)
        _record_post_event(post)
        if held:
            _tell_moderators_held(post)
        else:
            _published(post, now)
    return post


def _published(post: Post, now: datetime) -> None:
    """A reply became visible: counted, the thread moves up, followers hear of it."""
    Thread.objects.filter(pk=post.thread_id).update(
        reply_count=F("reply_count") + 1, last_post_at=now
    )
    _announce(post)
    index.update(post.thread)


# --- editing ------------------------------------------------------------------------------------
def edit_post(editor: User, post: Post, body: str, title: str | None = None) -> Post:
    """Change a post's text (and an opening post's thread title), keeping what it said.
    Views fetch the post with Post.objects.editable_by and 404 first."""
    if not Post.objects.editable_by(editor).filter(pk=post.pk).exists():
        raise PermissionDenied(_("Only the author, within %(n)d minutes, or a moderator may edit a post.") % {"n": edit_minutes()})  # fmt: skip
    body = check_body(body)
    thread = post.thread
    new_title = " ".join((title or "").split()) if post.is_opening and title is not None else None
    if post.is_opening and title is not None and not new_title:
        raise PostRefused(_("Give the thread a title."))
    if body == post.body and (new_title is None or new_title == thread.title):
        return post
    now = timezone.now()
    with transaction.atomic():
        PostRevision.objects.create(
            post=post, previous_body=post.body,
            previous_title=thread.title if post.is_opening else "", edited_by=editor, edited_at=now,
        )  # fmt: skip
        before = {"body": post.body, "title": thread.title if post.is_opening else ""}
        post.body = body
        post.body_html = formatting.render(body)
        post.edited_at = now
        post.edited_by = editor
        post.save(update_fields=["body", "body_html", "edited_at", "edited_by"])
        if new_title is not None and new_title != thread.title:
            thread.title = new_title[:200]
            thread.save(update_fields=["title"])
        audit.record(
            editor, "community.post_edited", post, before=before,
            after={"body": body, "title": thread.title if post.is_opening else ""},
            partner=post.author.partner,
        )  # fmt: skip
        _reindex_if_needed(post)
    return post


def _reindex_if_needed(post: Post) -> None:
    """The thread's search entries hold its published posts (community search finds a
    thread by a reply's words), so any post's change re-indexes it."""
    index.update(post.thread)


# --- answers and best practices -------------------------------------------------------------------
def accept_answer(user: User, post: Post, accept: bool = True) -> Thread:
    """The asker or a moderator marks (or unmarks) the reply that answered the question."""
    thread = post.thread
    if not (thread.author_id == user.pk or thread.category.is_moderated_by(user)):
        raise PermissionDenied(_("Only the person who asked or a moderator may accept an answer."))
    if not thread.is_question:
        raise PostRefused(_("Only a question has an accepted answer."), 409)
    if post.is_opening or post.status != PostStatus.PUBLISHED:
        raise PostRefused(_("Only a published reply can be the accepted answer."), 409)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        before = thread.accepted_post_id
        if accept:
            thread.accepted_post = post
        elif before == post.pk:
            thread.accepted_post = None
        else:
            return thread
        thread.save(update_fields=["accepted_post"])
        audit.record(
            user, "community.answer_accepted" if accept else "community.answer_unaccepted",
            thread, before={"accepted_post": before}, after={"accepted_post": thread.accepted_post_id},
        )  # fmt: skip
        if accept and before != post.pk:
            record_event(user, "accepted", thread, extra={"post": post.pk})
            if post.author_id != user.pk:
                notify(
                    [post.author], "forum",
                    gettext_lazy("Your answer in %(thread)s was accepted"),
                    url=post.get_absolute_url(), params={"thread": thread.title},
                )  # fmt: skip
        index.update(thread)
    return thread


def set_best_practice(moderator: User, post: Post, on: bool) -> Post:
    if not post.thread.category.is_moderated_by(moderator):
        raise PermissionDenied
    if on and post.status != PostStatus.PUBLISHED:
        raise PostRefused(_("Only a published post can be a best practice."), 409)
    if post.is_best_practice == on:
        return post
    with transaction.atomic():
        post.is_best_practice = on
        post.best_practice_at = timezone.now() if on else None
        post.best_practice_by = moderator if on else None
        post.save(update_fields=["is_best_practice", "best_practice_at", "best_practice_by"])
        audit.record(
            moderator, "community.best_practice" if on else "community.best_practice_removed",
            post, after={"is_best_practice": on}, partner=post.author.partner,
        )  # fmt: skip
        index.update(post.thread)
    return post


# --- moderation ---------------------------------------------------------------------------------
def approve_post(moderator: User, post: Post) -> Post:
    """A held post goes live, and people hear of it as if it were new."""
    if not post.thread.category.is_moderated_by(moderator):
        raise PermissionDenied
    if post.status != PostStatus.HELD:
        return post
    now = timezone.now()
    with transaction.atomic():
        post.status = PostStatus.PUBLISHED
        post.moderated_at, post.moderated_by = now, moderator
        post.save(update_fields=["status", "moderated_at", "moderated_by"])
        thread = post.thread
        if post.is_opening:
            thread.status = PostStatus.PUBLISHED
            thread.last_post_at = now
            thread.save(update_fields=["status", "last_post_at"])
            _announce(post)
            index.update(thread)
        else:
            _published(post, now)
        audit.record(moderator, "community.post_approved", post, partner=post.author.partner)
    return post


def set_hidden(moderator: User, post: Post, hidden: bool) -> Post:
    """Hide a post (a held one is thereby rejected) or show it again. Hiding an opening post
    hides the thread; open reports on the post are resolved."""
    if not post.thread.category.is_moderated_by(moderator):
        raise PermissionDenied
    target = PostStatus.HIDDEN if hidden else PostStatus.PUBLISHED
    if post.status == target or (not hidden and post.status != PostStatus.HIDDEN):
        return post
    now = timezone.now()
    was = post.status
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        post.status = target
        post.moderated_at, post.moderated_by = now, moderator
        post.save(update_fields=["status", "moderated_at", "moderated_by"])
        if post.is_opening:
            thread.status = target
        else:
            if was == PostStatus.PUBLISHED:
                thread.reply_count = F("reply_count") - 1
            elif target == PostStatus.PUBLISHED:
                thread.reply_count = F("reply_count") + 1
        if hidden and thread.accepted_post_id == post.pk:
            thread.accepted_post = None
        thread.save(update_fields=["status", "reply_count", "accepted_post"])
        thread.refresh_from_db()
        post.thread = thread
        if hidden:
            Report.objects.filter(post=post, resolved_at__isnull=True).update(
                resolved_at=now, resolved_by=moderator, resolution="hidden"
            )
        audit.record(
            moderator, "community.post_hidden" if hidden else "community.post_shown", post,
            before={"status": was}, after={"status": target}, partner=post.author.partner,
        )  # fmt: skip
        index.update(thread)
    return post


def set_locked(moderator: User, thread: Thread, locked: bool) -> Thread:
    if not thread.category.is_moderated_by(moderator):
        raise PermissionDenied
    if thread.is_locked == locked:
        return thread
    with transaction.atomic():
        thread.is_locked = locked
        thread.save(update_fields=["is_locked"])
        audit.record(
            moderator, "community.thread_locked" if locked else "community.thread_unlocked",
            thread, after={"is_locked": locked},
        )  # fmt: skip
    return thread


def move_thread(moderator: User, thread: Thread, category: Category) -> Thread:
    """Move a thread to another category both are moderated by this person. Its search
    entries take the new category's audience."""
    if not (thread.category.is_moderated_by(moderator) and category.is_moderated_by(moderator)):
        raise PermissionDenied
    if category.pk == thread.category_id:
        return thread
    with transaction.atomic():
        before = thread.category.name
        thread.category = category
        thread.save(update_fields=["category"])
        audit.record(
            moderator, "community.thread_moved", thread,
            before={"category": before}, after={"category": category.name},
        )  # fmt: skip
        index.update(thread)
    return thread


def report_post(reporter: User, post: Post, reason: str, note: str = "") -> tuple[Report, bool]:
    """Ask the moderators to look at a post; a second report by the same person while the
    first is open changes nothing."""
    if reason not in ReportReason.values:
        raise PostRefused(_("Choose a reason."))
    existing = Report.objects.filter(post=post, reporter=reporter, resolved_at__isnull=True).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            report = Report.objects.create(
                post=post, reporter=reporter, reason=reason, note=note.strip()[:500]
            )
            notify(
                category_moderators(post.thread.category), "forum_moderation",
                gettext_lazy("A post in %(thread)s was reported"),
                body=_literal(f"{report.get_reason_display()}. {report.note}".strip()),
                url=post.get_absolute_url(), params={"thread": post.thread.title},
            )  # fmt: skip
    except IntegrityError:  # the same person, a moment ago
        return Report.objects.get(post=post, reporter=reporter, resolved_at__isnull=True), False
    return report, True


def dismiss_reports(moderator: User, post: Post) -> int:
    """The post is fine: its open reports are closed."""
    if not post.thread.category.is_moderated_by(moderator):
        raise PermissionDenied
    with transaction.atomic():
        count = Report.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=moderator, resolution="dismissed"
        )
        if count:
            audit.record(
                moderator, "community.reports_dismissed", post, after={"reports": count},
                partner=post.author.partner,
            )  # fmt: skip
    return count


# --- subscriptions ------------------------------------------------------------------------------
def set_subscription(
    user: User, *, thread: Thread | None = None, category: Category | None = None, on: bool
) -> bool:
    """Follow or stop following; the same request twice changes nothing."""
    target: dict[str, Any] = {"thread": thread} if thread is not None else {"category": category}
    if on:
        try:
            with transaction.atomic():
                Subscription.objects.get_or_create(user=user, **target)
        except IntegrityError:
            pass
    else:
        Subscription.objects.filter(user=user, **target).delete()
    return on


# --- categories ---------------------------------------------------------------------------------
CATEGORY_FIELDS = ("name", "description", "audience", "moderators", "position")


def save_category(actor: User, category: Category, moderators: Iterable[User]) -> Category:
    """Create or change a category (a form's unsaved instance and chosen moderators)."""
    with transaction.atomic():
        before = (
            audit.snapshot(Category.objects.get(pk=category.pk), CATEGORY_FIELDS)
            if category.pk
            else None
        )
        category.save()
        category.moderators.set(list(moderators))
        audit.record(
            actor, "community.category_saved", category,
            before=before, after=audit.snapshot(category, CATEGORY_FIELDS),
        )  # fmt: skip
        # The audience may have changed: the category's threads are found by its new readers.
        for thread in category.threads.filter(status=PostStatus.PUBLISHED).iterator():
            thread.category = category
            index.update(thread)
    return category


# --- unanswered questions -------------------------------------------------------------------------
def notify_unanswered(now: datetime | None = None) -> int:
    """Questions older than FORUM_UNANSWERED_HOURS without an answer from anyone but the asker
    are brought to their category's moderators, once each: one notice per moderator listing
    them, then every one of them marked in a single UPDATE. Returns how many questions."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=unanswered_hours())
    answered = Post.objects.filter(
        thread=OuterRef("pk"), is_opening=False, status=PostStatus.PUBLISHED
    ).exclude(author=OuterRef("author"))
    due = list(
        Thread.objects.filter(
            kind=ThreadKind.QUESTION, status=PostStatus.PUBLISHED, created_at__lt=cutoff,
            accepted_post__isnull=True, unanswered_notice_at__isnull=True,
        )
        .filter(~Exists(answered))
        .select_related("category")
        .order_by("category_id", "created_at")
    )  # fmt: skip
    if not due:
        return 0
    by_category: dict[int, list[Thread]] = defaultdict(list)
    for thread in due:
        by_category[thread.category_id].append(thread)
    per_person: dict[int, list[Thread]] = defaultdict(list)
    people: dict[int, User] = {}
    for threads in by_category.values():
        for person in category_moderators(threads[0].category):
            people[person.pk] = person
            per_person[person.pk] += threads
    with transaction.atomic():
        for person_id, threads in per_person.items():
            lines = "\n".join(f"• {t.title} ({t.category.name})" for t in threads)
            notify(
                [people[person_id]], "forum_moderation",
                gettext_lazy("Unanswered questions waiting for more than %(hours)d hours"),
                body=_literal(lines), url=_unanswered_url(), params={"hours": unanswered_hours()},
            )  # fmt: skip
        Thread.objects.filter(pk__in=[t.pk for t in due], unanswered_notice_at__isnull=True).update(
            unanswered_notice_at=now
        )
    return len(due)


def _unanswered_url() -> str:
    from django.urls import reverse

    return reverse("community:queue") + "#unanswered"
