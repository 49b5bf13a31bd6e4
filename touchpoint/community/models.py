"""Forums and Q&A: categories with an audience and moderators, threads (discussions and
questions), posts with their edit history, the portal items moderators link from answers,
reports, and subscriptions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.community.access import (
    can_manage_categories,
    can_moderate,
    moderates_every_category,
)
from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.orgs.audience import Criteria, criteria_user_q, for_user_q

User = settings.AUTH_USER_MODEL


Rows = TypeVar("Rows", bound=QuerySet[Any])


def _in_moderated(user: Any, category: str) -> Q | None:
    """Rows in the categories this person moderates (`category` is the path to the row's
    category); None when they moderate none, which costs no query (see access.can_moderate)."""
    if not can_moderate(user):
        return None
    if moderates_every_category(user):
        return Q(**{f"{category}__isnull": False})
    return Q(**{f"{category}__in": Category.objects.moderated_by(user)})


def _shown_to(rows: Rows, user: Any, category: str) -> Rows:
    """Of `rows` (already in what the person may see): the published ones and their own held
    ones; moderators also the held and hidden ones in the categories they moderate."""
    if moderates_every_category(user):
        return rows
    shown = Q(status=PostStatus.PUBLISHED) | Q(status=PostStatus.HELD, author=user)
    moderated = _in_moderated(user, category)
    return rows.filter(shown if moderated is None else shown | moderated)


class CategoryQuerySet(AccessQuerySet["Category"]):
    related = ("audience",)

    def visible_to(self, user: Any) -> Self:
        """Vendor staff see every category; partner people those whose audience reaches them."""
        if not active(user):
            return self.none()
        if user.is_vendor:
            return self.all()
        return self.filter(for_user_q(user))

    def manageable_by(self, user: Any) -> Self:
        """The categories whose settings (audience, moderators) this person may change."""
        return self.all() if can_manage_categories(user) else self.none()

    def moderated_by(self, user: Any) -> Self:
        """The categories whose threads and posts this person moderates: every one for portal
        admins and community moderators, else those listing them as a moderator."""
        if moderates_every_category(user):
            return self.all()
        if not can_moderate(user):
            return self.none()
        return self.visible_to(user).filter(moderators=user)


class Category(models.Model):
    """A forum. Its audience decides who sees it (empty: every partner person); its
    moderators are told about unanswered questions (portal admins and community
    moderators moderate every category as well)."""

    name = models.CharField(_("name"), max_length=80, unique=True, validators=[validate_plain_text])
    description = models.CharField(_("description"), max_length=300, blank=True)
    # PROTECT, not SET_NULL: losing the audience would open a closed forum to everyone.
    audience = models.ForeignKey(
        "orgs.Audience",
        verbose_name=_("audience"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who sees this category. Empty: every partner person."),
    )
    moderators = models.ManyToManyField(
        "orgs.User",
        verbose_name=_("moderators"),
        blank=True,
        related_name="moderated_categories",
        help_text=_("Told about reports, held posts and unanswered questions here."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:category", args=[self.pk])

    def is_moderated_by(self, user: Any) -> bool:
        """One category's moderation: no query unless the person moderates some category."""
        if moderates_every_category(user):
            return True
        return can_moderate(user) and self.moderators.filter(pk=user.pk).exists()

    def readers_among(self, people: QuerySet[Any]) -> QuerySet[Any]:
        """Of `people`, the active ones this category is for: vendor staff and those its
        audience reaches (one query, however many people)."""
        criteria = Criteria() if self.audience is None else Criteria.of(self.audience)
        return people.filter(is_active=True).filter(
            Q(partner__isnull=True) | criteria_user_q(criteria)
        )


class ThreadKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    QUESTION = "question", _("Question")


class PostStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held for review")
    HIDDEN = "hidden", _("Hidden")


class ThreadQuerySet(AccessQuerySet["Thread"]):
    related = ("category__audience", "author__partner")

    def visible_to(self, user: Any) -> Self:
        """In a visible category: published threads and one's own held ones; moderators also
        the held and hidden threads of the categories they moderate."""
        if not active(user):
            return self.none()
        return _shown_to(
            self.filter(category__in=Category.objects.visible_to(user)), user, "category"
        )

    def manageable_by(self, user: Any) -> Self:
        """The threads this person moderates: locks and moves."""
        moderated = _in_moderated(user, "category")
        return self.none() if moderated is None else self.visible_to(user).filter(moderated)


