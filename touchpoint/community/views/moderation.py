"""Moderators' pages: the queue (held posts, reported posts, unanswered questions), hide and
show, approve, dismiss reports, lock, move; the item search for linking portal content from
an answer; forum categories; and, for content owners, the content that answers questions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.community import actions
from touchpoint.community.access import (
    can_manage_categories,
    can_moderate,
    can_see_answering_content,
)
from touchpoint.community.forms import CategoryForm, MoveForm
from touchpoint.community.models import (
    Category,
    Post,
    PostLink,
    PostStatus,
    Report,
    Thread,
    ThreadKind,
)
from touchpoint.kernel.access import require
from touchpoint.kernel.paging import page_of
from touchpoint.kernel.redirects import redirect_back
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import User
from touchpoint.search.index import KIND_LABELS

QUEUE_LIMIT = 50


@require(can_moderate)
def queue(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    categories = Category.objects.moderated_by(user)
    held = list(
        Post.objects.filter(thread__category__in=categories, status=PostStatus.HELD)
        .select_related("thread__category", "author__partner")
        .order_by("created_at")[:QUEUE_LIMIT]
    )
    open_reports = Report.objects.filter(resolved_at__isnull=True)
    reported = list(
        Post.objects.filter(thread__category__in=categories)
        .filter(Exists(open_reports.filter(post=OuterRef("pk"))))
        .annotate(
            report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True)),
            first_reported=Max("reports__created_at"),
        )
        .select_related("thread__category", "author__partner")
        .order_by("first_reported")[:QUEUE_LIMIT]
    )
    reasons: dict[int, list[Report]] = {}
    for report in open_reports.filter(post__in=[p.pk for p in reported]).select_related("reporter"):
        reasons.setdefault(report.post_id, []).append(report)
    for post in reported:
        post.open_reports = reasons.get(post.pk, [])  # type: ignore[attr-defined]
    hours = actions.unanswered_hours()
    answered = Post.objects.filter(
        thread=OuterRef("pk"), is_opening=False, status=PostStatus.PUBLISHED
    ).exclude(author=OuterRef("author"))
    unanswered = list(
        Thread.objects.filter(
            category__in=categories,
            kind=ThreadKind.QUESTION,
            status=PostStatus.PUBLISHED,
            accepted_post__isnull=True,
            created_at__lt=timezone.now() - timedelta(hours=hours),
        )
        .filter(~Exists(answered))
        .select_related("category", "author__partner")
        .order_by("created_at")[:QUEUE_LIMIT]
    )
    return render(
        request,
        "community/queue.html",
        {"held": held, "reported": reported, "unanswered": unanswered, "hours": hours},
    )


@require(can_moderate)
@require_POST
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = Post.objects.get_for(user, manage=True, pk=pk)
    hidden = request.POST.get("on", "1") == "1"
    actions.set_hidden(user, post, hidden)
    messages.success(request, _("The post is hidden.") if hidden else _("The post is shown again."))
    return redirect_back(request, post)


@require(can_moderate)
@require_POST
def post_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = Post.objects.get_for(user, manage=True, pk=pk)
    actions.approve_post(user, post)
    messages.success(request, _("The post is published."))
    return redirect_back(request, post)


@require(can_moderate)
@require_POST
def post_dismiss_reports(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = Post.objects.get_for(user, manage=True, pk=pk)
    actions.dismiss_reports(user, post)
    messages.success(request, _("The reports are closed; the post stays as it is."))
    return redirect_back(request, post)


@require(can_moderate)
@require_POST
def thread_lock(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    thread = Thread.objects.get_for(user, manage=True, pk=pk)
    locked = request.POST.get("on", "1") == "1"
    actions.set_locked(user, thread, locked)
    messages.success(
        request, _("The thread is locked.") if locked else _("The thread is open for replies.")
    )
    return redirect(thread)


@require(can_moderate)
def thread_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    thread = Thread.objects.get_for(user, manage=True, pk=pk)
    form = MoveForm(
        request.POST or None,
        categories=Category.objects.moderated_by(user).exclude(pk=thread.category_id),
        actor=user,
    )
    if request.method == "POST" and form.is_valid():
        actions.move_thread(user, thread, form.cleaned_data["category"])
        messages.success(
            request, _("Moved to %(category)s.") % {"category": form.cleaned_data["category"]}
        )
        return redirect(thread)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "community/thread_move.html", {"thread": thread, "form": form}, status=status
    )


# --- linking portal items ---------------------------------------------------------------------------
def link_results(user: User, query: str, chosen_keys: list[str]) -> dict[str, Any]:
    """Chosen items (kept checked) and search hits for a moderator's item picker."""
    from touchpoint.search.models import Entry
    from touchpoint.search.query import search

    try:
        chosen = actions.resolve_links(user, chosen_keys)
    except actions.PostRefused:
        chosen = []
    chosen_keys_set = {(e.kind, e.object_id) for e in chosen}
    found: list[Entry] = []
    query = query.strip()[:100]
    if query:
        hits = [
            h for h in search(user, query, per_page=15).hits if h.kind in actions.LINKABLE_KINDS
        ]
        entries = {
            (e.kind, e.url): e
            for e in Entry.objects.filter(
                kind__in=actions.LINKABLE_KINDS, url__in=[h.url for h in hits]
            )
        }
        for hit in hits:
            entry = entries.get((hit.kind, hit.url))
            if entry and (entry.kind, entry.object_id) not in chosen_keys_set:
                found.append(entry)
    return {
        "link_q": query,
        "chosen": chosen,
        "found": found[:10],
        "searched": bool(query),
        "kind_labels": {k: str(v) for k, v in KIND_LABELS.items()},
    }


