from django.urls import URLPattern

app_name = "contextual"
urlpatterns: list[URLPattern] = []
