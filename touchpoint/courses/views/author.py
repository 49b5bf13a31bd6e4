"""Course pages for authors (trainers, content owners, portal admins): the authors' dashboard,
courses and their draft versions, sections and lessons, publishing and learners; and the
assigning page, for courses here and for paths (trainers, channel managers, partner
admins)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.courses import actions, hooks
from touchpoint.courses.access import (
    can_assign_courses,
    can_author_courses,
    people_assignable_by,
)
from touchpoint.courses.forms import (
    AssignForm,
    CourseForm,
    CourseImageForm,
    LessonForm,
    PeoplePickerFilter,
    PublishForm,
    SectionForm,
)
from touchpoint.courses.models import (
    Course,
    CourseVersion,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    Section,
    Status,
)
from touchpoint.kernel import audit
from touchpoint.kernel.access import require
from touchpoint.kernel.forms import add_errors
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import Partner, User


def _course(request: HttpRequest, pk: int) -> Course:
    """A course the signed-in author may edit, or the same 404 as a missing one."""
    return Course.objects.get_for(signed_in(request), manage=True, pk=pk)


def _draft(course: Course) -> CourseVersion:
    draft = actions.draft_of(course)
    if draft is None:
        raise Http404  # content is only edited in a draft
    return draft


# --- the authors' dashboard ---------------------------------------------------------------------
@require(can_author_courses)
def manage(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    courses = (
        Course.objects.manageable_by(user)
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
        "courses/author_manage.html",
        {
            "page": page_of(request, courses, 25),
            "status": status,
            "statuses": Status.choices,
            "panels": hooks.panels_for("manage", request),
        },
    )


# --- courses ----------------------------------------------------------------------------------------
@require(can_author_courses)
def course_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = CourseForm(
        request.POST or None, request.FILES or None, initial={"owner": user.pk}, actor=user
    )
    if request.method == "POST" and form.is_valid():
        course = actions.create_course(user, form.save(commit=False))
        messages.success(
            request,
            _("%(title)s is created as a draft. Add its sections and lessons.")
            % {"title": course.title},
        )
        return redirect("courses:course_content", pk=course.pk)
    return render(request, "courses/author_course_form.html", {"form": form, "course": None})


@require(can_author_courses)
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    course = _course(request, pk)
    # Taken before the form binds: validating a ModelForm writes onto its instance.
    before = audit.snapshot(course, actions.COURSE_FIELDS)
    form = CourseForm(request.POST or None, request.FILES or None, instance=course, actor=user)
    if request.method == "POST" and form.is_valid():
        actions.update_course(user, form.save(commit=False), before)
        messages.success(request, _("Course settings are saved."))
        return redirect("courses:course_content", pk=course.pk)
    return render(request, "courses/author_course_form.html", {"form": form, "course": course})


@require(can_author_courses)
@require_POST
def course_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    course = _course(request, pk)
    status = request.POST.get("status", "")
    if status not in Status.values:
        raise Http404
    try:
        actions.set_course_status(user, course, status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, {
            Status.PUBLISHED: _("The course is back in the catalog."),
            Status.DRAFT: _("The course is hidden from the catalog; enrolled people can finish it."),
            Status.ARCHIVED: _("The course is archived; its learners' records are kept."),
        }[Status(status)])  # fmt: skip
    return redirect("courses:course_content", pk=course.pk)


@require(can_author_courses)
def course_content(request: HttpRequest, pk: int) -> HttpResponse:
    """The outline editor: the draft when there is one, else the published version."""
    course = _course(request, pk)
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
        "courses/author_content.html",
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


@require(can_author_courses)
@require_POST
def course_new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    draft = actions.start_draft(signed_in(request), course)
    messages.info(
        request,
        _(
            "You are editing draft version %(n)d. Learners keep seeing the published version until you publish."
        )
        % {"n": draft.number},
    )
    return redirect("courses:course_content", pk=course.pk)


@require(can_author_courses)
@require_POST
def course_publish(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = actions.publish_draft(
                signed_in(request), course, form.cleaned_data["change_note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Version %(n)d is published.") % {"n": version.number})
    return redirect("courses:course_content", pk=course.pk)


# --- sections and lessons (draft only) ------------------------------------------------------------
def _direction(request: HttpRequest) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


@require(can_author_courses)
@require_POST
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    draft = _draft(course)
    form = SectionForm(request.POST)
    if form.is_valid():
        actions.add_section(signed_in(request), draft, form.save(commit=False))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("courses:course_content", pk=course.pk)


def _section(request: HttpRequest, pk: int, spk: int) -> tuple[Course, Section]:
    course = _course(request, pk)
    return course, get_object_or_404(
        Section.objects.select_related("version__course"), pk=spk, version=_draft(course)
    )


@require(can_author_courses)
def section_edit(request: HttpRequest, pk: int, spk: int) -> HttpResponse:
    course, section = _section(request, pk, spk)
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        actions.update_section(signed_in(request), form.save(commit=False))
        return redirect("courses:course_content", pk=course.pk)
    return render(
        request,
        "courses/author_section_form.html",
        {"form": form, "course": course, "section": section},
    )


@require(can_author_courses)
@require_POST
def section_move(request: HttpRequest, pk: int, spk: int) -> HttpResponse:
    course, section = _section(request, pk, spk)
    actions.move_section(signed_in(request), section, _direction(request))
    return redirect("courses:course_content", pk=course.pk)


@require(can_author_courses)
@require_POST
def section_delete(request: HttpRequest, pk: int, spk: int) -> HttpResponse:
    course, section = _section(request, pk, spk)
    actions.delete_section(signed_in(request), section)
    messages.success(request, _("The section is removed from the draft."))
    return redirect("courses:course_content", pk=course.pk)


# Trix (the lesson text editor) adds <style> elements for its own tags when it loads; these
# pages let them in by a per-request nonce (courses/static/courses/vendor/README.md), and
# show a dropped picture from a blob: URL until its upload is done.
def editor_styles(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return cast(
        Callable[..., HttpResponse], csp_update({"style-src": [NONCE], "img-src": ["blob:"]})(view)
    )


@require(can_author_courses)
@editor_styles
def lesson_create(request: HttpRequest, pk: int, spk: int) -> HttpResponse:
    course, section = _section(request, pk, spk)
    kind = request.GET.get("kind", LessonKind.TEXT)
    form = LessonForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": kind if kind in LessonKind.values else LessonKind.TEXT},
        course=course,
    )
    if request.method == "POST" and form.is_valid():
        lesson = actions.add_lesson(signed_in(request), section, form.save(commit=False))
        messages.success(request, _("Lesson “%(title)s” is added.") % {"title": lesson.title})
        return redirect("courses:course_content", pk=course.pk)
    return render(
        request,
        "courses/author_lesson_form.html",
        {"form": form, "course": course, "section": section, "lesson": None},
    )


def _lesson(request: HttpRequest, pk: int, lpk: int) -> tuple[Course, Lesson]:
    course = _course(request, pk)
    return course, get_object_or_404(
        Lesson.objects.select_related("section", "version__course"),
        pk=lpk,
        version=_draft(course),
    )


@require(can_author_courses)
@editor_styles
def lesson_edit(request: HttpRequest, pk: int, lpk: int) -> HttpResponse:
    course, lesson = _lesson(request, pk, lpk)
    form = LessonForm(request.POST or None, request.FILES or None, instance=lesson, course=course)
    if request.method == "POST" and form.is_valid():
        actions.update_lesson(signed_in(request), form.save(commit=False))
        messages.success(request, _("Lesson “%(title)s” is saved.") % {"title": lesson.title})
        return redirect("courses:course_content", pk=course.pk)
    return render(
        request,
        "courses/author_lesson_form.html",
        {"form": form, "course": course, "section": lesson.section, "lesson": lesson},
    )


@require(can_author_courses)
@require_POST
def lesson_move(request: HttpRequest, pk: int, lpk: int) -> HttpResponse:
    course, lesson = _lesson(request, pk, lpk)
    actions.move_lesson(signed_in(request), lesson, _direction(request))
    return redirect("courses:course_content", pk=course.pk)


@require(can_author_courses)
@require_POST
def lesson_delete(request: HttpRequest, pk: int, lpk: int) -> HttpResponse:
    course, lesson = _lesson(request, pk, lpk)
    actions.delete_lesson(signed_in(request), lesson)
    messages.success(request, _("The lesson is removed from the draft."))
    return redirect("courses:course_content", pk=course.pk)


@require(can_author_courses)
@require_POST
def content_order(request: HttpRequest, pk: int) -> HttpResponse:
    """Drag-and-drop reordering: the new order of one section's lessons, as lesson ids."""
    course = _course(request, pk)
    draft = _draft(course)
    section = get_object_or_404(
        Section.objects.select_related("version__course"),
        pk=request.POST.get("section", "0") or 0,
        version=draft,
    )
    ids = [int(i) for i in request.POST.getlist("lesson") if i.isdigit()]
    try:
        actions.order_lessons(signed_in(request), section, ids)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return JsonResponse({"ok": True})


