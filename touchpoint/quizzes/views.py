"""Learning pages: quizzes (starting, answering, the result and review) and a course's
question bank (list, create, edit, remove)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from touchpoint.courses import hooks
from touchpoint.courses.access import can_author_courses
from touchpoint.courses.models import Course, Enrolment, EnrolmentStatus, Lesson, LessonKind, Status
from touchpoint.kernel.access import require
from touchpoint.kernel.htmx import render_page
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.access import signed_in
from touchpoint.quizzes import actions, attempts, bank, pages
from touchpoint.quizzes.forms import NO_POOL, QuestionEditor, QuestionFilterForm
from touchpoint.quizzes.models import AttemptStatus, Question, QuestionKind, QuizAttempt


# --- taking a quiz ----------------------------------------------------------------------------
def _attempt_for(request: HttpRequest, pk: Any) -> QuizAttempt:
    """The person's own attempt, as it stands now (see attempts.as_it_stands)."""
    return attempts.as_it_stands(QuizAttempt.objects.get_for(signed_in(request), pk=pk))


def _lesson_of(attempt: QuizAttempt) -> Lesson:
    try:
        return attempts.attempt_lesson(attempt)
    except Lesson.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def quiz_start(request: HttpRequest, pk: int, key: Any) -> HttpResponse:
    user = signed_in(request)
    course = Course.objects.get_for(user, pk=pk)
    enrolment = Enrolment.objects.current_of(user, course)
    if enrolment is None:
        messages.info(request, _("Enrol in the course to take its quizzes."))
        return redirect(course)
    lesson = get_object_or_404(
        Lesson.objects.select_related("version", "section"),
        version=enrolment.version,
        key=key,
        kind=LessonKind.QUIZ,
    )
    locked = hooks.lock_on(enrolment)
    if locked is not None:
        messages.info(
            request, _("Finish the earlier steps of %(path)s first.") % {"path": locked.title}
        )
        return redirect(course)
    try:
        attempt = actions.start_attempt(enrolment, lesson)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("courses:lesson", pk=course.pk, key=lesson.key)
    return redirect("quizzes:attempt", pk=attempt.pk)


def _attempt_page(
    request: HttpRequest,
    attempt: QuizAttempt,
    rejected: attempts.AnswersRejected | None = None,
) -> HttpResponse:
    # Only texts and opaque ids go to the template, never the attempt's snapshot itself:
    # it holds the correct answers.
    lesson = _lesson_of(attempt)
    seconds = pages.seconds_left(attempt)
    context = {
        "course": attempt.enrolment.course,
        "lesson": lesson,
        "attempt_pk": attempt.pk,
        "attempt_number": attempt.number,
        "deadline_at": attempt.deadline_at,
        "seconds_left": seconds,
        "clock": pages.clock(seconds),
        "questions": pages.shown_questions(attempt, rejected),
        "rejected": rejected,
    }
    return render(request, "quizzes/quiz_attempt.html", context, status=400 if rejected else 200)


@login_required
@require_http_methods(["GET", "POST"])
def attempt(request: HttpRequest, pk: int) -> HttpResponse:
    current = _attempt_for(request, pk)
    if request.method == "POST":
        responses = {name: request.POST.getlist(name) for name in request.POST}
        try:
            current = actions.submit_attempt(current, responses)
        except attempts.AnswersRejected as rejected:
            return _attempt_page(request, current, rejected)
        return redirect("quizzes:attempt_result", pk=current.pk)
    if current.status != AttemptStatus.OPEN:
        return redirect("quizzes:attempt_result", pk=current.pk)
    return _attempt_page(request, current)


@login_required
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    current = _attempt_for(request, pk)
    if current.status == AttemptStatus.OPEN:
        return redirect("quizzes:attempt", pk=current.pk)
    lesson = _lesson_of(current)
    enrolment = current.enrolment
    panel = pages.quiz_panel(user, enrolment, lesson) if enrolment.is_current else None
    context = {
        "course": enrolment.course,
        "lesson": lesson,
        "attempt": current,
        "review": pages.review(current) if lesson.show_review else None,
        "next_lesson": pages.next_lesson(lesson) if current.passed else None,
        "course_completed": enrolment.status == EnrolmentStatus.COMPLETED,
        "quiz": panel,
    }
    return render(request, "quizzes/quiz_result.html", context)


# --- the question bank ------------------------------------------------------------------------
def _bank_of(request: HttpRequest, pk: int) -> Course:
    """A course whose bank the signed-in author may edit, or the same 404 as a missing one."""
    return Course.objects.get_for(signed_in(request), manage=True, pk=pk)


def _question(request: HttpRequest, course: Course, qpk: int) -> Question:
    return Question.objects.get_for(signed_in(request), manage=True, course=course, pk=qpk)


