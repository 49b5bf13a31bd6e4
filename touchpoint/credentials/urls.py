"""Certification URLs: credentials, verification, badges, authoring and tracking."""

from touchpoint.credentials.views import certs, tracking

app_name = "credentials"

urlpatterns = [
    *certs.urlpatterns,
    *tracking.urlpatterns,
]