# --- learners of a course -------------------------------------------------------------------------
@require(can_author_courses)
def course_learners(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    if request.method == "POST":
        moved = actions.move_learners_to_published(signed_in(request), course)
        messages.success(request, _("%(n)d people moved to the current version.") % {"n": moved})
        return redirect("courses:course_learners", pk=course.pk)
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
        "courses/author_learners.html",
        {
            "course": course,
            "page": page_of(request, enrolments, 50),
            "counts": counts,
            "status": status,
            "behind": behind,
        },
    )


# --- assigning courses and paths --------------------------------------------------------------------
def assign_page(
    request: HttpRequest,
    target: Any,
    kind: str,
    assign: Callable[[User, list[User], datetime | None], object],
    enrolled: QuerySet[Any],
) -> HttpResponse:
    """Pick people and a due date, then `assign(actor, people, due_at)`. `target` is the
    course or path (its page is where we return), `enrolled` its rows with a `user_id`. The
    view calling it is gated by `can_assign_courses`."""
    user = signed_in(request)
    assignable = (
        people_assignable_by(user)
        .select_related("partner", "job_role")
        .order_by("partner__name", "name")
    )
    picker = PeoplePickerFilter(request.GET or None, actor=user)
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
    form = AssignForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        people, due_at = form.cleaned_data["all_people"], form.cleaned_data["due_at"]
        try:
            assign(user, people, due_at)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Assigned to %(n)d people; they are told by notification.") % {"n": len(people)},
            )
            return redirect(target)
    page = page_of(request, shown, 50)
    already = set(enrolled.filter(user__in=[p.pk for p in page]).values_list("user_id", flat=True))
    return render(
        request,
        "courses/assign.html",
        {
            "target": target,
            "kind": kind,
            "form": form,
            "picker": picker,
            "page": page,
            "already": already,
        },
    )


