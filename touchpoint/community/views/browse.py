"""Community pages for everyone: categories, a category's threads, a thread with its replies
(paginated, with a bounded number of queries however long it is), starting a thread,
replying, following, best practices, and a post's permanent link."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from touchpoint.community import actions
from touchpoint.community.access import can_manage_categories, can_moderate
from touchpoint.community.forms import ReplyForm, ThreadForm
from touchpoint.community.models import (
    Category,
    Post,
    PostStatus,
    Subscription,
    Thread,
    ThreadKind,
    edit_window_start,
)
from touchpoint.community.searchable import KIND as FORUM
from touchpoint.kernel.access import require
from touchpoint.kernel.activity import record_view
from touchpoint.kernel.forms import QUERY_MAX_LENGTH
from touchpoint.kernel.htmx import is_htmx
from touchpoint.kernel.menu import everyone
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import StaffRole, StaffRoleKind, User
from touchpoint.search.query import search

THREADS_PER_PAGE = 25
HITS_PER_PAGE = 20
POSTS_PER_PAGE = 20
FILTERS = ("questions", "unanswered", "discussions", "mine")


# --- lists ------------------------------------------------------------------------------------
@require(everyone)
def community_home(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    categories = list(
        Category.objects.visible_to(user)
        .annotate(
            thread_count=Count("threads", filter=Q(threads__status=PostStatus.PUBLISHED)),
            question_count=Count(
                "threads",
                filter=Q(
                    threads__status=PostStatus.PUBLISHED,
                    threads__kind=ThreadKind.QUESTION,
                    threads__accepted_post__isnull=True,
                    threads__reply_count=0,
                ),
            ),
        )
        .order_by("position", "name")
    )
    recent = list(
        Thread.objects.visible_to(user)
        .filter(status=PostStatus.PUBLISHED)
        .select_related("category", "author")
        .order_by("-last_post_at", "-pk")[:8]
    )
    return render(
        request,
        "community/home.html",
        {
            "categories": categories,
            "recent": recent,
            "is_moderator": can_moderate(user),
        },
    )


def _filtered(threads: Any, how: str, user: User) -> Any:
    if how == "questions":
        return threads.filter(kind=ThreadKind.QUESTION)
    if how == "unanswered":
        return threads.filter(kind=ThreadKind.QUESTION, accepted_post__isnull=True, reply_count=0)
    if how == "discussions":
        return threads.filter(kind=ThreadKind.DISCUSSION)
    if how == "mine":
        return threads.filter(Q(author=user) | Q(posts__author=user)).distinct()
    return threads


@login_required
def category_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    category = Category.objects.get_for(user, pk=pk)
    how = request.GET.get("show", "")
    how = how if how in FILTERS else ""
    threads = _filtered(Thread.objects.visible_to(user).filter(category=category), how, user)
    threads = threads.select_related("author__partner").order_by("-last_post_at", "-pk")
    page = page_of(request, threads, THREADS_PER_PAGE)
    return render(
        request,
        "community/category.html",
        {
            "category": category,
            "page": page,
            "show": how,
            "filters": FILTERS,
            "subscribed": Subscription.objects.filter(user=user, category=category).exists(),
            # Setting a category up is for those who moderate them all, not for a category's
            # own moderators: offer the link only to those the page opens for.
            "can_edit": can_manage_categories(user),
        },
    )


@login_required
def best_practices(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    posts = (
        Post.objects.visible_to(user)
        .filter(is_best_practice=True, status=PostStatus.PUBLISHED)
        .filter(thread__status=PostStatus.PUBLISHED)
        .select_related("thread__category", "author__partner")
        .order_by("-best_practice_at", "-pk")
    )
    page = page_of(request, posts, THREADS_PER_PAGE)
    return render(request, "community/best_practices.html", {"page": page})


# --- a thread -------------------------------------------------------------------------------------
def _badges(thread: Thread, posts: list[Post]) -> None:
    """Mark each post's author as a moderator and/or vendor expert: two queries a page."""
    author_ids = {p.author_id for p in posts}
    moderators = set(
        StaffRole.objects.filter(
            user_id__in=author_ids,
            role__in=[StaffRoleKind.MODERATOR, StaffRoleKind.PORTAL_ADMIN],
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )
    moderators |= set(
        thread.category.moderators.filter(pk__in=author_ids).values_list("pk", flat=True)
    )
    for post in posts:
        post.by_moderator = post.author_id in moderators  # type: ignore[attr-defined]
        post.by_expert = post.author.partner_id is None  # type: ignore[attr-defined]


def _visible_links(user: User, posts: list[Post]) -> None:
    """The linked items each reader may open (partner people see only items meant for them;
    one query for the page)."""
    from touchpoint.search.query import visible_entries

    links = [link for post in posts for link in post.links.all()]
    if links and not user.is_vendor:
        keys = {(link.kind, link.object_id) for link in links}
        q = Q()
        for kind, object_id in keys:
            q |= Q(kind=kind, object_id=object_id)
        allowed = set(visible_entries(user).filter(q).values_list("kind", "object_id"))
    else:
        allowed = {(link.kind, link.object_id) for link in links}
    for post in posts:
        post.shown_links = [  # type: ignore[attr-defined]
            link for link in post.links.all() if (link.kind, link.object_id) in allowed
        ]


def thread_context(
    request: HttpRequest, thread: Thread, *, page_number: Any = None, form: Any = None
) -> dict[str, Any]:
    user = signed_in(request)
    moderator = thread.category.is_moderated_by(user)
    posts = (
        Post.objects.visible_to(user)
        .filter(thread=thread)
        .select_related("author__partner")
        .prefetch_related("links")
        .order_by("created_at", "pk")
    )
    paginator = Paginator(posts, POSTS_PER_PAGE)
    if page_number is None:
        page_number = request.GET.get("page")
    page = paginator.get_page(paginator.num_pages if page_number == "last" else page_number)
    rows = list(page.object_list)
    _badges(thread, rows)
    _visible_links(user, rows)
    # Post.objects.editable_by's rule, row by row, to offer the Edit link without a query.
    edit_until = edit_window_start()
    for post in rows:
        post.editable = moderator or (  # type: ignore[attr-defined]
            post.author_id == user.pk
            and post.status != PostStatus.HIDDEN
            and not thread.is_locked
            and post.created_at >= edit_until
        )
    # The accepted answer is shown under the question, on the first page.
    accepted = None
    if thread.accepted_post_id and page.number == 1:
        accepted = next((p for p in rows if p.pk == thread.accepted_post_id), None) or (
            Post.objects.visible_to(user)
            .filter(pk=thread.accepted_post_id, status=PostStatus.PUBLISHED)
            .select_related("author")
            .first()
        )
    can_reply = thread.status == PostStatus.PUBLISHED and (not thread.is_locked or moderator)
    return {
        "thread": thread,
        "category": thread.category,
        "page": page,
        "posts": rows,
        "accepted": accepted,
        "accepted_on_page": accepted is not None and accepted in rows,
        "moderator": moderator,
        "can_accept": thread.is_question and (moderator or thread.author_id == user.pk),
        "can_reply": can_reply,
        "form": form or ReplyForm(),
        "subscribed": Subscription.objects.filter(user=user, thread=thread).exists(),
        "edit_minutes": actions.edit_minutes(),
    }


@login_required
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = Thread.objects.get_for(signed_in(request), pk=pk)
    record_view(request, thread)
    return render(request, "community/thread.html", thread_context(request, thread))


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's permanent address: the thread page it is on, scrolled to it."""
    user = signed_in(request)
    post = Post.objects.get_for(user, pk=pk)
    before = (
        Post.objects.visible_to(user)
        .filter(thread=post.thread_id)
        .filter(Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk))
        .count()
    )
    number = before // POSTS_PER_PAGE + 1
    url = reverse("community:thread", args=[post.thread_id])
    page = f"?page={number}" if number > 1 else ""
    return redirect(f"{url}{page}#post-{post.pk}")


