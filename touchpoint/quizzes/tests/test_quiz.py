"""Quizzes: Bob takes the X200 safety quiz (passing, failing, running out of time, trying to
cheat), and Mia builds its question bank."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests import test_browser as in_browser
from tests.support.courses import add_questions, make_certification, make_course
from tests.test_browser import browser, page_at  # noqa: F401 - fixtures for the phone test
from touchpoint.courses import actions
from touchpoint.courses.models import Enrolment, EnrolmentStatus, Lesson, LessonProgress, Status
from touchpoint.credentials.models import Credential, CredentialStatus
from touchpoint.kernel.models import ActivityEvent, AuditEntry
from touchpoint.paths import actions as path_actions
from touchpoint.paths.models import LearningPath, PathStep
from touchpoint.quizzes import actions as quiz_actions
from touchpoint.quizzes import attempts, bank
from touchpoint.quizzes.models import AttemptStatus, Choice, Question, QuestionKind, QuizAttempt


# --- helpers ----------------------------------------------------------------------------------
def make_quiz_course(personas: Any, *, questions: int = 5, **settings: Any) -> Any:
    """A course with a reading lesson then a quiz drawing 3 of `questions` single-choice
    questions (pass mark 80%: all three right)."""
    options = {"questions_to_draw": 3, "pass_mark": 80, "max_attempts": 3}
    options.update(settings)
    course = make_course(personas.mia, "X200 safety", ["text", "quiz"], **options)
    add_questions(course, questions)
    return course


def quiz_lesson(course: Any) -> Lesson:
    return Lesson.objects.get(version=course.published_version, kind="quiz")


def lesson_url(course: Any) -> str:
    return reverse("courses:lesson", args=[course.pk, quiz_lesson(course).key])


def start_url(course: Any) -> str:
    return reverse("quizzes:quiz_start", args=[course.pk, quiz_lesson(course).key])


def answers(attempt: QuizAttempt, right: bool = True) -> dict[str, Any]:
    """Form data answering every question of the attempt, rightly or wrongly."""
    data: dict[str, Any] = {}
    for q in attempt.questions:
        name = f"q-{q['key']}"
        if q["kind"] == QuestionKind.SHORT_TEXT:
            data[name] = q["accepted"][0] if right else "no idea"
        elif right:
            data[name] = q["correct"] if q["kind"] == QuestionKind.MULTIPLE else q["correct"][0]
        else:
            data[name] = next(c["id"] for c in q["choices"] if c["id"] not in q["correct"])
    return data


def start(client: Any, course: Any) -> QuizAttempt:
    response = client.post(start_url(course))
    assert response.status_code == 302, response
    attempt = QuizAttempt.objects.order_by("-pk").first()
    assert attempt is not None
    assert response.url == reverse("quizzes:attempt", args=[attempt.pk])
    return attempt


def timed_attempt(bob: Any, course: Any, minutes: int) -> QuizAttempt:
    """Bob starts the course's quiz with a time limit of `minutes`."""
    Lesson.objects.filter(pk=quiz_lesson(course).pk).update(time_limit_minutes=minutes)
    return start(bob, course)


def run_out(attempt: QuizAttempt, ago: timedelta) -> None:
    """Move the attempt's deadline to `ago` before now, as if that much time had passed."""
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - ago)


def submit(client: Any, attempt: QuizAttempt, right: bool = True) -> Any:
    return client.post(reverse("quizzes:attempt", args=[attempt.pk]), answers(attempt, right))


@pytest.fixture
def course(personas):
    return make_quiz_course(personas)


@pytest.fixture
def bob(personas, course):
    """Bob, enrolled in the course and past its reading lesson."""
    enrolment = actions.enrol(personas.bob, course)
    actions.complete_lesson(enrolment, actions.lessons_of(enrolment)[0])
    return personas.client(personas.bob)


