"""Learning pages for authors (trainers, content owners, portal admins): courses and their
draft versions, sections and lessons, publishing, learners, paths and auto-enrolment rules;
and assigning courses and paths (trainers, channel managers, partner admins)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.kernel import audit
from touchpoint.kernel.paging import page_of
from touchpoint.learning import actions
from touchpoint.learning.access import (
    authored_courses,
    can_assign,
    get_authored_course,
    get_course_for_user,
    is_author,
    paths_visible_to,
    people_assignable_by,
)
from touchpoint.learning.forms_author import (
    AssignForm,
    CourseForm,
    LessonForm,
    PathForm,
    PathStepForm,
    PeoplePickerFilter,
    PublishForm,
    RuleForm,
    SectionForm,
)
from touchpoint.learning.models import (
    Course,
    CourseVersion,
    Enrolment,
    EnrolmentRule,
    EnrolmentStatus,
    LearningPath,
    Lesson,
    LessonKind,
    PathStep,
    Section,
    Status,
)
from touchpoint.learning.rules import apply_rule_task
from touchpoint.orgs.access import partners_in_scope, refuse, signed_in
from touchpoint.orgs.audience import users_reached
from touchpoint.orgs.models import Partner, User


def _author(request: HttpRequest) -> User:
    user = signed_in(request)
    if not is_author(user):
        # 404 when the URL names a record, like a missing one; 403 on plain pages.
        refuse(request.resolver_match.kwargs if request.resolver_match else {})
    return user


def _draft(course: Course) -> CourseVersion:
    draft = actions.draft_of(course)
    if draft is None:
        raise Http404  # content is only edited in a draft
    return draft


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- the authors' dashboard ---------------------------------------------------------------------
@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user = _author(request)
    courses = (
        authored_courses(user)
        .select_related("published_version", "department")
        .annotate(
            learners=Count("enrolments", filter=Q(enrolments__is_current=True), distinct=True),
            drafts=Count("versions", filter=Q(versions__status=Status.DRAFT), distinct=True),
        )
        .order_by("status", "title")
    )
    status = request.GET.get("status", "")
    if status in Status.values:
        courses = courses.filter(status=status)
    return render(
        request,
        "learning/author_manage.html",
        {
            "page": page_of(request, courses, 25),
            "status": status,
            "statuses": Status.choices,
            "paths": LearningPath.objects.annotate(n=Count("enrolments")).order_by("title"),
            "rules": EnrolmentRule.objects.select_related("course", "path", "audience").order_by(
                "name"
            ),
        },
    )


# --- courses ----------------------------------------------------------------------------------------
@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    user = _author(request)
    form = CourseForm(request.POST or None, initial={"owner": user.pk})
    if request.method == "POST" and form.is_valid():
        course = actions.create_course(user, form.save(commit=False))
        messages.success(
            request,
            _("%(title)s is created as a draft. Add its sections and lessons.")
            % {"title": course.title},
        )
        return redirect("learning:course_content", pk=course.pk)
    return render(request, "learning/author_course_form.html", {"form": form, "course": None})


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = get_authored_course(user, pk)
    before = audit.snapshot(course, actions.COURSE_FIELDS)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        actions.update_course(user, form.save(commit=False), before)
        messages.success(request, _("Course settings are saved."))
        return redirect("learning:course_content", pk=course.pk)
    return render(request, "learning/author_course_form.html", {"form": form, "course": course})


@login_required
@require_POST
def course_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = get_authored_course(user, pk)
    status = request.POST.get("status", "")
    if status not in Status.values:
        raise Http404
    try:
        actions.set_course_status(user, course, status)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, {
            Status.PUBLISHED: _("The course is back in the catalog."),
            Status.DRAFT: _("The course is hidden from the catalog; enrolled people can finish it."),
            Status.ARCHIVED: _("The course is archived; its learners' records are kept."),
        }[Status(status)])  # fmt: skip
    return redirect("learning:course_content", pk=course.pk)


@login_required
def course_content(request: HttpRequest, pk: int) -> HttpResponse:
    """The outline editor: the draft when there is one, else the published version."""
    user = _author(request)
    course = get_authored_course(user, pk)
    draft = actions.draft_of(course)
    version = draft or course.published_version
    sections = (
        list(Section.objects.filter(version=version).prefetch_related("lessons")) if version else []
    )
    published_keys = (
        set(Lesson.objects.filter(version=course.published_version).values_list("key", flat=True))
        if course.published_version
        else set()
    )
    draft_keys = {lesson.key for s in sections for lesson in s.lessons.all()} if draft else set()
    return render(
        request,
        "learning/author_content.html",
        {
            "course": course,
            "draft": draft,
            "version": version,
            "sections": sections,
            "section_form": SectionForm(),
            "publish_form": PublishForm(),
            "added": len(draft_keys - published_keys) if draft and course.published_version else 0,
            "removed": len(published_keys - draft_keys)
            if draft and course.published_version
            else 0,
            "versions": course.versions.select_related("created_by").order_by("-number"),
            "first_lesson": next((lesson for s in sections for lesson in s.lessons.all()), None),
        },
    )


@login_required
@require_POST
def course_new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = get_authored_course(user, pk)
    draft = actions.start_draft(user, course)
    messages.info(
        request,
        _(
            "You are editing draft version %(n)d. Learners keep seeing the published version until you publish."
        )
        % {"n": draft.number},
    )
    return redirect("learning:course_content", pk=course.pk)


@login_required
@require_POST
def course_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = get_authored_course(user, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = actions.publish_draft(user, course, form.cleaned_data["change_note"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Version %(n)d is published.") % {"n": version.number})
    return redirect("learning:course_content", pk=course.pk)


# --- sections and lessons (draft only) ------------------------------------------------------------
@login_required
@require_POST
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = get_authored_course(user, pk)
    draft = _draft(course)
    form = SectionForm(request.POST)
    if form.is_valid():
        section = form.save(commit=False)
        section.version = draft
        section.position = actions.next_position(Section.objects.filter(version=draft))
        section.save()
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("learning:course_content", pk=course.pk)


def _section(request: HttpRequest, pk: int, spk: int) -> tuple[Course, Section]:
    course = get_authored_course(_author(request), pk)
    return course, get_object_or_404(Section, pk=spk, version=_draft(course))


@login_required
def section_edit(request: HttpRequest, pk: int, spk: int) -> HttpResponse:
    course, section = _section(request, pk, spk)
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("learning:course_content", pk=course.pk)
    return render(
        request,
        "learning/author_section_form.html",
        {"form": form, "course": course, "section": section},
    )


@login_required
@require_POST
def section_move(request: HttpRequest, pk: int, spk: int) -> HttpResponse:
    course, section = _section(request, pk, spk)
    with transaction.atomic():
        actions.reorder(section, -1 if request.POST.get("direction") == "up" else 1)
    return redirect("learning:course_content", pk=course.pk)


@login_required
@require_POST
def section_delete(request: HttpRequest, pk: int, spk: int) -> HttpResponse:
    course, section = _section(request, pk, spk)
    section.delete()  # a draft's section: the published version keeps its own copy
    messages.success(request, _("The section is removed from the draft."))
    return redirect("learning:course_content", pk=course.pk)


@login_required
def lesson_create(request: HttpRequest, pk: int, spk: int) -> HttpResponse:
    course, section = _section(request, pk, spk)
    kind = request.GET.get("kind", LessonKind.TEXT)
    form = LessonForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": kind if kind in LessonKind.values else LessonKind.TEXT},
    )
    if request.method == "POST" and form.is_valid():
        lesson = form.save(commit=False)
        lesson.version = section.version
        lesson.section = section
        lesson.position = actions.next_position(Lesson.objects.filter(section=section))
        lesson.save()
        messages.success(request, _("Lesson “%(title)s” is added.") % {"title": lesson.title})
        return redirect("learning:course_content", pk=course.pk)
    return render(
        request,
        "learning/author_lesson_form.html",
        {"form": form, "course": course, "section": section, "lesson": None},
    )


def _lesson(request: HttpRequest, pk: int, lpk: int) -> tuple[Course, Lesson]:
    course = get_authored_course(_author(request), pk)
    return course, get_object_or_404(
        Lesson.objects.select_related("section"), pk=lpk, version=_draft(course)
    )


@login_required
def lesson_edit(request: HttpRequest, pk: int, lpk: int) -> HttpResponse:
    course, lesson = _lesson(request, pk, lpk)
    form = LessonForm(request.POST or None, request.FILES or None, instance=lesson)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Lesson “%(title)s” is saved.") % {"title": lesson.title})
        return redirect("learning:course_content", pk=course.pk)
    return render(
        request,
        "learning/author_lesson_form.html",
        {"form": form, "course": course, "section": lesson.section, "lesson": lesson},
    )


@login_required
@require_POST
def lesson_move(request: HttpRequest, pk: int, lpk: int) -> HttpResponse:
    course, lesson = _lesson(request, pk, lpk)
    with transaction.atomic():
        actions.reorder(lesson, -1 if request.POST.get("direction") == "up" else 1)
    return redirect("learning:course_content", pk=course.pk)


@login_required
@require_POST
def lesson_delete(request: HttpRequest, pk: int, lpk: int) -> HttpResponse:
    course, lesson = _lesson(request, pk, lpk)
    lesson.delete()  # only the draft's copy; progress recorded against its key is kept
    messages.success(request, _("The lesson is removed from the draft."))
    return redirect("learning:course_content", pk=course.pk)


@login_required
@require_POST
def content_order(request: HttpRequest, pk: int) -> HttpResponse:
    """Drag-and-drop reordering: the new order of one section's lessons, as lesson ids."""
    course = get_authored_course(_author(request), pk)
    draft = _draft(course)
    section = get_object_or_404(Section, pk=request.POST.get("section", "0") or 0, version=draft)
    ids = [int(i) for i in request.POST.getlist("lesson") if i.isdigit()]
    lessons = {lesson.pk: lesson for lesson in Lesson.objects.filter(version=draft, pk__in=ids)}
    if len(lessons) != len(ids):
        return JsonResponse({"error": _("Those lessons are not all in this draft.")}, status=400)
    with transaction.atomic():
        for lesson in lessons.values():
            lesson.section = section
        actions.set_order([lessons[i] for i in ids])
        Lesson.objects.bulk_update(list(lessons.values()), ["section"])
    return JsonResponse({"ok": True})


