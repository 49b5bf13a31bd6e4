"""Learning pages: building courses (authoring). SCAFFOLD: being written."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("learn/manage/", _todo, name="manage"),
    path("learn/manage/courses/<int:pk>/content/", _todo, name="course_content"),
    path("learn/courses/<int:pk>/assign/", _todo, name="course_assign"),
]