# --- taking the quiz ---------------------------------------------------------------------------
def test_bob_passes_the_quiz_and_so_completes_the_course_and_is_certified(personas, course, bob):
    certification = make_certification("X200 Safety", [course])
    page = bob.get(lesson_url(course))
    assert page.status_code == 200
    assert "Start the quiz" in page.content.decode()
    assert "80%" in page.content.decode()  # the pass mark is in the settings summary

    attempt = start(bob, course)
    assert len(attempt.questions) == 3
    assert bob.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 200
    response = submit(bob, attempt, right=True)
    assert response.status_code == 302
    assert response.url == reverse("quizzes:attempt_result", args=[attempt.pk])

    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.passed) == (AttemptStatus.SUBMITTED, 100, True)
    enrolment = Enrolment.objects.get(user=personas.bob, course=course)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson_key=attempt.lesson_key)
    assert progress.completed_at is not None and progress.best_score == 100
    credential = Credential.objects.get(user=personas.bob, certification=certification)
    assert credential.status == CredentialStatus.ACTIVE
    verbs = list(
        ActivityEvent.objects.filter(actor=personas.bob, object_type="courses.lesson")
        .exclude(verb__in=["launched", "completed"])
        .values_list("verb", "extra")
    )
    assert ("attempted", {"course": course.pk, "attempt": 1}) in verbs
    assert ("passed", {"course": course.pk, "attempt": 1, "score": 100}) in verbs

    result = bob.get(response.url).content.decode()
    assert "You passed with 100%" in result
    assert "You have completed X200 safety" in result
    # Back on the lesson, the panel says so and offers no new attempt.
    panel = bob.get(lesson_url(course)).content.decode()
    assert "You passed this quiz" in panel
    assert "Start the quiz" not in panel and "Try again" not in panel


def test_bob_fails_then_passes_on_his_second_attempt(personas, course, bob):
    first = start(bob, course)
    submit(bob, first, right=False)
    first.refresh_from_db()
    assert (first.score, first.passed) == (0, False)
    assert ActivityEvent.objects.filter(actor=personas.bob, verb="failed").count() == 1
    result = bob.get(reverse("quizzes:attempt_result", args=[first.pk])).content.decode()
    assert "You scored 0%. The pass mark is 80%." in result
    assert "Try again" in result and "2 attempts left" in result
    assert Enrolment.objects.get(user=personas.bob).status != EnrolmentStatus.COMPLETED

    second = start(bob, course)
    assert second.number == 2 and second.pk != first.pk
    submit(bob, second, right=True)
    second.refresh_from_db()
    assert second.passed
    panel = bob.get(lesson_url(course)).content.decode()
    assert "Attempt 1" in panel and "Attempt 2" in panel
    assert "Best score: 100%" in panel


def test_a_passing_score_is_the_pass_mark_or_more(personas):
    course = make_quiz_course(personas, questions=5, questions_to_draw=5, pass_mark=80)
    enrolment = actions.enrol(personas.bob, course)
    attempt = quiz_actions.start_attempt(enrolment, quiz_lesson(course))
    data = answers(attempt, right=True)
    wrong = answers(attempt, right=False)
    first_key = next(iter(data))
    data[first_key] = wrong[first_key]  # 4 of 5 right: exactly 80%
    responses = {k: v if isinstance(v, list) else [v] for k, v in data.items()}
    attempt = quiz_actions.submit_attempt(attempt, responses)
    assert (attempt.score, attempt.passed) == (80, True)


def test_the_attempt_limit_stops_bob_after_his_last_try(personas, bob):
    course = Enrolment.objects.get(user=personas.bob).course
    lesson = quiz_lesson(course)
    lesson.max_attempts = 2
    lesson.save()
    for _ in range(2):
        submit(bob, start(bob, course), right=False)
    response = bob.post(start_url(course), follow=True)
    assert "You have used all 2 attempts" in response.content.decode()
    assert QuizAttempt.objects.count() == 2
    panel = bob.get(lesson_url(course)).content.decode()
    assert "You have used all 2 attempts" in panel and "Try again" not in panel


def test_the_cool_down_makes_bob_wait_before_trying_again(personas, bob):
    course = Enrolment.objects.get(user=personas.bob).course
    lesson = quiz_lesson(course)
    lesson.cooldown_minutes = 30
    lesson.save()
    first = start(bob, course)
    submit(bob, first, right=False)
    response = bob.post(start_url(course), follow=True)
    assert "You can try again from" in response.content.decode()
    assert QuizAttempt.objects.count() == 1

    QuizAttempt.objects.filter(pk=first.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=31)
    )
    assert "Try again" in bob.get(lesson_url(course)).content.decode()
    assert start(bob, course).number == 2


def test_a_quiz_already_done_is_not_taken_again(personas, course, bob):
    # Done without an attempt here: e.g. completed on a version before this one.
    enrolment = Enrolment.objects.get(user=personas.bob)
    actions.complete_lesson(enrolment, quiz_lesson(course), score=90)
    panel = bob.get(lesson_url(course)).content.decode()
    assert "You passed this quiz. Best score: 90%." in panel and "Start the quiz" not in panel
    assert "You have passed this quiz" in bob.post(start_url(course), follow=True).content.decode()
    assert not QuizAttempt.objects.exists()


