"""Library URLs, gathered from the view modules of each area (a section's short name last)."""

from touchpoint.library.views import author, browse, health

app_name = "library"

urlpatterns = [
    *browse.urlpatterns,
    *author.urlpatterns,
    *health.urlpatterns,
    *browse.section_patterns,
]
