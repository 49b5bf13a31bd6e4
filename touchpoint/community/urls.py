"""Community URLs, gathered from the view modules of each area."""

from touchpoint.community.views import browse, moderation, posts

app_name = "community"

urlpatterns = [*browse.urlpatterns, *posts.urlpatterns, *moderation.urlpatterns]