def test_a_double_click_on_start_resumes_the_same_attempt(personas, course, bob):
    first = start(bob, course)
    assert start(bob, course).pk == first.pk
    assert QuizAttempt.objects.count() == 1
    assert "Continue the quiz" in bob.get(lesson_url(course)).content.decode()


def test_answers_after_the_time_limit_are_not_scored(personas, bob):
    course = Enrolment.objects.get(user=personas.bob).course
    attempt = timed_attempt(bob, course, 10)
    assert attempt.deadline_at == attempt.started_at + timedelta(minutes=10)
    page = bob.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert 'role="timer"' in page and "Submit your answers by" in page

    # Bob's answers arrive a minute after the deadline: well past the grace.
    run_out(attempt, timedelta(minutes=1))
    response = submit(bob, attempt, right=True)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.status, attempt.passed, attempt.score) == (AttemptStatus.EXPIRED, False, None)
    assert not LessonProgress.objects.filter(
        lesson_key=quiz_lesson(course).key, completed_at__isnull=False
    )
    result = bob.get(response.url).content.decode()
    assert "Time ran out before your answers arrived, so they were not scored" in result
    event = ActivityEvent.objects.get(actor=personas.bob, verb="failed")
    assert event.extra["expired"] is True


def test_answers_within_the_grace_count_even_with_blanks_once_time_is_up(personas, bob):
    course = Enrolment.objects.get(user=personas.bob).course
    attempt = timed_attempt(bob, course, 5)
    # The countdown sent the form as time ran out: one question answered, two left blank.
    run_out(attempt, timedelta(seconds=5))
    data = dict(list(answers(attempt, right=True).items())[:1])
    response = bob.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.passed) == (AttemptStatus.SUBMITTED, 33, False)


def test_an_attempt_left_open_past_its_deadline_expires_and_bob_may_start_again(personas, bob):
    course = Enrolment.objects.get(user=personas.bob).course
    attempt = timed_attempt(bob, course, 5)
    run_out(attempt, timedelta(hours=1))
    # Opening the attempt page again shows the result instead.
    response = bob.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert response.url == reverse("quizzes:attempt_result", args=[attempt.pk])
    panel = bob.get(lesson_url(course)).content.decode()
    assert "Time ran out" in panel and "Try again" in panel
    assert start(bob, course).number == 2
    # Starting again wrote down what the pages showed: the first attempt expired, unscored.
    attempt.refresh_from_db()
    assert (attempt.status, attempt.passed, attempt.score) == (AttemptStatus.EXPIRED, False, None)
    assert attempt.submitted_at == attempt.deadline_at
    event = ActivityEvent.objects.get(actor=personas.bob, verb="failed")
    assert event.extra["expired"] is True


def test_it_shows_an_attempt_whose_time_ran_out_as_expired_without_writing(personas, bob):
    course = Enrolment.objects.get(user=personas.bob).course
    attempt = timed_attempt(bob, course, 5)
    run_out(attempt, timedelta(hours=1))
    attempt.refresh_from_db()
    events = ActivityEvent.objects.count()
    result = bob.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()
    assert "Time ran out before your answers arrived, so they were not scored" in result
    assert ActivityEvent.objects.count() == events
    assert "Time ran out" in bob.get(lesson_url(course)).content.decode()
    # Reading pages never writes: the row waits for the next write on it.
    stored = QuizAttempt.objects.get(pk=attempt.pk)
    assert (stored.status, stored.submitted_at) == (AttemptStatus.OPEN, None)
    assert not ActivityEvent.objects.filter(verb="failed").exists()


def test_submitting_twice_keeps_the_first_result(personas, course, bob):
    attempt = start(bob, course)
    first = submit(bob, attempt, right=True)
    # The second tab, or a double click, arrives with other answers.
    second = submit(bob, attempt, right=False)
    assert second.status_code == 302 and second.url == first.url
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (100, True)
    assert (
        ActivityEvent.objects.filter(actor=personas.bob, verb__in=["passed", "failed"]).count() == 1
    )


