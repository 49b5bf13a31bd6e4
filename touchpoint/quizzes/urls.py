"""Quiz URLs: attempts and the question bank."""

from touchpoint.quizzes import views

app_name = "quizzes"

urlpatterns = [
    *views.urlpatterns,
]
