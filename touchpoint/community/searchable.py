"""How the forum appears in search: each published thread (its question or opening post and
accepted answer) and each best-practice post, with the category's audience, so only the
people the category is for find them. Held and hidden content is never indexed."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from touchpoint.community import formatting
from touchpoint.community.models import Post, PostStatus, Thread
from touchpoint.search import index

KIND = "forum"
REPLIES_INDEXED = 200


def documents(thread: Thread) -> list[index.Document]:
    if thread.status != PostStatus.PUBLISHED:
        return []
    audience_id = thread.category.audience_id
    wanted = Q(is_opening=True) | Q(is_best_practice=True)
    if thread.accepted_post_id:
        wanted |= Q(pk=thread.accepted_post_id)
    posts = list(Post.objects.filter(wanted, thread=thread, status=PostStatus.PUBLISHED))
    opening = next((p for p in posts if p.is_opening), None)
    accepted = next((p for p in posts if p.pk == thread.accepted_post_id), None)
    words = []
    if opening is not None:
        words.append(formatting.plain(opening.body))
    if accepted is not None:
        words.append(formatting.plain(accepted.body))
    # The other replies too, oldest first (the index keeps the first BODY_LIMIT characters),
    # so searching the forum finds a thread by what was answered in it; a best practice has
    # an entry of its own below.
    replies = (
        Post.objects.filter(
            thread=thread, status=PostStatus.PUBLISHED, is_opening=False, is_best_practice=False
        )
        .exclude(pk=thread.accepted_post_id or 0)
        .order_by("created_at", "pk")
        .values_list("body", flat=True)[:REPLIES_INDEXED]
    )
    words += [formatting.plain(body) for body in replies]
    docs = [
        index.Document(
            kind=KIND,
            object_id=str(thread.pk),
            title=thread.title,
            body="\n".join(words),
            keywords=thread.category.name,
            url=thread.get_absolute_url(),
            audience_id=audience_id,
        )
    ]
    for post in posts:
        if post.is_best_practice:
            docs.append(
                index.Document(
                    kind=KIND,
                    object_id=f"post-{post.pk}",
                    title=str(_("Best practice: %(title)s") % {"title": thread.title}),
                    body=formatting.plain(post.body),
                    url=post.get_absolute_url(),
                    audience_id=audience_id,
                )
            )
    return docs


def everything() -> Iterator[tuple[Thread, list[index.Document]]]:
    threads = (
        Thread.objects.filter(status=PostStatus.PUBLISHED).select_related("category").order_by("pk")
    )
    for thread in threads.iterator(chunk_size=1000):
        yield thread, documents(thread)


index.register(
    index.Source(model=Thread, prefix="thread", documents=documents, everything=everything),
    {KIND: _("Forum")},
)