@pytest.mark.django_db(transaction=True)
def test_two_tabs_submitting_at_the_same_moment_score_the_attempt_once(personas, course):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite runs one writer at a time anyway")
    enrolment = actions.enrol(personas.bob, course)
    attempt = quiz_actions.start_attempt(enrolment, quiz_lesson(course))
    both_ready = threading.Barrier(2)
    scores: list[int | None] = []

    def tab(right: bool) -> None:
        try:
            responses = {
                k: v if isinstance(v, list) else [v] for k, v in answers(attempt, right).items()
            }
            both_ready.wait()
            scores.append(quiz_actions.submit_attempt(attempt, responses).score)
        finally:
            connection.close()

    tabs = [threading.Thread(target=tab, args=(right,)) for right in (True, False)]
    for thread in tabs:
        thread.start()
    for thread in tabs:
        thread.join()
    assert len(scores) == 2 and scores[0] == scores[1]  # the second saw the first's result
    assert (
        ActivityEvent.objects.filter(actor=personas.bob, verb__in=["passed", "failed"]).count() == 1
    )


def test_forged_answer_ids_are_refused_and_the_attempt_stays_open(personas, course, bob):
    attempt = start(bob, course)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    good = answers(attempt, right=True)
    first_key = next(iter(good))
    forgeries = [
        {**good, first_key: "deadbeef"},  # a choice id from no attempt
        {**good, "q-0000": "x"},  # a question that is not in the attempt
        {**good, first_key: [good[first_key], answers(attempt, right=False)[first_key]]},
    ]
    for data in forgeries:
        response = bob.post(url, data)
        assert response.status_code == 400
        assert "do not match the questions of this attempt" in response.content.decode()
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.answers) == (AttemptStatus.OPEN, None, {})
    assert not ActivityEvent.objects.filter(verb__in=["passed", "failed"]).exists()


def test_missing_answers_are_refused_with_an_error_at_each_question(personas, course, bob):
    attempt = start(bob, course)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    response = bob.post(url, {})
    assert response.status_code == 400
    page = response.content.decode()
    assert "3 questions have no answer yet" in page
    assert page.count('class="error" id="question-') == 3
    assert 'aria-describedby="question-1-error"' in page
    # Answering one keeps it chosen on the page that comes back.
    some = dict(list(answers(attempt).items())[:1])
    page = bob.post(url, some).content.decode()
    assert "2 questions have no answer yet" in page
    assert f'value="{next(iter(some.values()))}" checked' in page
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.OPEN


def test_the_attempt_page_does_not_reveal_the_correct_answers(personas, course, bob):
    attempt = start(bob, course)
    html = bob.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    page = html[html.index("<main") : html.index("</main>")]
    assert "is_correct" not in page and "correct" not in page.lower()
    assert "Because of rule" not in page  # the explanations
    for q in attempt.questions:
        inputs = re.findall(rf'<input[^>]*name="q-{q["key"]}"[^>]*>', page)
        assert len(inputs) == 3
        # The right choice's input differs from the others only by its id and value.
        shapes = {re.sub(r'(id|value)="[^"]*"', "", tag) for tag in inputs}
        assert len(shapes) == 1
    # The opaque ids are not the database ids of the choices.
    choice_pks = {str(pk) for pk in Choice.objects.values_list("pk", flat=True)}
    assert not {c["id"] for q in attempt.questions for c in q["choices"]} & choice_pks


def test_the_review_shows_answers_and_explanations_when_the_quiz_allows(personas, course, bob):
    attempt = start(bob, course)
    submit(bob, attempt, right=False)
    page = bob.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()
    assert "Your answers" in page
    assert page.count("Because of rule") == 3
    assert page.count("Correct answer") == 3
    assert page.count("<dd>right</dd>") == 3  # the correct choice, after Bob's wrong one


def test_without_review_only_the_score_is_shown(personas, bob):
    course = Enrolment.objects.get(user=personas.bob).course
    lesson = quiz_lesson(course)
    lesson.show_review = False
    lesson.save()
    attempt = start(bob, course)
    submit(bob, attempt, right=False)
    page = bob.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()
    assert "You scored 0%" in page
    assert "Because of rule" not in page and "Correct answer" not in page
    assert "does not show the answers afterwards" in page


def test_the_result_links_to_the_next_lesson_after_a_pass(personas):
    course = make_course(personas.mia, "X200 quiz first", ["quiz", "text"], questions_to_draw=2)
    add_questions(course, 2)
    actions.enrol(personas.bob, course)
    bob = personas.client(personas.bob)
    attempt = start(bob, course)
    page = bob.get(submit(bob, attempt).url).content.decode()
    following = Lesson.objects.get(version=course.published_version, kind="text")
    assert reverse("courses:lesson", args=[course.pk, following.key]) in page