# --- learners of a course -------------------------------------------------------------------------
@login_required
def course_learners(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    course = get_authored_course(user, pk)
    if request.method == "POST":
        moved = 0
        if course.published_version:
            for enrolment in Enrolment.objects.filter(
                course=course, is_current=True, status=EnrolmentStatus.IN_PROGRESS
            ).exclude(version=course.published_version):
                actions.move_to_version(user, enrolment, course.published_version)
                moved += 1
        messages.success(request, _("%(n)d people moved to the current version.") % {"n": moved})
        return redirect("learning:course_learners", pk=course.pk)
    enrolments = (
        Enrolment.objects.filter(course=course, is_current=True)
        .select_related("user__partner", "version")
        .order_by("status", "due_at", "user__name")
    )
    status = request.GET.get("status", "")
    if status in EnrolmentStatus.values:
        enrolments = enrolments.filter(status=status)
    counts = dict(
        Enrolment.objects.filter(course=course, is_current=True)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    behind = (
        Enrolment.objects.filter(course=course, is_current=True, status=EnrolmentStatus.IN_PROGRESS)
        .exclude(version=course.published_version)
        .count()
        if course.published_version
        else 0
    )
    return render(
        request,
        "learning/author_learners.html",
        {
            "course": course,
            "page": page_of(request, enrolments, 50),
            "counts": counts,
            "status": status,
            "behind": behind,
        },
    )


# --- assigning courses and paths --------------------------------------------------------------------
def _assign_page(request: HttpRequest, target: Course | LearningPath, kind: str) -> HttpResponse:
    user = signed_in(request)
    if not can_assign(user):
        raise Http404
    assignable = (
        people_assignable_by(user)
        .select_related("partner", "job_role")
        .order_by("partner__name", "name")
    )
    picker = PeoplePickerFilter(
        request.GET or None, partners=partners_in_scope(user).order_by("name")
    )
    shown = assignable
    if picker.is_valid():
        if picker.cleaned_data["q"]:
            q = picker.cleaned_data["q"]
            shown = shown.filter(Q(name__icontains=q) | Q(email__icontains=q))
        if picker.cleaned_data["partner"]:
            shown = shown.filter(
                partner__in=Partner.objects.with_descendants_of([picker.cleaned_data["partner"].pk])
            )
        if picker.cleaned_data["job_role"]:
            shown = shown.filter(job_role=picker.cleaned_data["job_role"])
    form = AssignForm(request.POST or None, assignable=assignable)
    if request.method == "POST" and form.is_valid():
        people, due_at = form.cleaned_data["all_people"], form.cleaned_data["due_at"]
        try:
            if isinstance(target, Course):
                actions.assign(user, people, target, due_at)
            else:
                with transaction.atomic():
                    for person in people:
                        actions.enrol_in_path(
                            person, target, actor=user, source="assigned", due_at=due_at
                        )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Assigned to %(n)d people; they are told by notification.") % {"n": len(people)},
            )
            return redirect(target)
    page = page_of(request, shown, 50)
    already = set(
        (
            Enrolment.objects.filter(course=target, is_current=True)
            if isinstance(target, Course)
            else target.enrolments.all()
        )
        .filter(user__in=[p.pk for p in page])
        .values_list("user_id", flat=True)
    )
    return render(
        request,
        "learning/assign.html",
        {
            "target": target,
            "kind": kind,
            "form": form,
            "picker": picker,
            "page": page,
            "already": already,
        },
    )


@login_required
def course_assign(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_user(signed_in(request), pk)
    if course.status != Status.PUBLISHED:
        raise Http404
    return _assign_page(request, course, "course")


@login_required
def path_assign(request: HttpRequest, pk: int) -> HttpResponse:
    learning_path = get_object_or_404(
        paths_visible_to(signed_in(request)).filter(status=Status.PUBLISHED), pk=pk
    )
    return _assign_page(request, learning_path, "path")


# --- learning paths -----------------------------------------------------------------------------------
@login_required
def path_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _author(request)
    learning_path = get_object_or_404(LearningPath, pk=pk) if pk else None
    form = PathForm(request.POST or None, instance=learning_path, prefix="path")
    step_form = PathStepForm(prefix="step")
    if request.method == "POST" and "add_step" not in request.POST and form.is_valid():
        creating = learning_path is None
        saved = form.save(commit=False)
        if creating:
            saved.created_by = user
        saved.save()
        audit.record(user, "path.created" if creating else "path.updated", saved,
                     after={"title": saved.title, "status": saved.status})  # fmt: skip
        messages.success(request, _("The learning path is saved."))
        return redirect("learning:path_edit", pk=saved.pk)
    if request.method == "POST" and "add_step" in request.POST:
        if learning_path is None:
            raise Http404
        form = PathForm(instance=learning_path, prefix="path")
        step_form = PathStepForm(request.POST, prefix="step")
        if step_form.is_valid():
            data = step_form.cleaned_data
            PathStep.objects.create(
                path=learning_path, course=data["course"], certification=data["certification"],
                requires_previous=data["requires_previous"],
                position=actions.next_position(learning_path.steps.all()),
            )  # fmt: skip
            return redirect("learning:path_edit", pk=learning_path.pk)
    steps = learning_path.steps.select_related("course", "certification") if learning_path else []
    return render(
        request,
        "learning/author_path_form.html",
        {"form": form, "step_form": step_form, "path": learning_path, "steps": steps},
    )


@login_required
@require_POST
def path_step_change(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    _author(request)
    step = get_object_or_404(PathStep, pk=step_pk, path_id=pk)
    action = request.POST.get("action")
    with transaction.atomic():
        if action in ("up", "down"):
            steps = list(PathStep.objects.filter(path_id=pk).order_by("position", "pk"))
            index = steps.index(step)
            target = index + (-1 if action == "up" else 1)
            if 0 <= target < len(steps):
                steps[index], steps[target] = steps[target], steps[index]
            actions.set_order(steps)
        elif action == "toggle":
            step.requires_previous = not step.requires_previous
            step.save(update_fields=["requires_previous"])
        elif action == "remove":
            step.delete()
        else:
            raise Http404
    return redirect("learning:path_edit", pk=pk)


# --- auto-enrolment rules -------------------------------------------------------------------------------
@login_required
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _author(request)
    rule = get_object_or_404(EnrolmentRule, pk=pk) if pk else None
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        creating = rule is None
        saved = form.save(commit=False)
        if creating:
            saved.created_by = user
        with transaction.atomic():
            saved.save()
            audit.record(user, "rule.created" if creating else "rule.updated", saved,
                         after={"name": saved.name, "audience": str(saved.audience), "active": saved.is_active})  # fmt: skip
            if saved.is_active:
                transaction.on_commit(lambda: apply_rule_task.enqueue(saved.pk))
        messages.success(
            request, _("The rule is saved; the worker is enrolling the people it reaches.")
        )
        return redirect("learning:rule_edit", pk=saved.pk)
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
        request, "learning/author_rule_form.html", {"form": form, "rule": rule, "waiting": waiting}
    )


@login_required
@require_POST
def rule_run(request: HttpRequest, pk: int) -> HttpResponse:
    _author(request)
    rule = get_object_or_404(EnrolmentRule, pk=pk, is_active=True)
    apply_rule_task.enqueue(rule.pk)
    messages.success(
        request, _("The worker is applying the rule now; refresh in a moment to see the result.")
    )
    return redirect("learning:rule_edit", pk=rule.pk)


urlpatterns: list[URLPattern] = [
    path("learn/manage/", manage, name="manage"),
    path("learn/manage/courses/new/", course_create, name="course_create"),
    path("learn/manage/courses/<int:pk>/", course_edit, name="course_edit"),
    path("learn/manage/courses/<int:pk>/status/", course_status, name="course_status"),
    path("learn/manage/courses/<int:pk>/content/", course_content, name="course_content"),
    path("learn/manage/courses/<int:pk>/draft/", course_new_draft, name="course_new_draft"),
    path("learn/manage/courses/<int:pk>/publish/", course_publish, name="course_publish"),
    path("learn/manage/courses/<int:pk>/order/", content_order, name="content_order"),
    path("learn/manage/courses/<int:pk>/sections/new/", section_create, name="section_create"),
    path("learn/manage/courses/<int:pk>/sections/<int:spk>/", section_edit, name="section_edit"),
    path(
        "learn/manage/courses/<int:pk>/sections/<int:spk>/move/", section_move, name="section_move"
    ),
    path(
        "learn/manage/courses/<int:pk>/sections/<int:spk>/delete/",
        section_delete,
        name="section_delete",
    ),
    path(
        "learn/manage/courses/<int:pk>/sections/<int:spk>/lessons/new/",
        lesson_create,
        name="lesson_create",
    ),
    path("learn/manage/courses/<int:pk>/lessons/<int:lpk>/", lesson_edit, name="lesson_edit"),
    path("learn/manage/courses/<int:pk>/lessons/<int:lpk>/move/", lesson_move, name="lesson_move"),
    path(
        "learn/manage/courses/<int:pk>/lessons/<int:lpk>/delete/",
        lesson_delete,
        name="lesson_delete",
    ),
    path("learn/manage/courses/<int:pk>/learners/", course_learners, name="course_learners"),
    path("learn/courses/<int:pk>/assign/", course_assign, name="course_assign"),
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
