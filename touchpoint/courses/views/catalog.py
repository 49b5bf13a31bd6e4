"""Learner pages for courses: the catalog, a learner's own learning, course pages and the
lesson player. Other apps add panels (paths, sessions, certifications) through
`courses.hooks`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from touchpoint.courses import actions, hooks
from touchpoint.courses.access import can_assign_courses, can_author_courses
from touchpoint.courses.models import (
    Course,
    CourseImage,
    CourseVersion,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    LessonProgress,
    Section,
    Source,
    Status,
)
from touchpoint.courses.player import lesson_to_resume, progress_of
from touchpoint.kernel.activity import record_view
from touchpoint.kernel.files import file_view, serve_file
from touchpoint.kernel.forms import QUERY_MAX_LENGTH
from touchpoint.kernel.htmx import is_htmx
from touchpoint.kernel.paging import page_of
from touchpoint.kernel.translations import localise, localise_all
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import Department

# Lessons a learner finishes by saying so; quizzes and sessions finish themselves.
SELF_COMPLETED = {LessonKind.TEXT, LessonKind.VIDEO, LessonKind.DOCUMENT, LessonKind.LINK}


def outline(version: CourseVersion) -> list[Section]:
    """Sections with their lessons, in two queries."""
    return list(
        Section.objects.filter(version=version).prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.in_language().order_by("position", "pk"))
        )
    )


# --- catalog and my learning ------------------------------------------------------------------
@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    mine = Enrolment.objects.filter(user=user, course=OuterRef("pk"), is_current=True)
    courses = (
        Course.objects.visible_to(user)
        .published()
        .in_language()
        .select_related("department")
        .annotate(
            my_status=Subquery(mine.values("status")[:1]),
            my_progress=Subquery(mine.values("progress")[:1]),
        )
        .order_by("title")
    )
    if query:
        courses = courses.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    department = request.GET.get("department", "")
    if department.isdigit():
        courses = courses.filter(department_id=int(department))
    page = page_of(request, courses, 24)
    return render(
        request,
        "courses/catalog.html",
        {
            "page": page,
            "panels": hooks.panels_for("catalog", request),
            "query": query,
            "departments": Department.objects.all(),
            "department": department,
        },
    )


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    enrolments = list(
        Enrolment.objects.filter(user=user, is_current=True)
        .select_related("course")
        .order_by("status", "due_at", "-enrolled_at")
    )
    localise_all(e.course for e in enrolments)
    now = timezone.now()
    open_ = [e for e in enrolments if e.status != EnrolmentStatus.COMPLETED]
    done = [e for e in enrolments if e.status == EnrolmentStatus.COMPLETED]
    return render(
        request,
        "courses/my_learning.html",
        {
            "open": open_,
            "done": done,
            "panels": hooks.panels_for("my_learning", request),
            "now": now,
        },
    )


# --- a course ---------------------------------------------------------------------------------
@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    course = localise(Course.objects.get_for(user, pk=pk))
    enrolment = Enrolment.objects.current_of(user, course)
    version = enrolment.version if enrolment else course.published_version
    if version is None:  # an author looking at a course never published
        return redirect("courses:course_content", pk=course.pk)
    sections = outline(version)
    done: set[Any] = set()
    if enrolment:
        done = set(
            LessonProgress.objects.filter(
                enrolment=enrolment, completed_at__isnull=False
            ).values_list("lesson_key", flat=True)
        )
    lessons = [lesson for s in sections for lesson in s.lessons.all()]
    progress = progress_of(lessons, done)
    resume = lesson_to_resume(lessons, enrolment.last_lesson_key, done) if enrolment else None
    record_view(request, course)
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "enrolment": enrolment,
            "sections": sections,
            "done": done,
            "first_lesson": lessons[0] if lessons else None,
            "progress": progress,
            "resume": resume,
            "locked_by": hooks.lock_on(enrolment),
            "panels": hooks.panels_for("course_detail", request, course=course),
            "can_assign": can_assign_courses(user) and course.status == Status.PUBLISHED,
            # Any author may preview a course's lessons without enrolling (see
            # _lesson_and_enrolment); editing is for the authors of this course only.
            "can_preview": can_author_courses(user),
            "can_edit": can_author_courses(user)
            and Course.objects.manageable_by(user).filter(pk=course.pk).exists(),
        },
    )


@login_required
@require_POST
def course_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    course = Course.objects.get_for(user, pk=pk)
    try:
        enrolment = actions.enrol(user, course, source=Source.SELF)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(course)
    messages.success(request, _("You are enrolled in %(course)s.") % {"course": course.title})
    first = Lesson.objects.filter(version=enrolment.version).first()
    return redirect("courses:lesson", pk=course.pk, key=first.key) if first else redirect(course)


# --- the lesson player ----------------------------------------------------------------------------
def _lesson_and_enrolment(
    request: HttpRequest, pk: int, key: Any
) -> tuple[Course, Lesson, Enrolment | None, bool]:
    """The lesson a person may open: in their enrolment's version, or for an author previewing
    (the published version; the draft, when there is one, for the authors of this course
    only). Returns (course, lesson, enrolment, preview)."""
    user = signed_in(request)
    course = Course.objects.get_for(user, pk=pk)
    enrolment = Enrolment.objects.current_of(user, course)
    preview = enrolment is None and can_author_courses(user)
    version: CourseVersion | None
    if enrolment is not None:
        version = enrolment.version
    elif preview:
        # A draft is work in progress: another department's author sees what is published.
        edits = Course.objects.manageable_by(user).filter(pk=course.pk).exists()
        draft = actions.draft_of(course) if edits else None
        version = (draft if request.GET.get("draft") else None) or course.published_version
        version = version or draft
    else:
        raise Http404
    lesson = get_object_or_404(
        Lesson.objects.select_related("section", "version"), version=version, key=key
    )
    return course, lesson, enrolment, preview


@login_required
def lesson(request: HttpRequest, pk: int, key: Any) -> HttpResponse:
    user = signed_in(request)
    try:
        course, current, enrolment, preview = _lesson_and_enrolment(request, pk, key)
    except Http404:
        course = Course.objects.get_for(user, pk=pk)
        # Authors preview without enrolling: for them a lesson not found is not found.
        if Enrolment.objects.current_of(user, course) is None and not can_author_courses(user):
            messages.info(request, _("Enrol in the course to open its lessons."))
            return redirect(course)
        raise
    locked = hooks.lock_on(enrolment)
    if locked is not None:
        messages.info(
            request, _("Finish the earlier steps of %(path)s first.") % {"path": locked.title}
        )
        return redirect(course)
    lessons = list(
        Lesson.objects.filter(version=current.version).select_related("section").in_language()
    )
    index = next(i for i, item in enumerate(lessons) if item.pk == current.pk)
    done: set[Any] = set()
    position = 0
    if enrolment is not None:
        actions.record_visit(enrolment, current)
        rows = LessonProgress.objects.filter(enrolment=enrolment).values_list(
            "lesson_key", "completed_at", "position"
        )
        done = {k for k, completed, _pos in rows if completed}
        position = next((pos for k, _c, pos in rows if k == current.key), 0)
    progress = progress_of(lessons, done)
    course, current = localise(course), localise(current)
    handler = hooks.lesson_kinds.get(current.kind)
    extra = handler.context(user, enrolment, current) if handler else {}
    return render(
        request,
        "courses/lesson.html",
        {
            "course": course,
            "lesson": current,
            "enrolment": enrolment,
            "preview": preview,
            "lessons": lessons,
            "done": done,
            "previous": lessons[index - 1] if index > 0 else None,
            "next": lessons[index + 1] if index + 1 < len(lessons) else None,
            "position": position,
            "self_completed": current.kind in SELF_COMPLETED,
            # Previewing the draft keeps previewing the draft from lesson to lesson.
            "preview_query": (
                "?preview=1&draft=1" if current.version.status == Status.DRAFT else "?preview=1"
            )
            if preview
            else "",
            "step": index + 1,
            "progress": progress,
            "kind_template": handler.template if handler else "",
            **extra,
        },
    )


@login_required
@require_POST
def lesson_complete(request: HttpRequest, pk: int, key: Any) -> HttpResponse:
    course, current, enrolment, preview = _lesson_and_enrolment(request, pk, key)
    if enrolment is None or preview or current.kind not in SELF_COMPLETED:
        raise Http404
    if hooks.lock_on(enrolment) is not None:
        raise Http404
    finished = actions.complete_lesson(enrolment, current)
    if is_htmx(request):
        return JsonResponse({"completed": True, "course_completed": finished})
    if finished:
        messages.success(
            request, _("Course complete: %(course)s. Well done!") % {"course": course.title}
        )
        return redirect(course)
    following = (
        Lesson.objects.filter(version=current.version)
        .filter(
            Q(section__position__gt=current.section.position)
            | Q(section=current.section, position__gt=current.position)
        )
        .order_by("section__position", "position", "pk")
        .first()
    )
    return (
        redirect("courses:lesson", pk=course.pk, key=following.key)
        if following
        else redirect(course)
    )


@login_required
@require_POST
def lesson_position(request: HttpRequest, pk: int, key: Any) -> HttpResponse:
    """Where a learner paused a video, so the player resumes there."""
    _course, current, enrolment, _preview = _lesson_and_enrolment(request, pk, key)
    if enrolment is None:
        return HttpResponse(status=204)
    seconds = request.POST.get("seconds", "")
    if not seconds.isdigit():
        return JsonResponse({"error": _("seconds must be a whole number")}, status=400)
    actions.record_position(enrolment, current, int(seconds))
    return HttpResponse(status=204)


@file_view
def course_cover(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The cover picture, for whoever may see the course."""
    course = Course.objects.get_for(signed_in(request), pk=pk)
    if not course.cover:
        raise Http404
    return serve_file(request, course.cover, filename=f"course-{course.pk}-cover")