def test_nobody_but_bob_opens_his_attempt(personas, course, bob):
    attempt = start(bob, course)
    submit(bob, attempt, right=False)
    for person in (personas.alice, personas.dana, personas.mia, personas.carol):
        client = personas.client(person)
        assert client.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 404
        assert client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).status_code == 404
        assert client.post(reverse("quizzes:attempt", args=[attempt.pk]), {}).status_code == 404


def test_starting_needs_an_enrolment_and_an_unlocked_course(personas, course):
    alice = personas.client(personas.alice)
    response = alice.post(start_url(course))
    assert response.status_code == 302 and response.url == course.get_absolute_url()
    assert not QuizAttempt.objects.exists()

    # Bob is on a path whose first course he has not finished: this one is locked.
    first = make_course(personas.mia, "X200 basics")
    path = LearningPath.objects.create(title="X200 technician", status=Status.PUBLISHED)
    PathStep.objects.create(path=path, course=first, position=1)
    PathStep.objects.create(path=path, course=course, position=2, requires_previous=True)
    path_actions.enrol_in_path(personas.bob, path)
    response = personas.client(personas.bob).post(start_url(course))
    assert response.status_code == 302 and response.url == course.get_absolute_url()
    assert not QuizAttempt.objects.exists()


def test_mia_previewing_sees_the_settings_and_the_pool_instead_of_a_start_button(personas, course):
    page = personas.client(personas.mia).get(lesson_url(course)).content.decode()
    assert "The question bank has 5 questions in use." in page
    assert "Start the quiz" not in page
    assert reverse("quizzes:question_list", args=[course.pk]) in page
    lesson = quiz_lesson(course)
    lesson.questions_to_draw = 8
    lesson.save()
    page = personas.client(personas.mia).get(lesson_url(course)).content.decode()
    assert "fewer than the 8 each attempt should draw" in page


def test_a_quiz_without_questions_cannot_be_started(personas):
    course = make_course(personas.mia, "Empty quiz", ["quiz"])
    actions.enrol(personas.bob, course)
    bob = personas.client(personas.bob)
    assert "it has no questions" in bob.get(lesson_url(course)).content.decode()
    assert "it has no questions" in bob.post(start_url(course), follow=True).content.decode()


def test_the_attempt_page_stays_within_its_query_budget(
    personas, bob, django_assert_max_num_queries
):
    course = Enrolment.objects.get(user=personas.bob).course
    add_questions(course, 20)
    lesson = quiz_lesson(course)
    lesson.questions_to_draw = 20
    lesson.save()
    attempt = start(bob, course)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    with django_assert_max_num_queries(8):
        assert bob.get(url).status_code == 200


def test_bob_answers_every_kind_of_question_on_the_page(personas):
    course = make_course(personas.mia, "Kinds", ["quiz"], questions_to_draw=0, pass_mark=100)
    right, wrong = True, False

    def add(kind: str, text: str, *choices: tuple[str, bool], **extra: Any) -> None:
        question = Question(course=course, kind=kind, text=text, **extra)
        quiz_actions.save_question(personas.mia, question, [bank.ChoiceInput(*c) for c in choices])

    add("single", "Oil?", ("10W-30", right), ("Diesel", wrong))
    add("multiple", "Safety gear?", ("Goggles", right), ("Gloves", right), ("Sandals", wrong))
    add("short_text", "Spark part?", accepted_answers="Spark plug")
    # True or false with no choices given: True and False are made, "False" the correct one.
    quiz_actions.save_question(
        personas.mia,
        Question(course=course, kind="true_false", text="Runs on diesel."),
        [],
        statement=False,
    )
    actions.enrol(personas.bob, course)
    bob = personas.client(personas.bob)
    attempt = start(bob, course)
    page = bob.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert page.count('type="checkbox"') == 3 and page.count('type="radio"') == 4
    assert page.count('type="text" id="answer-') == 1
    assert "Choose every answer that is correct." in page
    assert "Spark plug" not in page  # the accepted answer of the short-text question
    data = answers(attempt)
    short = next(q for q in attempt.questions if q["kind"] == "short_text")
    data[f"q-{short['key']}"] = "  SPARK plug "
    bob.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (100, True)
    assert Enrolment.objects.get(user=personas.bob).status == EnrolmentStatus.COMPLETED


