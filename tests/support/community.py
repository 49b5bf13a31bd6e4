"""Builders for community test data: categories (for everyone, one partner, service techs),
threads and replies written through the actions, and many replies at once for page budgets."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from touchpoint.community import actions, formatting
from touchpoint.community.models import Category, Post, Thread, ThreadKind
from touchpoint.orgs.models import Audience, JobRole, Partner, User


def make_category(
    name: str = "Sales talk",
    *,
    audience: Audience | None = None,
    moderators: Iterable[User] = (),
    position: int = 0,
) -> Category:
    category, _ = Category.objects.get_or_create(
        name=name, defaults={"audience": audience, "position": position}
    )
    category.moderators.add(*moderators)
    return category


def only_for_partner(partner: Partner) -> Audience:
    audience = Audience.objects.create()
    audience.partners.add(partner)
    return audience


def only_for_service_techs() -> Audience:
    audience = Audience.objects.create(name="Service techs")
    audience.job_roles.add(JobRole.objects.get(code="service"))
    return audience


def make_thread(
    author: User,
    category: Category,
    title: str = "Deck vibrates at full speed",
    body: str = "Any idea what to check first?",
    kind: str = ThreadKind.QUESTION,
) -> Thread:
    return actions.start_thread(author, category, kind, title, actions.Draft(body))


def add_reply(author: User, thread: Thread, body: str = "Check the blades first.") -> Post:
    return actions.reply(author, thread, actions.Draft(body))


def add_many_replies(thread: Thread, authors: list[User], count: int) -> None:
    """`count` published replies in one INSERT, a minute apart, authors taking turns."""
    start = timezone.now() - timedelta(minutes=count + 5)
    Post.objects.bulk_create(
        [
            Post(
                thread=thread,
                author=authors[i % len(authors)],
                body=f"Reply number {i}: **check** the `belt` tension.",
                body_html=formatting.render(f"Reply number {i}: **check** the `belt` tension."),
                created_at=start + timedelta(minutes=i),
            )
            for i in range(count)
        ]
    )
    Thread.objects.filter(pk=thread.pk).update(reply_count=count, last_post_at=timezone.now())