# --- writing --------------------------------------------------------------------------------------
def _links_from(request: HttpRequest, user: User, category: Category) -> list[Any]:
    keys = request.POST.getlist("link")
    if not keys or not category.is_moderated_by(user):
        return []
    return actions.resolve_links(user, keys)


@login_required
def thread_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    category = Category.objects.get_for(user, pk=pk)
    form = ThreadForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            thread = actions.start_thread(
                user,
                category,
                form.cleaned_data["kind"],
                form.cleaned_data["title"],
                actions.Draft(body=form.cleaned_data["body"]),
            )
        except actions.PostRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            return redirect(thread)
    elif request.method == "POST":
        status = 400
    return render(
        request, "community/thread_form.html", {"category": category, "form": form}, status=status
    )


@login_required
@require_POST
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    thread = Thread.objects.get_for(user, pk=pk)
    form = ReplyForm(request.POST)
    status = 400
    if request.POST.get("find_links"):
        # Without JavaScript the item search submits the reply form: show the results and
        # keep what was typed.
        context = thread_context(request, thread, page_number="last", form=ReplyForm(request.POST))
        context.update(link_search_context(request, user, request.POST))
        return render(request, "community/thread.html", context)
    if form.is_valid():
        try:
            links = _links_from(request, user, thread.category)
            post = actions.reply(user, thread, actions.Draft(form.cleaned_data["body"], links))
        except actions.PostRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            return redirect(post)
    context = thread_context(request, thread, page_number="last", form=form)
    return render(request, "community/thread.html", context, status=status)


