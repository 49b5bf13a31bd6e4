"""Who sees and moderates which forum categories, threads and posts: the only place these
rules live.

Partner people see the categories whose audience reaches them; vendor staff see every
category. In a visible category a person sees published threads and posts, plus their own
posts held for review; moderators also see held and hidden ones. Portal admins and
community moderators moderate every category; anyone listed as a category's moderator
moderates that one. A missing record and one outside someone's reach give the same 404; a
visible post someone may not change gives 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from touchpoint.community.models import Category, Post, PostStatus, Thread
from touchpoint.orgs.audience import Criteria as AudienceCriteria
from touchpoint.orgs.audience import criteria_user_q, for_user_q
from touchpoint.orgs.models import StaffRoleKind, User

R = StaffRoleKind
CHANNEL_MODERATORS = (R.PORTAL_ADMIN, R.MODERATOR)
# Who sees which content answers questions.
CONTENT_ROLES = (R.PORTAL_ADMIN, R.CONTENT_OWNER, R.MODERATOR)


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def moderates_everything(user: User) -> bool:
    return _active(user) and user.has_staff_role(*CHANNEL_MODERATORS)


# The role a person holds by being listed as a category's moderator (see roles.py).
CATEGORY_MODERATOR = "category_moderator"


def is_moderator_anywhere(user: User) -> bool:
    """Portal admins, community moderators, and staff listed as a category's moderator (the
    category form offers vendor staff only); no query beyond the person's roles."""
    return _active(user) and user.has_staff_role(*CHANNEL_MODERATORS, CATEGORY_MODERATOR)


# --- categories ---------------------------------------------------------------------------------
def categories_visible_to(user: User) -> QuerySet[Category]:
    if not _active(user):
        return Category.objects.none()
    if user.is_vendor:
        return Category.objects.all()
    return Category.objects.filter(for_user_q(user))


def moderated_categories(user: User) -> QuerySet[Category]:
    if not _active(user):
        return Category.objects.none()
    if moderates_everything(user):
        return Category.objects.all()
    return categories_visible_to(user).filter(moderators=user)


def is_moderator(user: User, category: Category) -> bool:
    if moderates_everything(user):
        return True
    return _active(user) and category.moderators.filter(pk=user.pk).exists()


def get_category_for_user(user: User, pk: Any) -> Category:
    return get_object_or_404(categories_visible_to(user).select_related("audience"), pk=pk)


def can_see_category(user: User, category: Category) -> bool:
    return categories_visible_to(user).filter(pk=category.pk).exists()


def people_who_see(category: Category, people: QuerySet[User]) -> QuerySet[User]:
    """Of `people`, the active ones this category is for: vendor staff and those its
    audience reaches (one query, however many people)."""
    criteria = (
        AudienceCriteria() if category.audience is None else AudienceCriteria.of(category.audience)
    )
    return people.filter(is_active=True).filter(Q(partner__isnull=True) | criteria_user_q(criteria))


# --- threads and posts ----------------------------------------------------------------------------
def threads_visible_to(user: User) -> QuerySet[Thread]:
    if not _active(user):
        return Thread.objects.none()
    threads = Thread.objects.filter(category__in=categories_visible_to(user))
    if moderates_everything(user):
        return threads
    own_or_published = Q(status=PostStatus.PUBLISHED) | Q(status=PostStatus.HELD, author=user)
    return threads.filter(own_or_published | Q(category__in=moderated_categories(user)))


def posts_visible_to(user: User) -> QuerySet[Post]:
    if not _active(user):
        return Post.objects.none()
    posts = Post.objects.filter(thread__in=threads_visible_to(user))
    if moderates_everything(user):
        return posts
    own_or_published = Q(status=PostStatus.PUBLISHED) | Q(status=PostStatus.HELD, author=user)
    return posts.filter(own_or_published | Q(thread__category__in=moderated_categories(user)))


def get_thread_for_user(user: User, pk: Any) -> Thread:
    return get_object_or_404(
        threads_visible_to(user).select_related("category__audience", "author__partner"), pk=pk
    )


def get_post_for_user(user: User, pk: Any) -> Post:
    return get_object_or_404(
        posts_visible_to(user).select_related("thread__category__audience", "author"), pk=pk
    )


def get_moderated_post(user: User, pk: Any) -> Post:
    """A post the person moderates: 404 when they cannot see it, 403 when they can but do
    not moderate its category."""
    post = get_post_for_user(user, pk)
    if not is_moderator(user, post.thread.category):
        raise PermissionDenied
    return post


def get_moderated_thread(user: User, pk: Any) -> Thread:
    thread = get_thread_for_user(user, pk)
    if not is_moderator(user, thread.category):
        raise PermissionDenied
    return thread
