"""Course URLs: the learner pages and the authors' pages."""

from touchpoint.courses.views import author, catalog

app_name = "courses"

urlpatterns = [
    *catalog.urlpatterns,
    *author.urlpatterns,
]
