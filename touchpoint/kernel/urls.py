"""The kernel's URLs: the portal's branding (its logo, the one uploaded file anyone may open,
and its colours as a style sheet) and the unsubscribe page of its emails."""

from django.urls import path

from touchpoint.kernel import views

app_name = "kernel"

urlpatterns = [
    path("branding/logo/", views.logo, name="logo"),
    path("branding/theme.css", views.theme, name="theme"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("translations/<slug:kind>/<int:pk>/", views.translations, name="translations"),
]
