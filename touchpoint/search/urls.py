from django.urls import path

from touchpoint.search import views

app_name = "search"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/misses/", views.misses, name="misses"),
    path("search/misses/<int:pk>/handled/", views.miss_handled, name="miss_handled"),
]