class Thread(models.Model):
    """A discussion or a question. Its first post holds the text; `status` mirrors that post,
    so a held or hidden opening post holds or hides the whole thread."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="threads"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ThreadKind.choices, default=ThreadKind.DISCUSSION
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="forum_threads")
    status = models.CharField(
        max_length=10, choices=PostStatus.choices, default=PostStatus.PUBLISHED
    )
    is_locked = models.BooleanField(_("locked"), default=False)
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Published replies, kept with F() so lists need no COUNT per row.
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    # When the category's moderators were told the question is unanswered (once).
    unanswered_notice_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["category", "status", "-last_post_at"]),
            models.Index(
                fields=["kind", "created_at"],
                name="community_unanswered",
                condition=Q(accepted_post__isnull=True, unanswered_notice_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:thread", args=[self.pk])

    @property
    def is_question(self) -> bool:
        return self.kind == ThreadKind.QUESTION


def edit_window_start(now: datetime | None = None) -> datetime:
    """Authors may edit their posts written since then (FORUM_EDIT_MINUTES)."""
    return (now or timezone.now()) - timedelta(minutes=settings.FORUM_EDIT_MINUTES)


class PostQuerySet(AccessQuerySet["Post"]):
    related = ("thread__category__audience", "author")

    def visible_to(self, user: Any) -> Self:
        """In a visible thread: published posts and one's own held ones; moderators also the
        held and hidden posts of the categories they moderate."""
        if not active(user):
            return self.none()
        return _shown_to(
            self.filter(thread__in=Thread.objects.visible_to(user)), user, "thread__category"
        )

    def manageable_by(self, user: Any) -> Self:
        """The posts this person moderates: hides and shows, approves, clears reports of,
        marks as best practice."""
        moderated = _in_moderated(user, "thread__category")
        return self.none() if moderated is None else self.visible_to(user).filter(moderated)

    def editable_by(self, user: Any, now: datetime | None = None) -> Self:
        """The posts whose text this person may change: a moderator's, and an author's own
        within the edit window, unless hidden or in a locked thread."""
        own = Q(author=user, thread__is_locked=False, created_at__gte=edit_window_start(now)) & ~Q(
            status=PostStatus.HIDDEN
        )
        moderated = _in_moderated(user, "thread__category")
        return self.visible_to(user).filter(own if moderated is None else own | moderated)

    def acceptable_by(self, user: Any) -> Self:
        """The posts this person may mark as a thread's accepted answer: in threads they
        asked, or moderate (whether a post can be one, the action says)."""
        asked = Q(thread__author=user)
        moderated = _in_moderated(user, "thread__category")
        return self.visible_to(user).filter(asked if moderated is None else asked | moderated)

    def history_visible_to(self, user: Any) -> Self:
        """The posts whose earlier texts this person may read: their own, and those they
        moderate."""
        own = Q(author=user)
        moderated = _in_moderated(user, "thread__category")
        return self.visible_to(user).filter(own if moderated is None else own | moderated)


class Post(models.Model):
    """One message in a thread: the author's text as typed (`body`) and its safe HTML."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="forum_posts")
    is_opening = models.BooleanField(default=False)
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=10, choices=PostStatus.choices, default=PostStatus.PUBLISHED
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_best_practice = models.BooleanField(_("best practice"), default=False)
    best_practice_at = models.DateTimeField(null=True, blank=True)
    best_practice_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["thread", "status", "created_at"]),
            models.Index(fields=["author", "created_at"]),
            models.Index(
                fields=["-best_practice_at"],
                name="community_best_practice",
                condition=Q(is_best_practice=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["thread"], condition=Q(is_opening=True), name="community_one_opening_post"
            )
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("community:post", args=[self.pk])


class PostRevision(models.Model):
    """The text a post had before an edit: who changed it, when, and what it said."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    previous_body = models.TextField()
    previous_title = models.CharField(max_length=200, blank=True)
    edited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-edited_at", "-pk"]
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")

    def __str__(self) -> str:
        return f"{self.post} @ {self.edited_at:%Y-%m-%d %H:%M}"


class PostLink(models.Model):
    """A portal item (library asset or article, course or lesson) a moderator linked from an
    answer, so content owners see which content answers questions. The item is named by its
    search-index kind and id; title and address are kept as they were when linked."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20)
    object_id = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("linked item")
        verbose_name_plural = _("linked items")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "kind", "object_id"], name="community_link_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return self.title


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Rude or abusive")
    WRONG = "wrong", _("Wrong or unsafe advice")
    PRIVATE = "private", _("Shares private or customer data")
    OTHER = "other", _("Something else")


class Report(models.Model):
    """Someone asked the moderators to look at a post. Open until a moderator hides the post
    or dismisses the report."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=ReportReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # One open report per person and post: reporting twice changes nothing.
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="community_report_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post}"


class Subscription(models.Model):
    """Someone follows a thread (new replies) or a category (new threads)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="forum_subscriptions")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, category__isnull=True)
                | Q(thread__isnull=True, category__isnull=False),
                name="community_subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="community_subscribe_thread_once",
            ),
            models.UniqueConstraint(
                fields=["user", "category"],
                condition=Q(category__isnull=False),
                name="community_subscribe_category_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.thread or self.category}"
