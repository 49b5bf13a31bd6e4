"""Communication URLs, gathered from the view modules of each area."""

from touchpoint.comms.views import author, campaigns, feed, reach

app_name = "comms"

urlpatterns = [
    *feed.urlpatterns,
    *author.urlpatterns,
    *reach.urlpatterns,
    *campaigns.urlpatterns,
]
