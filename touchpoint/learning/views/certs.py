"""Learning pages: certifications, credentials, certificates, badges and verification.

SCAFFOLD: the views below are placeholders that the certification work replaces."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("learn/certifications/", _todo, name="my_certifications"),
    path("learn/certifications/<int:pk>/", _todo, name="certification_detail"),
    path("learn/credentials/<int:pk>/", _todo, name="credential_detail"),
    path("learn/credentials/<int:pk>/certificate.pdf", _todo, name="credential_pdf"),
    path("learn/credentials/<int:pk>/badge.json", _todo, name="credential_badge"),
    path("learn/credentials/<int:pk>/revoke/", _todo, name="credential_revoke"),
    path("verify/<str:verification_id>/", _todo, name="verify"),
    path("badges/issuer.json", _todo, name="badge_issuer"),
    path("badges/achievements/<int:pk>.json", _todo, name="badge_achievement"),
    path("learn/manage/certifications/", _todo, name="certification_manage"),
    path("learn/manage/certifications/new/", _todo, name="certification_create"),
    path("learn/manage/certifications/<int:pk>/", _todo, name="certification_edit"),
    path("learn/manage/certifications/<int:pk>/grant/", _todo, name="certification_grant"),
]
