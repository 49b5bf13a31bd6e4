"""What people do to one post: edit it (author within the edit window, or a moderator), read
its edit history, report it, accept it as the answer, mark it a best practice. Each fetches
the post with the getter for what it does, so a post someone may see but not change answers
the same 404 as a missing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.community import actions
from touchpoint.community.access import can_moderate
from touchpoint.community.forms import EditForm, ReportForm
from touchpoint.community.models import Post, PostQuerySet
from touchpoint.kernel.access import require
from touchpoint.orgs.access import signed_in


def _one(scope: PostQuerySet, pk: int) -> Post:
    """The post from `scope` (one of Post.objects' kinds of access), with what its pages show."""
    return scope.select_related(*PostQuerySet.related).get_or_404(pk=pk)


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = _one(Post.objects.editable_by(user), pk)
    thread = post.thread
    initial = {"body": post.body, "title": thread.title}
    form = EditForm(request.POST or None, initial=initial, with_title=post.is_opening)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.edit_post(
                    user, post, form.cleaned_data["body"], form.cleaned_data.get("title")
                )
            except actions.PostRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(post)
    return render(request, "community/post_edit.html", {"post": post, "form": form}, status=status)


@login_required
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Earlier texts of a post, for its author and moderators."""
    user = signed_in(request)
    post = _one(Post.objects.history_visible_to(user), pk)
    revisions = post.revisions.select_related("edited_by")
    return render(request, "community/post_history.html", {"post": post, "revisions": revisions})


@login_required
def post_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = Post.objects.get_for(user, pk=pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _report, created = actions.report_post(
            user, post, form.cleaned_data["reason"], form.cleaned_data["note"]
        )
        if created:
            messages.success(request, _("Thank you. A moderator will look at the post."))
        else:
            messages.info(request, _("You have already reported this post; a moderator will look at it."))  # fmt: skip
        return redirect(post)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "community/post_report.html", {"post": post, "form": form}, status=status
    )


def refused_page(request: HttpRequest, refused: actions.PostRefused, back: str) -> HttpResponse:
    return render(
        request,
        "community/refused.html",
        {"message": refused.message, "back": back},
        status=refused.status,
    )


@login_required
@require_POST
def post_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = _one(Post.objects.acceptable_by(user), pk)
    accept = request.POST.get("on", "1") == "1"
    try:
        actions.accept_answer(user, post, accept)
    except actions.PostRefused as refused:
        return refused_page(request, refused, post.get_absolute_url())
    if accept:
        messages.success(request, _("Marked as the accepted answer."))
    return redirect(post)


@require(can_moderate)
@require_POST
def post_best_practice(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = Post.objects.get_for(user, manage=True, pk=pk)
    try:
        actions.set_best_practice(user, post, request.POST.get("on", "1") == "1")
    except actions.PostRefused as refused:
        return refused_page(request, refused, post.get_absolute_url())
    return redirect(post)


urlpatterns: list[URLPattern] = [
    path("community/posts/<int:pk>/edit/", post_edit, name="post_edit"),
    path("community/posts/<int:pk>/history/", post_history, name="post_history"),
    path("community/posts/<int:pk>/report/", post_report, name="post_report"),
    path("community/posts/<int:pk>/accept/", post_accept, name="post_accept"),
    path("community/posts/<int:pk>/best-practice/", post_best_practice, name="post_best_practice"),
]
