"""Learning path pages: a path and its steps for learners, enrolling, assigning a path, and
building paths and auto-enrolment rules for authors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.courses.access import is_author
from touchpoint.courses.models import Enrolment, Source, Status
from touchpoint.courses.views.author import assign_page
from touchpoint.kernel.activity import record_view
from touchpoint.orgs.access import refuse, signed_in
from touchpoint.orgs.audience import users_reached
from touchpoint.orgs.models import User
from touchpoint.paths import actions
from touchpoint.paths.access import paths_visible_to
from touchpoint.paths.forms import PathForm, PathStepForm, RuleForm
from touchpoint.paths.models import EnrolmentRule, LearningPath, PathEnrolment, PathStep
from touchpoint.paths.progress import step_done


def _author(request: HttpRequest) -> User:
    user = signed_in(request)
    if not is_author(user):
        # 404 when the URL names a record, like a missing one; 403 on plain pages.
        refuse(request.resolver_match.kwargs if request.resolver_match else {})
    return user


# --- for learners --------------------------------------------------------------------------------
@login_required
def path_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    learning_path = get_object_or_404(paths_visible_to(user), pk=pk)
    path_enrolment = PathEnrolment.objects.filter(user=user, path=learning_path).first()
    steps = list(learning_path.steps.select_related("course", "certification"))
    rows = []
    previous_done = True
    for step in steps:
        done = step_done(user, step) if path_enrolment else False
        rows.append(
            {
                "step": step,
                "done": done,
                "locked": bool(step.requires_previous and not previous_done),
            }
        )
        previous_done = previous_done and done
    record_view(request, learning_path)
    completed = sum(1 for r in rows if r["done"])
    return render(
        request,
        "paths/path_detail.html",
        {
            "path": learning_path,
            "enrolment": path_enrolment,
            "rows": rows,
            "completed": completed,
            "total": len(rows),
        },
    )


@login_required
@require_POST
def path_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    learning_path = get_object_or_404(paths_visible_to(user), pk=pk)
    try:
        actions.enrol_in_path(user, learning_path, source=Source.SELF)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("You are enrolled in %(path)s.") % {"path": learning_path.title}
        )
    return redirect(learning_path)


@login_required
def path_assign(request: HttpRequest, pk: int) -> HttpResponse:
    learning_path = get_object_or_404(
        paths_visible_to(signed_in(request)).filter(status=Status.PUBLISHED), pk=pk
    )

    def assign(actor: User, people: list[User], due_at: Any) -> None:
        with transaction.atomic():  # everyone or no one
            for person in people:
                actions.enrol_in_path(
                    person, learning_path, actor=actor, source=Source.ASSIGNED, due_at=due_at
                )

    return assign_page(request, learning_path, "path", assign, learning_path.enrolments.all())


# --- for authors -----------------------------------------------------------------------------------
@login_required
def path_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _author(request)
    learning_path = get_object_or_404(LearningPath, pk=pk) if pk else None
    form = PathForm(request.POST or None, instance=learning_path, prefix="path")
    step_form = PathStepForm(prefix="step")
    if request.method == "POST" and "add_step" not in request.POST and form.is_valid():
        saved = actions.save_path(user, form.save(commit=False))
        messages.success(request, _("The learning path is saved."))
        return redirect("paths:path_edit", pk=saved.pk)
    if request.method == "POST" and "add_step" in request.POST:
        if learning_path is None:
            raise Http404
        form = PathForm(instance=learning_path, prefix="path")
        step_form = PathStepForm(request.POST, prefix="step")
        if step_form.is_valid():
            data = step_form.cleaned_data
            actions.add_step(
                user, learning_path, course=data["course"], certification=data["certification"],
                requires_previous=data["requires_previous"],
            )  # fmt: skip
            return redirect("paths:path_edit", pk=learning_path.pk)
    steps = learning_path.steps.select_related("course", "certification") if learning_path else []
    return render(
        request,
        "paths/author_path_form.html",
        {"form": form, "step_form": step_form, "path": learning_path, "steps": steps},
    )


@login_required
@require_POST
def path_step_change(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    user = _author(request)
    step = get_object_or_404(PathStep.objects.select_related("path"), pk=step_pk, path_id=pk)
    change = request.POST.get("action", "")
    if change not in ("up", "down", "toggle", "remove"):
        raise Http404
    actions.change_step(user, step, change)
    return redirect("paths:path_edit", pk=pk)


@login_required
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _author(request)
    rule = get_object_or_404(EnrolmentRule, pk=pk) if pk else None
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        saved = actions.save_rule(user, form.save(commit=False))
        messages.success(
            request, _("The rule is saved; the worker is enrolling the people it reaches.")
        )
        return redirect("paths:rule_edit", pk=saved.pk)
    waiting = None
    if rule is not None and rule.is_active:
        reached = users_reached(rule.audience).filter(partner__isnull=False)
        enrolled: Any
        if rule.course_id:
            enrolled = Enrolment.objects.filter(course_id=rule.course_id, is_current=True).values(
                "user_id"
            )
        else:
            enrolled = (
                rule.path.enrolments.values("user_id")
                if rule.path
                else Enrolment.objects.none().values("user_id")
            )
        waiting = {
            "reached": reached.count(),
            "not_enrolled": reached.exclude(pk__in=enrolled).count(),
        }
    return render(
        request, "paths/author_rule_form.html", {"form": form, "rule": rule, "waiting": waiting}
    )


@login_required
@require_POST
def rule_run(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    rule = get_object_or_404(EnrolmentRule, pk=pk, is_active=True)
    actions.run_rule(user, rule)
    messages.success(
        request, _("The worker is applying the rule now; refresh in a moment to see the result.")
    )
    return redirect("paths:rule_edit", pk=rule.pk)


urlpatterns: list[URLPattern] = [
    path("learn/paths/<int:pk>/", path_detail, name="path_detail"),
    path("learn/paths/<int:pk>/enrol/", path_enrol, name="path_enrol"),
    path("learn/paths/<int:pk>/assign/", path_assign, name="path_assign"),
    path("learn/manage/paths/new/", path_edit, name="path_create"),
    path("learn/manage/paths/<int:pk>/", path_edit, name="path_edit"),
    path(
        "learn/manage/paths/<int:pk>/steps/<int:step_pk>/",
        path_step_change,
        name="path_step_change",
    ),
    path("learn/manage/rules/new/", rule_edit, name="rule_create"),
    path("learn/manage/rules/<int:pk>/", rule_edit, name="rule_edit"),
    path("learn/manage/rules/<int:pk>/run/", rule_run, name="rule_run"),
]
