"""URLs of the portal's own pages: notifications, profile, API tokens, portal settings, the
audit log, the style guide, the health check and the language switch."""

from django.urls import path

from touchpoint.portal import views

app_name = "portal"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("demo/pos/", views.demo_pos, name="demo_pos"),
    path("language/", views.set_language, name="set_language"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/badge/", views.notification_badge, name="notification_badge"),
    path(
        "notifications/read-all/", views.notifications_mark_all_read, name="notifications_read_all"
    ),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/", views.api_tokens, name="api_tokens"),
    path("me/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("admin/tokens/", views.api_tokens_admin, name="api_tokens_admin"),
    path("admin/settings/", views.portal_settings, name="portal_settings"),
    path("styleguide/", views.styleguide_page, name="styleguide"),
    path("admin/audit/", views.audit_log, name="audit_log"),
    path("admin/audit/<int:pk>/", views.audit_entry, name="audit_entry"),
]