def link_search_context(request: HttpRequest, user: User, data: Any) -> dict[str, Any]:
    from touchpoint.community.views.moderation import link_results

    return link_results(user, data.get("link_q", ""), data.getlist("link"))


@login_required
@require_POST
def thread_subscribe(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    thread = Thread.objects.get_for(user, pk=pk)
    on = actions.set_subscription(user, thread=thread, on=request.POST.get("on", "1") == "1")
    if is_htmx(request):
        return render(
            request,
            "community/_subscribe.html",
            {"subscribed": on, "action": reverse("community:thread_subscribe", args=[thread.pk])},
        )
    return redirect(thread)


@login_required
@require_POST
def category_subscribe(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    category = Category.objects.get_for(user, pk=pk)
    on = actions.set_subscription(user, category=category, on=request.POST.get("on", "1") == "1")
    if is_htmx(request):
        return render(
            request,
            "community/_subscribe.html",
            {
                "subscribed": on,
                "action": reverse("community:category_subscribe", args=[category.pk]),
                "about": "category",
            },
        )
    return redirect(category)


@require(everyone)
def forum_search(request: HttpRequest) -> HttpResponse:
    """The forum's own search: the threads (their posts' words) in categories the person may
    read, through the portal's search index, the words marked, a page at a time."""
    user = signed_in(request)
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    number = request.GET.get("page", "")
    page_number = int(number) if number.isdigit() and int(number) > 0 else 1
    context: dict[str, Any] = {"query": query}
    if query:
        results = search(user, query, kind=FORUM, page=page_number, per_page=HITS_PER_PAGE)
        context |= {
            "results": results,
            "page": Paginator(range(results.total), HITS_PER_PAGE).get_page(page_number),
        }
    return render(request, "community/search.html", context)


urlpatterns: list[URLPattern] = [
    path("community/", community_home, name="home"),
    path("community/best-practices/", best_practices, name="best_practices"),
    path("community/search/", forum_search, name="search"),
    path("community/categories/<int:pk>/", category_detail, name="category"),
    path("community/categories/<int:pk>/new/", thread_new, name="thread_new"),
    path("community/categories/<int:pk>/follow/", category_subscribe, name="category_subscribe"),
    path("community/threads/<int:pk>/", thread_detail, name="thread"),
    path("community/threads/<int:pk>/reply/", thread_reply, name="thread_reply"),
    path("community/threads/<int:pk>/follow/", thread_subscribe, name="thread_subscribe"),
    path("community/posts/<int:pk>/", post_detail, name="post"),
]
