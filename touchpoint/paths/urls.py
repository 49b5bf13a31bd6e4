"""Learning path URLs: paths for learners, and paths and rules for authors."""

from touchpoint.paths import views

app_name = "paths"

urlpatterns = [
    *views.urlpatterns,
]
