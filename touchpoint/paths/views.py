"""Learning path pages: a path and its steps for learners, enrolling, assigning a path, and
building paths and auto-enrolment rules for authors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.courses.access import can_assign_courses, can_author_courses
from touchpoint.courses.models import Source, Status
from touchpoint.courses.views.author import assign_page
from touchpoint.kernel.access import require
from touchpoint.kernel.activity import record_view
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import User
from touchpoint.paths import actions
from touchpoint.paths.forms import PathForm, PathStepForm, RuleForm
from touchpoint.paths.models import EnrolmentRule, LearningPath, PathEnrolment
from touchpoint.paths.progress import step_done
from touchpoint.paths.rules import waiting_for


# --- for learners --------------------------------------------------------------------------------
@login_required
def path_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    learning_path = LearningPath.objects.get_for(user, pk=pk)
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
    learning_path = LearningPath.objects.get_for(user, pk=pk)
    try:
        actions.enrol_in_path(user, learning_path, source=Source.SELF)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("You are enrolled in %(path)s.") % {"path": learning_path.title}
        )
    return redirect(learning_path)


@require(can_assign_courses)
def path_assign(request: HttpRequest, pk: int) -> HttpResponse:
    learning_path = LearningPath.objects.visible_to(signed_in(request)).get_or_404(
        pk=pk, status=Status.PUBLISHED
    )

    def assign(actor: User, people: list[User], due_at: Any) -> object:
        return actions.assign_path(actor, people, learning_path, due_at)

    return assign_page(request, learning_path, "path", assign, learning_path.enrolments.all())


# --- for authors -----------------------------------------------------------------------------------
@require(can_author_courses)
def path_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in(request)
    learning_path = LearningPath.objects.get_for(user, manage=True, pk=pk) if pk else None
    form = PathForm(request.POST or None, instance=learning_path, prefix="path", actor=user)
    step_form = PathStepForm(prefix="step", actor=user)
    if request.method == "POST" and "add_step" not in request.POST and form.is_valid():
        saved = actions.save_path(user, form.save(commit=False))
        messages.success(request, _("The learning path is saved."))
        return redirect("paths:path_edit", pk=saved.pk)
    if request.method == "POST" and "add_step" in request.POST:
        if learning_path is None:
            raise Http404
        form = PathForm(instance=learning_path, prefix="path", actor=user)
        step_form = PathStepForm(request.POST, prefix="step", actor=user)
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


@require(can_author_courses)
@require_POST
def path_step_change(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    user = signed_in(request)
    learning_path = LearningPath.objects.get_for(user, manage=True, pk=pk)
    step = get_object_or_404(learning_path.steps.select_related("path"), pk=step_pk)
    change = request.POST.get("action", "")
    if change not in ("up", "down", "toggle", "remove"):
        raise Http404
    actions.change_step(user, step, change)
    return redirect("paths:path_edit", pk=pk)


@require(can_author_courses)
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in(request)
    rule = EnrolmentRule.objects.get_for(user, manage=True, pk=pk) if pk else None
    form = RuleForm(request.POST or None, instance=rule, actor=user)
    if request.method == "POST" and form.is_valid():
        saved = actions.save_rule(user, form.save(commit=False))
        messages.success(
            request, _("The rule is saved; the worker is enrolling the people it reaches.")
        )
        return redirect("paths:rule_edit", pk=saved.pk)
    waiting = waiting_for(rule) if rule is not None else None
    return render(
        request, "paths/author_rule_form.html", {"form": form, "rule": rule, "waiting": waiting}
    )


@require(can_author_courses)
@require_POST
def rule_run(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    rule = EnrolmentRule.objects.get_for(user, manage=True, pk=pk, is_active=True)
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
