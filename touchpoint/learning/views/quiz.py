"""Learning pages: quizzes (taking, submitting, reviewing) and the course question bank.

SCAFFOLD: the views below are placeholders that the quiz work replaces."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("learn/courses/<int:pk>/lessons/<uuid:key>/attempts/", _todo, name="quiz_start"),
    path("learn/attempts/<int:pk>/", _todo, name="attempt"),
    path("learn/attempts/<int:pk>/result/", _todo, name="attempt_result"),
    path("learn/manage/courses/<int:pk>/questions/", _todo, name="question_list"),
    path("learn/manage/courses/<int:pk>/questions/new/", _todo, name="question_create"),
    path("learn/manage/courses/<int:pk>/questions/<int:qpk>/", _todo, name="question_edit"),
]
