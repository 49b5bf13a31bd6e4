"""Learning URLs, gathered from the view modules of each area."""

from touchpoint.learning.views import author, catalog, certs, quiz, sessions, team

app_name = "learning"

urlpatterns = [
    *catalog.urlpatterns,
    *quiz.urlpatterns,
    *author.urlpatterns,
    *certs.urlpatterns,
    *sessions.urlpatterns,
    *team.urlpatterns,
]
