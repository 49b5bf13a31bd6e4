"""Contextual help URLs, gathered from the view modules of each area."""

from touchpoint.contextual.views import go, integrations, launcher, manage, widget

app_name = "contextual"

urlpatterns = [
    *go.urlpatterns,
    *manage.urlpatterns,
    *integrations.urlpatterns,
    *widget.urlpatterns,
    *launcher.urlpatterns,
]
