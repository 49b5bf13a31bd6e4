"""Alignment URLs, gathered from the view modules of each area (L&D requests so far)."""

from touchpoint.alignment.views import requests, triage

app_name = "alignment"

urlpatterns = [
    *requests.urlpatterns,
    *triage.urlpatterns,
]
