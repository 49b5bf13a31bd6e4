"""Portal admins register the systems that embed the help widget: the token is shown once
with the snippet to paste, stored hashed, and revocable."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.contextual import actions
from touchpoint.contextual.access import can_manage_integrations
from touchpoint.contextual.forms import IntegrationForm
from touchpoint.contextual.models import Integration
from touchpoint.kernel.access import require
from touchpoint.kernel.forms import add_errors
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.access import signed_in


@require(can_manage_integrations)
def integration_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = IntegrationForm(request.POST or None, actor=user)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            integration, new_token = actions.create_integration(user, form.save(commit=False))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is registered. Copy its token now.") % {"name": integration.name},
            )
            form = IntegrationForm(actor=user)
    integrations = Integration.objects.select_related("audience", "created_by").manageable_by(user)
    return render(
        request,
        "contextual/integration_list.html",
        {
            "form": form,
            "page": page_of(request, integrations),
            "new_token": new_token,
            "script_url": request.build_absolute_uri(static("contextual/widget.js")),
        },
    )


@require(can_manage_integrations)
def integration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    integration = Integration.objects.get_for(user, manage=True, pk=pk)
    form = IntegrationForm(request.POST or None, instance=integration, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_integration(user, form.save(commit=False))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The integration is saved."))
            return redirect("contextual:integration_list")
    return render(
        request,
        "contextual/integration_form.html",
        {"form": form, "integration": integration},
    )


@require(can_manage_integrations)
@require_POST
def integration_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    integration = Integration.objects.get_for(user, manage=True, pk=pk)
    actions.revoke_integration(user, integration)
    messages.success(
        request,
        _("%(name)s is revoked: its widget stops working at once.") % {"name": integration.name},
    )
    return redirect("contextual:integration_list")


urlpatterns: list[URLPattern] = [
    path("context/integrations/", integration_list, name="integration_list"),
    path("context/integrations/<int:pk>/", integration_edit, name="integration_edit"),
    path("context/integrations/<int:pk>/revoke/", integration_revoke, name="integration_revoke"),
]