@require(can_moderate)
def link_search(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type for the items a moderator links from an answer (an htmx partial;
    the reply form's own "Find" button is the way without JavaScript)."""
    user = signed_in(request)
    context = link_results(user, request.GET.get("link_q", ""), request.GET.getlist("link"))
    return render(request, "community/_link_results.html", context)


@require(can_see_answering_content)
def answering_content(request: HttpRequest) -> HttpResponse:
    """Portal items linked from answers, by how many answers link them: what content answers
    partners' questions (and what might be missing)."""
    kind = request.GET.get("kind", "")
    links = PostLink.objects.filter(
        post__status=PostStatus.PUBLISHED, post__thread__status=PostStatus.PUBLISHED
    )
    if kind in actions.LINKABLE_KINDS:
        links = links.filter(kind=kind)
    rows = (
        links.values("kind", "object_id")
        .annotate(
            answers=Count("post", distinct=True),
            accepted=Count("post", filter=Q(post__thread__accepted_post=F("post")), distinct=True),
            title=Max("title"),
            url=Max("url"),
            last_linked=Max("created_at"),
        )
        .order_by("-answers", "-last_linked", "kind", "object_id")
    )
    page = page_of(request, rows, 25)
    items: list[dict[str, Any]] = [dict(row) for row in page.object_list]
    questions: dict[tuple[str, str], list[Any]] = {}
    if items:
        q = Q()
        for item in items:
            q |= Q(kind=item["kind"], object_id=item["object_id"])
        for link in links.filter(q).select_related("post__thread").order_by("-created_at"):
            key = (link.kind, link.object_id)
            threads = questions.setdefault(key, [])
            if link.post.thread not in threads and len(threads) < 5:
                threads.append(link.post.thread)
    for item in items:
        item["threads"] = questions.get((item["kind"], item["object_id"]), [])
        item["kind_label"] = KIND_LABELS.get(item["kind"], item["kind"])
    page.object_list = items  # the rows the table shows, with their questions
    kinds = [(k, KIND_LABELS.get(k, k)) for k in actions.LINKABLE_KINDS]
    return render(
        request,
        "community/answering_content.html",
        {"page": page, "items": items, "kind": kind, "kinds": kinds},
    )


# --- categories --------------------------------------------------------------------------------------
@require(can_manage_categories)
def category_manage(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    categories = (
        Category.objects.manageable_by(user)
        .select_related("audience")
        .prefetch_related("moderators")
        .annotate(thread_count=Count("threads"))
        .order_by("position", "name")  # an aggregate drops the model's default order
    )
    return render(request, "community/category_manage.html", {"categories": categories})


@require(can_manage_categories)
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in(request)
    category = Category.objects.get_for(user, manage=True, pk=pk) if pk is not None else Category()
    form = CategoryForm(request.POST or None, instance=category, actor=user)
    if request.method == "POST" and form.is_valid():
        actions.save_category(user, form.save(commit=False), form.cleaned_data["moderators"])
        messages.success(request, _("The category is saved."))
        return redirect("community:category_manage")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "community/category_form.html",
        {"form": form, "category": category},
        status=status,
    )


urlpatterns: list[URLPattern] = [
    path("community/moderation/", queue, name="queue"),
    path("community/moderation/link-search/", link_search, name="link_search"),
    path("community/moderation/categories/", category_manage, name="category_manage"),
    path("community/moderation/categories/new/", category_edit, name="category_create"),
    path("community/categories/<int:pk>/edit/", category_edit, name="category_edit"),
    path("community/posts/<int:pk>/hide/", post_hide, name="post_hide"),
    path("community/posts/<int:pk>/approve/", post_approve, name="post_approve"),
    path("community/posts/<int:pk>/dismiss/", post_dismiss_reports, name="post_dismiss"),
    path("community/threads/<int:pk>/lock/", thread_lock, name="thread_lock"),
    path("community/threads/<int:pk>/move/", thread_move, name="thread_move"),
    path("community/content/", answering_content, name="answering_content"),
]