@file_view
def course_image(request: HttpRequest, pk: int, image: int) -> HttpResponseBase:
    """A picture of the course's lesson text, for whoever may see the course."""
    course = Course.objects.get_for(signed_in(request), pk=pk)
    picture = get_object_or_404(CourseImage, course=course, pk=image)
    return serve_file(request, picture.file, filename=f"course-{course.pk}-picture-{image}")


@file_view
@xframe_options_sameorigin  # the lesson page shows PDFs in an iframe of its own
def lesson_file(request: HttpRequest, pk: int, key: Any) -> HttpResponseBase:
    _course, current, _enrolment, _preview = _lesson_and_enrolment(request, pk, key)
    if not current.file:
        raise Http404
    return serve_file(
        request,
        current.file,
        filename=current.file_name or "lesson",
        content_type=current.file_type,
    )


urlpatterns: list[URLPattern] = [
    path("learn/", catalog, name="catalog"),
    path("learn/my/", my_learning, name="my_learning"),
    path("learn/courses/<int:pk>/", course_detail, name="course_detail"),
    path("learn/courses/<int:pk>/enrol/", course_enrol, name="course_enrol"),
    path("learn/courses/<int:pk>/cover/", course_cover, name="course_cover"),
    path("learn/courses/<int:pk>/images/<int:image>/", course_image, name="course_image"),
    path("learn/courses/<int:pk>/lessons/<uuid:key>/", lesson, name="lesson"),
    path(
        "learn/courses/<int:pk>/lessons/<uuid:key>/done/", lesson_complete, name="lesson_complete"
    ),
    path(
        "learn/courses/<int:pk>/lessons/<uuid:key>/position/",
        lesson_position,
        name="lesson_position",
    ),
    path("learn/courses/<int:pk>/lessons/<uuid:key>/file/", lesson_file, name="lesson_file"),
]
