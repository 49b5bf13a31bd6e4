"""The operator's back door (/operator/): raw access for support, never a product screen."""

from django.contrib import admin

from touchpoint.orgs import models


@admin.register(models.User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "partner", "partner_role", "job_role", "is_active"]
    list_filter = ["partner_role", "is_active", "job_role"]
    search_fields = ["email", "name"]
    raw_id_fields = ["partner"]
    exclude = ["password"]


@admin.register(models.Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "tier", "region", "country", "parent", "is_active"]
    list_filter = ["kind", "tier", "region"]
    search_fields = ["name", "external_id"]
    raw_id_fields = ["parent"]


for model in [
    models.Tier, models.Region, models.Department, models.JobRole, models.StaffRole,
    models.ChannelAssignment, models.PeopleGroup, models.Invitation, models.ProgramTerms,
    models.TermsAcceptance, models.PartnerApplication, models.ImportBatch, models.Audience,
]:  # fmt: skip
    admin.site.register(model)