# --- drawing and scoring --------------------------------------------------------------------------
def test_it_draws_the_set_number_from_the_lessons_pool_in_use(personas):
    course = make_course(personas.mia, "Pools", ["quiz"], questions_to_draw=3, pool="safety")
    safety = add_questions(course, 4, pool="safety")
    add_questions(course, 6, pool="warranty")
    safety[0].is_active = False
    safety[0].save()
    enrolment = actions.enrol(personas.bob, course)
    lesson = quiz_lesson(course)
    drawn_ids: set[int] = set()
    for _ in range(10):
        snapshot = attempts.draw(lesson)
        ids = [q["id"] for q in snapshot]
        assert len(ids) == 3 == len(set(ids))
        assert set(ids) <= {q.pk for q in safety[1:]}
        drawn_ids |= set(ids)
        for q in snapshot:
            assert sorted(c["text"] for c in q["choices"]) == ["also wrong", "right", "wrong"]
            assert len(q["correct"]) == 1
    assert drawn_ids == {q.pk for q in safety[1:]}
    # A pool smaller than the draw: every attempt shows all of it.
    lesson.questions_to_draw = 10
    lesson.save()
    assert len(quiz_actions.start_attempt(enrolment, lesson).questions) == 3


def test_short_text_answers_ignore_case_and_spaces():
    question = {"key": "k", "kind": QuestionKind.SHORT_TEXT, "accepted": ["Spark plug", "plug"]}
    assert attempts.is_right(question, "  SPARK   plug ")
    assert attempts.is_right(question, "Plug")
    assert not attempts.is_right(question, "spark")
    assert not attempts.is_right(question, None)


def test_a_several_answers_question_needs_every_correct_choice_and_no_other():
    question = {"key": "k", "kind": QuestionKind.MULTIPLE, "correct": ["a", "b"]}
    assert attempts.is_right(question, ["b", "a"])
    assert not attempts.is_right(question, ["a"])
    assert not attempts.is_right(question, ["a", "b", "c"])


# --- the question bank ------------------------------------------------------------------------------
def bank_url(course: Any, name: str = "question_list", *extra: Any) -> str:
    return reverse(f"quizzes:{name}", args=[course.pk, *extra])


