"""Session URLs: registration, calendar files and the trainers' pages."""

from touchpoint.sessions import views

app_name = "sessions"

urlpatterns = [
    *views.urlpatterns,
]
