"""Touchpoint's URL map: every app's pages, accounts (allauth), the REST API, and the
operator's admin site."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from touchpoint.api import api
from touchpoint.portal import views as portal_views

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("", include("touchpoint.kernel.urls")),
    path("", include("touchpoint.portal.urls")),
    path("", include("touchpoint.orgs.urls")),
    path("", include("touchpoint.search.urls")),
    path("", include("touchpoint.library.urls")),
    path("", include("touchpoint.courses.urls")),
    path("", include("touchpoint.quizzes.urls")),
    path("", include("touchpoint.sessions.urls")),
    path("", include("touchpoint.credentials.urls")),
    path("", include("touchpoint.paths.urls")),
    path("", include("touchpoint.contextual.urls")),
    path("", include("touchpoint.comms.urls")),
    path("", include("touchpoint.community.urls")),
    path("", include("touchpoint.alignment.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    # The operator's back door, never how a feature is used.
    path("operator/", admin.site.urls),
]

# No /media/: every uploaded file is served by the view of the record it belongs to, after
# that record's access check (kernel.files.serve_file); the logo is kernel:logo.

if settings.BENCH_BARE_VIEW:
    urlpatterns.append(path("bench/bare/", portal_views.bench_bare, name="bench_bare"))
