"""The kernel's URL: the portal's logo, the one uploaded file anyone may open."""

from django.urls import path

from touchpoint.kernel import views

app_name = "kernel"

urlpatterns = [
    path("branding/logo/", views.logo, name="logo"),
]
