"""Learning pages: instructor-led sessions (registration, waiting list, attendance, .ics).

SCAFFOLD: the views below are placeholders that the sessions work replaces."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("learn/sessions/<int:pk>/", _todo, name="session_detail"),
    path("learn/sessions/<int:pk>/register/", _todo, name="session_register"),
    path("learn/sessions/<int:pk>/cancel/", _todo, name="session_cancel"),
    path("learn/sessions/<int:pk>/calendar.ics", _todo, name="session_ics"),
    path("learn/manage/courses/<int:pk>/sessions/new/", _todo, name="session_create"),
    path("learn/manage/sessions/<int:pk>/", _todo, name="session_manage"),
    path("learn/manage/sessions/<int:pk>/attendance/", _todo, name="session_attendance"),
]
