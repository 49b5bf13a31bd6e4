"""Learning pages: a manager's view of their people's learning and the certification matrix.

SCAFFOLD: the views below are placeholders that the team/matrix work replaces."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("learn/team/", _todo, name="team"),
    path("learn/team/certifications/", _todo, name="matrix"),
    path("learn/team/certifications.csv", _todo, name="matrix_csv"),
    path("learn/team/expiring/", _todo, name="expiring"),
]
