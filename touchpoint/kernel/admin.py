"""The operator's back door for the kernel's records."""

from django.contrib import admin

from touchpoint.kernel import models


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "target_label", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_label"]

    def has_change_permission(self, request, obj=None):
        return False  # the trail is evidence; nobody edits it


@admin.register(models.Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "period", "due_at", "sent_at", "item_count"]
    list_filter = ["frequency"]
    raw_id_fields = ["user"]


for model in [
    models.PortalSettings,
    models.Notification,
    models.ApiToken,
    models.PeriodicJob,
]:
    admin.site.register(model)