def _quiz_lessons(course: Course) -> list[Lesson]:
    """The course's quiz lessons in its published version and its draft."""
    return list(
        Lesson.objects.filter(
            version__course=course,
            version__status__in=[Status.DRAFT, Status.PUBLISHED],
            kind=LessonKind.QUIZ,
        )
        .select_related("version")
        .order_by("-version__number", "section__position", "position")
    )


@require(can_author_courses)
def question_list(request: HttpRequest, pk: int) -> HttpResponse:
    course = _bank_of(request, pk)
    pools = bank.pool_counts(course)
    form = QuestionFilterForm(request.GET or None, pools=[row["pool"] for row in pools])
    questions = course.questions.annotate(choice_count=Count("choices")).order_by(
        "pool", "position", "pk"
    )
    if form.is_valid():
        pool, status = form.cleaned_data["pool"], form.cleaned_data["status"]
        if pool:
            questions = questions.filter(pool="" if pool == NO_POOL else pool)
        if status:
            questions = questions.filter(is_active=status == "active")
    active_by_pool = {row["pool"]: row["active"] for row in pools}
    quizzes = [
        {
            "lesson": lesson,
            "available": active_by_pool.get(lesson.pool, 0)
            if lesson.pool
            else sum(active_by_pool.values()),
        }
        for lesson in _quiz_lessons(course)
    ]
    context = {
        "course": course,
        "form": form,
        "page": page_of(request, questions, 50),
        "pools": pools,
        "total": sum(row["total"] for row in pools),
        "active": sum(row["active"] for row in pools),
        "quizzes": quizzes,
    }
    return render_page(
        request, "quizzes/question_list.html", "quizzes/question_list_rows.html", context
    )


def _question_form(request: HttpRequest, course: Course, question: Question) -> HttpResponse:
    user = signed_in(request)
    editor = QuestionEditor(request.POST if request.method == "POST" else None, question=question)
    created = question.pk is None
    if request.method == "POST" and editor.is_valid():
        try:
            actions.save_question(
                user,
                editor.form.instance,
                editor.choice_inputs(),
                statement=editor.form.statement,
            )
        except ValidationError as exc:
            editor.add_problems(exc.message_dict)
        else:
            messages.success(request, _("Question added.") if created else _("Question saved."))
            if created and "add_another" in request.POST:
                # The next question goes into the same pool, the usual way a bank is built.
                url = reverse("quizzes:question_create", args=[course.pk])
                query = urlencode({"pool": question.pool}) if question.pool else ""
                return redirect(f"{url}?{query}" if query else url)
            return redirect("quizzes:question_list", pk=course.pk)
    context = {
        "course": course,
        "question": None if created else question,
        "editor": editor,
        "form": editor.form,
        "choices": editor.choices,
        "pools": [row["pool"] for row in bank.pool_counts(course) if row["pool"]],
        "used": not created and QuizAttempt.objects.showing(question).exists(),
    }
    return render(request, "quizzes/question_form.html", context)


@require(can_author_courses)
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = _bank_of(request, pk)
    pool = request.GET.get("pool", "")[:60]
    question = Question(course=course, pool=pool, kind=QuestionKind.SINGLE)
    return _question_form(request, course, question)


@require(can_author_courses)
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, qpk: int) -> HttpResponse:
    course = _bank_of(request, pk)
    return _question_form(request, course, _question(request, course, qpk))


@require(can_author_courses)
@require_POST
def question_remove(request: HttpRequest, pk: int, qpk: int) -> HttpResponse:
    course = _bank_of(request, pk)
    if actions.remove_question(signed_in(request), _question(request, course, qpk)):
        messages.success(request, _("Question deleted."))
    else:
        messages.info(
            request,
            _(
                "People have answered this question, so it was taken out of use instead of "
                "deleted: it is no longer drawn and their results stay whole."
            ),
        )
    return redirect("quizzes:question_list", pk=course.pk)


urlpatterns: list[URLPattern] = [
    path("learn/courses/<int:pk>/lessons/<uuid:key>/attempts/", quiz_start, name="quiz_start"),
    path("learn/attempts/<int:pk>/", attempt, name="attempt"),
    path("learn/attempts/<int:pk>/result/", attempt_result, name="attempt_result"),
    path("learn/manage/courses/<int:pk>/questions/", question_list, name="question_list"),
    path("learn/manage/courses/<int:pk>/questions/new/", question_create, name="question_create"),
    path("learn/manage/courses/<int:pk>/questions/<int:qpk>/", question_edit, name="question_edit"),
    path(
        "learn/manage/courses/<int:pk>/questions/<int:qpk>/remove/",
        question_remove,
        name="question_remove",
    ),
]
