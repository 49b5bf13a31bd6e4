"""URLs for partners, people, staff, channel set-up, imports, applications and terms."""

from django.urls import path

from touchpoint.orgs import views

app_name = "orgs"

urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/locations/new/", views.location_create, name="location_create"),
    path("partners/<int:pk>/invite/", views.partner_invite, name="partner_invite"),
    path("company/", views.my_company, name="my_company"),
    path("people/", views.people_list, name="people_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path(
        "people/<int:pk>/resend-invitation/",
        views.person_resend_invite,
        name="person_resend_invite",
    ),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/invite/", views.staff_invite, name="staff_invite"),
    path("staff/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("setup/", views.channel_setup, name="channel_setup"),
    path("setup/<slug:kind>/new/", views.reference_edit, name="reference_create"),
    path("setup/<slug:kind>/<int:pk>/", views.reference_edit, name="reference_edit"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("import/", views.import_start, name="import_start"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("apply/", views.apply, name="apply"),
    path("apply/thanks/", views.apply_done, name="apply_done"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("terms/", views.terms, name="terms"),
    path("terms/accept/", views.terms_accept, name="terms_accept"),
    path("terms/manage/", views.terms_manage, name="terms_manage"),
    path("audiences/", views.audience_list, name="audience_list"),
    path("audiences/new/", views.audience_edit, name="audience_create"),
    path("audiences/preview/", views.audience_preview, name="audience_preview"),
    path("audiences/<int:pk>/", views.audience_detail, name="audience_detail"),
    path("audiences/<int:pk>/edit/", views.audience_edit, name="audience_edit"),
]
