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
from touchpoint.courses.access import get_authored_course, get_course_for_user
from touchpoint.courses.models import Course, EnrolmentStatus, Lesson, LessonKind, Status
from touchpoint.courses.views.catalog import current_enrolment
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import User
from touchpoint.quizzes import quiz
from touchpoint.quizzes.forms import NO_POOL, QuestionEditor, QuestionFilterForm
from touchpoint.quizzes.models import AttemptStatus, Question, QuestionKind, QuizAttempt


# --- taking a quiz ----------------------------------------------------------------------------
def _attempt_for(user: User, pk: Any) -> QuizAttempt:
    """The person's own attempt. Anyone else's, even their manager's or a trainer's view of
    it, is the same 404 as a missing one: attempts hold the answers."""
    return get_object_or_404(
        QuizAttempt.objects.filter(enrolment__user=user).select_related(
            "enrolment__course", "enrolment__user"
        ),
        pk=pk,
    )


def _lesson_of(attempt: QuizAttempt) -> Lesson:
    try:
        return quiz.attempt_lesson(attempt)
    except Lesson.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def quiz_start(request: HttpRequest, pk: int, key: Any) -> HttpResponse:
    user = signed_in(request)
    course = get_course_for_user(user, pk)
    enrolment = current_enrolment(user, course)
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
        attempt = quiz.start_attempt(enrolment, lesson)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("courses:lesson", pk=course.pk, key=lesson.key)
    return redirect("quizzes:attempt", pk=attempt.pk)


def _attempt_page(
    request: HttpRequest,
    attempt: QuizAttempt,
    rejected: quiz.AnswersRejected | None = None,
) -> HttpResponse:
    # Only texts and opaque ids go to the template, never the attempt's snapshot itself:
    # it holds the correct answers.
    lesson = _lesson_of(attempt)
    seconds = quiz.seconds_left(attempt)
    context = {
        "course": attempt.enrolment.course,
        "lesson": lesson,
        "attempt_pk": attempt.pk,
        "attempt_number": attempt.number,
        "deadline_at": attempt.deadline_at,
        "seconds_left": seconds,
        "clock": quiz.clock(seconds),
        "questions": quiz.shown_questions(attempt, rejected),
        "rejected": rejected,
    }
    return render(request, "quizzes/quiz_attempt.html", context, status=400 if rejected else 200)


@login_required
@require_http_methods(["GET", "POST"])
def attempt(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    current = _attempt_for(user, pk)
    if request.method == "POST":
        responses = {name: request.POST.getlist(name) for name in request.POST}
        try:
            current = quiz.submit_attempt(current, responses)
        except quiz.AnswersRejected as rejected:
            return _attempt_page(request, current, rejected)
        return redirect("quizzes:attempt_result", pk=current.pk)
    current = quiz.close_if_overdue(current)
    if current.status != AttemptStatus.OPEN:
        return redirect("quizzes:attempt_result", pk=current.pk)
    return _attempt_page(request, current)


@login_required
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    current = quiz.close_if_overdue(_attempt_for(user, pk))
    if current.status == AttemptStatus.OPEN:
        return redirect("quizzes:attempt", pk=current.pk)
    lesson = _lesson_of(current)
    enrolment = current.enrolment
    panel = quiz.quiz_panel(user, enrolment, lesson) if enrolment.is_current else None
    context = {
        "course": enrolment.course,
        "lesson": lesson,
        "attempt": current,
        "review": quiz.review(current) if lesson.show_review else None,
        "next_lesson": quiz.next_lesson(lesson) if current.passed else None,
        "course_completed": enrolment.status == EnrolmentStatus.COMPLETED,
        "quiz": panel,
    }
    return render(request, "quizzes/quiz_result.html", context)


# --- the question bank ------------------------------------------------------------------------
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


@login_required
def question_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    course = get_authored_course(user, pk)
    pools = quiz.pool_counts(course)
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
    partial = request.htmx  # type: ignore[attr-defined]
    template = "quizzes/question_list_rows.html" if partial else "quizzes/question_list.html"
    return render(request, template, context)


def _question_form(request: HttpRequest, course: Course, question: Question) -> HttpResponse:
    user = signed_in(request)
    editor = QuestionEditor(request.POST if request.method == "POST" else None, question=question)
    created = question.pk is None
    if request.method == "POST" and editor.is_valid():
        try:
            quiz.save_question(
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
        "pools": [row["pool"] for row in quiz.pool_counts(course) if row["pool"]],
        "used": not created and quiz.attempts_showing(question).exists(),
    }
    return render(request, "quizzes/question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_authored_course(signed_in(request), pk)
    pool = request.GET.get("pool", "")[:60]
    question = Question(course=course, pool=pool, kind=QuestionKind.SINGLE)
    return _question_form(request, course, question)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, qpk: int) -> HttpResponse:
    course = get_authored_course(signed_in(request), pk)
    question = get_object_or_404(Question, course=course, pk=qpk)
    return _question_form(request, course, question)


@login_required
@require_POST
def question_remove(request: HttpRequest, pk: int, qpk: int) -> HttpResponse:
    user = signed_in(request)
    course = get_authored_course(user, pk)
    question = get_object_or_404(Question, course=course, pk=qpk)
    if quiz.remove_question(user, question):
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