def choice_data(*choices: tuple[str, bool], existing: int = 0, total: int = 4) -> dict[str, Any]:
    data: dict[str, Any] = {
        "choices-TOTAL_FORMS": str(total),
        "choices-INITIAL_FORMS": str(existing),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for index, (text, correct) in enumerate(choices):
        data[f"choices-{index}-text"] = text
        if correct:
            data[f"choices-{index}-is_correct"] = "on"
    return data


def question_data(kind: str = "single", **fields: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "text": "Which oil does the X200 take?",
        "pool": "",
        "is_active": "on",
        "explanation": "",
        "accepted_answers": "",
        **fields,
    }


def test_it_loads_the_question_forms_script_from_a_file_not_inline(personas, course):
    page = personas.client(personas.mia).get(bank_url(course, "question_create")).content.decode()
    assert "quizzes/question_form.js" in page and 'data-kind-field="id_kind"' in page
    # Every script on the page comes from a file, ready for a Content-Security-Policy
    # without 'unsafe-inline'.
    assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_mia_adds_a_single_choice_question_with_its_choices(personas, course):
    mia = personas.client(personas.mia)
    assert mia.get(bank_url(course, "question_create")).status_code == 200
    data = {
        **question_data(pool="Engine", explanation="See the manual, page 4."),
        **choice_data(("10W-30", True), ("2-stroke mix", False), ("Diesel", False)),
    }
    response = mia.post(bank_url(course, "question_create"), data)
    assert response.status_code == 302 and response.url == bank_url(course)
    question = Question.objects.get(text="Which oil does the X200 take?")
    assert (question.course, question.pool, question.kind) == (course, "Engine", "single")
    assert list(question.choices.values_list("text", "is_correct", "position")) == [
        ("10W-30", True, 1),
        ("2-stroke mix", False, 2),
        ("Diesel", False, 3),
    ]
    entry = AuditEntry.objects.get(action="question.created")
    assert entry.actor == personas.mia
    assert entry.after["choices"] == ["✓ 10W-30", "2-stroke mix", "Diesel"]


@pytest.mark.parametrize(
    ("kind", "choices", "extra", "message"),
    [
        ("single", [("A", True), ("B", True)], {}, "Mark exactly one choice as correct."),
        ("single", [("A", True)], {}, "Give at least two answer choices."),
        ("multiple", [("A", False), ("B", False)], {}, "Mark at least one choice as correct."),
        ("true_false", [("True", True), ("False", True)], {}, "Mark exactly one choice"),
        ("true_false", [], {}, "Say whether the statement is true or false"),
        ("short_text", [], {"accepted_answers": "  \n "}, "Give at least one accepted answer"),
        ("short_text", [("A", True)], {"accepted_answers": "a"}, "have no answer choices"),
        ("single", [("Same", True), (" same ", False)], {}, "Two choices say the same thing"),
    ],
)
def test_the_bank_explains_what_is_wrong_with_a_question(
    personas, course, kind, choices, extra, message
):
    before = Question.objects.count()
    response = personas.client(personas.mia).post(
        bank_url(course, "question_create"),
        {**question_data(kind, **extra), **choice_data(*choices)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Please correct the fields marked below." in page
    assert Question.objects.count() == before


def test_a_true_or_false_question_gets_its_two_choices(personas, course):
    data = {
        **question_data("true_false", text="The X200 runs on diesel."),
        "statement_is": "false",
        **choice_data(),
    }
    response = personas.client(personas.mia).post(bank_url(course, "question_create"), data)
    assert response.status_code == 302
    question = Question.objects.get(text="The X200 runs on diesel.")
    assert list(question.choices.values_list("text", "is_correct")) == [
        ("True", False),
        ("False", True),
    ]


def test_a_short_text_question_keeps_one_accepted_answer_a_line(personas, course):
    data = {
        **question_data(
            "short_text",
            text="Name the part that makes the spark.",
            accepted_answers="Spark plug\n\n  plug  \n",
        ),
        **choice_data(),
    }
    assert (
        personas.client(personas.mia).post(bank_url(course, "question_create"), data).status_code
        == 302
    )
    assert Question.objects.get(kind="short_text").accepted_answers == "Spark plug\nplug"


def test_mia_edits_a_question_and_the_audit_log_has_before_and_after(personas, course):
    question = Question.objects.filter(course=course).first()
    mia = personas.client(personas.mia)
    assert mia.get(bank_url(course, "question_edit", question.pk)).status_code == 200
    right, wrong, also_wrong = question.choices.order_by("position")
    data = {
        **question_data(text="Rewritten?"),
        **choice_data(
            ("right", False), ("wrong", True), ("also wrong", False), existing=3, total=5
        ),
    }
    data.update({"choices-0-id": right.pk, "choices-1-id": wrong.pk, "choices-2-id": also_wrong.pk})
    data.update(
        {"choices-2-DELETE": "on", "choices-3-text": "new", "choices-0-question": question.pk}
    )
    response = mia.post(bank_url(course, "question_edit", question.pk), data)
    assert response.status_code == 302, response.content.decode()
    question.refresh_from_db()
    assert question.text == "Rewritten?"
    assert list(question.choices.values_list("text", "is_correct")) == [
        ("right", False),
        ("wrong", True),
        ("new", False),
    ]
    entry = AuditEntry.objects.get(action="question.updated")
    assert entry.before["text"] == "Question 1?" and entry.after["text"] == "Rewritten?"
    assert entry.after["choices"] == ["right", "✓ wrong", "new"]


def test_a_question_people_answered_is_taken_out_of_use_not_deleted(personas, course, bob):
    attempt = start(bob, course)
    asked = Question.objects.get(pk=attempt.questions[0]["id"])
    never_asked = (
        Question.objects.filter(course=course)
        .exclude(pk__in=[q["id"] for q in attempt.questions])
        .first()
    )
    mia = personas.client(personas.mia)
    assert (
        "People have answered this question"
        in mia.get(bank_url(course, "question_edit", asked.pk)).content.decode()
    )
    mia.post(bank_url(course, "question_remove", asked.pk))
    asked.refresh_from_db()
    assert asked.is_active is False
    mia.post(bank_url(course, "question_remove", never_asked.pk))
    assert not Question.objects.filter(pk=never_asked.pk).exists()
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "question.deactivated",
        "question.deleted",
    }
    # Bob's attempt still reads as it was asked.
    submit(bob, attempt, right=True)
    attempt.refresh_from_db()
    assert attempt.passed


def test_the_question_list_filters_by_pool_and_counts_each_pool(personas):
    course = make_course(personas.mia, "Pools", ["quiz"], questions_to_draw=5, pool="safety")
    add_questions(course, 2, pool="safety")
    warranty = add_questions(course, 3, pool="warranty")
    warranty[0].is_active = False
    warranty[0].save()
    mia = personas.client(personas.mia)
    page = mia.get(bank_url(course)).content.decode()
    assert "5 questions, 4 in use" in page
    assert "2 of 3 in use" in page  # the warranty pool
    assert "Too few questions" in page  # the quiz draws 5 from a pool of 2
    rows = mia.get(bank_url(course), {"pool": "warranty"}, HTTP_HX_REQUEST="true")
    assert "3 questions" in rows.content.decode() and "<html" not in rows.content.decode()
    rows = mia.get(bank_url(course), {"pool": "warranty", "status": "inactive"})
    assert "1 question<" in rows.content.decode()


def test_only_course_authors_open_the_question_bank(personas, course):
    question = Question.objects.filter(course=course).first()
    urls = [
        ("get", bank_url(course)),
        ("get", bank_url(course, "question_create")),
        ("get", bank_url(course, "question_edit", question.pk)),
        ("post", bank_url(course, "question_remove", question.pk)),
    ]
    for person in (personas.alice, personas.bob, personas.dana):
        client = personas.client(person)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (person, url)
    assert Question.objects.filter(pk=question.pk).exists()
    assert personas.client(personas.pat).get(bank_url(course)).status_code == 200


def test_a_content_owner_only_edits_the_banks_of_her_courses(personas, course):
    from tests.support import factories as f
    from touchpoint.orgs.models import StaffRoleKind

    sam = f.StaffFactory(email="sam@ridgeline.example", roles=[StaffRoleKind.CONTENT_OWNER])
    assert personas.client(sam).get(bank_url(course)).status_code == 404
    course.owner = sam
    course.save()
    assert personas.client(sam).get(bank_url(course)).status_code == 200


# --- in a real browser, on a phone ---------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_bob_takes_a_timed_quiz_on_his_phone(personas, request):
    course = make_quiz_course(personas, time_limit_minutes=10)
    enrolment = actions.enrol(personas.bob, course)
    actions.complete_lesson(enrolment, actions.lessons_of(enrolment)[0])
    page = request.getfixturevalue("page_at")(in_browser.PHONE)
    in_browser.sign_in(page, personas.bob.email)
    page.goto(lesson_url(course))
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/learn/attempts/*/")
    # The countdown runs in the page (from 10:00 down); the server keeps the deadline.
    assert re.fullmatch(r"10:00|9:[0-5]\d", page.get_by_role("timer").inner_text())
    assert in_browser.no_sideways_scroll(page)
    assert in_browser.serious_accessibility_problems(page) == []
    in_browser.shot(page, "quiz-attempt-phone")
    attempt = QuizAttempt.objects.get(enrolment=enrolment)
    for q in attempt.questions:
        page.locator(f"#choice-{q['correct'][0]}").check()
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url("**/result/")
    assert page.get_by_text("You passed with 100%").is_visible()
    assert in_browser.no_sideways_scroll(page)
    assert in_browser.serious_accessibility_problems(page) == []
    in_browser.shot(page, "quiz-result-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_mia_adds_a_true_or_false_question_on_her_phone(personas, request):
    course = make_quiz_course(personas)
    page = request.getfixturevalue("page_at")(in_browser.PHONE)
    in_browser.sign_in(page, personas.mia.email)
    page.goto(bank_url(course, "question_create"))
    page.get_by_label("Kind").select_option("true_false")
    page.get_by_label("Question").fill("The X200 deck is 54 inches wide.")
    # Only the parts a question of the chosen kind uses are shown.
    assert not page.get_by_label("Accepted answers").is_visible()
    page.get_by_label("Kind").select_option("short_text")
    assert not page.get_by_label("Choice 1", exact=True).is_visible()
    assert not page.get_by_role("radio", name="True").is_visible()
    page.get_by_label("Kind").select_option("true_false")
    page.get_by_role("radio", name="True").check()
    assert in_browser.no_sideways_scroll(page)
    assert in_browser.serious_accessibility_problems(page) == []
    in_browser.shot(page, "question-form-phone")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**{bank_url(course)}")
    assert page.get_by_role("link", name="The X200 deck is 54 inches wide.").is_visible()
    assert in_browser.no_sideways_scroll(page)
    assert in_browser.serious_accessibility_problems(page) == []
    in_browser.shot(page, "question-list-phone")