@require(can_assign_courses)
def course_assign(request: HttpRequest, pk: int) -> HttpResponse:
    course = Course.objects.visible_to(signed_in(request)).get_or_404(
        pk=pk, status=Status.PUBLISHED
    )
    return assign_page(
        request,
        course,
        "course",
        lambda actor, people, due_at: actions.assign(actor, people, course, due_at),
        Enrolment.objects.filter(course=course, is_current=True),
    )


@require(can_author_courses)
@require_POST
def course_image_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The lesson editor's picture upload: the stored picture's address, or why it was
    refused, as JSON (the editor shows the message)."""
    user = signed_in(request)
    course = _course(request, pk)
    form = CourseImageForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        return JsonResponse({"error": " ".join(errors)}, status=415)
    image = actions.add_course_image(user, course, form.cleaned_data["file"])
    return JsonResponse({"url": image.get_absolute_url()})


urlpatterns: list[URLPattern] = [
    path("learn/manage/", manage, name="manage"),
    path("learn/manage/courses/new/", course_create, name="course_create"),
    path("learn/manage/courses/<int:pk>/", course_edit, name="course_edit"),
    path("learn/manage/courses/<int:pk>/status/", course_status, name="course_status"),
    path("learn/manage/courses/<int:pk>/content/", course_content, name="course_content"),
    path("learn/manage/courses/<int:pk>/images/", course_image_upload, name="course_image_upload"),
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
]
