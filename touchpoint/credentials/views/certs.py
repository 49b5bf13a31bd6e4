"""Learning pages for certifications: a person's own, a certification and a credential,
certificate PDFs and Open Badges downloads, the public verification page and badge
documents, and managing certifications (trainers and portal admins)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from touchpoint.courses.access import people_assignable_by
from touchpoint.courses.models import Status
from touchpoint.credentials import actions, badges, links
from touchpoint.credentials.access import can_manage_certifications, can_see_every_certification
from touchpoint.credentials.certificate import render_certificate
from touchpoint.credentials.forms import CertificationForm, GrantForm, RevokeForm
from touchpoint.credentials.holdings import my_certifications as holdings_of
from touchpoint.credentials.models import (
    Certification,
    Credential,
    CredentialStatus,
    StatusList,
)
from touchpoint.kernel import audit
from touchpoint.kernel.access import require
from touchpoint.kernel.forms import add_errors
from touchpoint.kernel.htmx import render_page
from touchpoint.kernel.paging import page_of
from touchpoint.kernel.portal import get_portal
from touchpoint.orgs.access import signed_in

JSON_LD = "application/ld+json"


def _disposition(filename: str, *, attachment: bool) -> str:
    return content_disposition_header(attachment, filename) or "attachment"


def _json(document: dict[str, Any], *, download: str = "") -> JsonResponse:
    response = JsonResponse(
        document, content_type=JSON_LD, json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    if download:
        response["Content-Disposition"] = _disposition(download, attachment=True)
    return response


# --- a person's certifications ---------------------------------------------------------------
@login_required
def my_certifications(request: HttpRequest) -> HttpResponse:
    page = holdings_of(signed_in(request))
    return render(
        request, "credentials/cert_mine.html", {"rows": page.rows, "to_earn": page.to_earn}
    )


@login_required
def certification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    certification = Certification.objects.get_for(user, pk=pk)
    mine = Credential.objects.filter(
        user=user, certification=certification, is_current=True
    ).first()
    counts = None
    if can_see_every_certification(user):
        # Staff see how many people hold it, among the people whose progress they may see.
        counts = (
            Credential.objects.visible_to(user)
            .filter(certification=certification, is_current=True)
            .state_counts()
        )
    return render(
        request,
        "credentials/cert_detail.html",
        {
            "certification": certification,
            "courses": certification.courses.order_by("title"),
            "recert_courses": certification.recert_courses.order_by("title"),
            "mine": mine,
            "counts": counts,
            "can_manage": can_manage_certifications(user),
        },
    )


# --- a credential ------------------------------------------------------------------------------
def _credential_page(
    request: HttpRequest, credential: Credential, revoke_form: RevokeForm
) -> HttpResponse:
    user = signed_in(request)
    return render(
        request,
        "credentials/credential_detail.html",
        {
            "credential": credential,
            "holder": credential.user,
            "history": credential.renewal_history(),
            "verification_url": links.verification_url(credential),
            "has_certificate": credential.has_certificate,
            "can_revoke": can_manage_certifications(user)
            and credential.status != CredentialStatus.REVOKED,
            "revoke_form": revoke_form,
            "is_mine": credential.user_id == user.pk,
        },
    )


@login_required
def credential_detail(request: HttpRequest, pk: int) -> HttpResponse:
    credential = Credential.objects.get_for(signed_in(request), pk=pk)
    return _credential_page(request, credential, RevokeForm())


@require(can_manage_certifications)
@require_POST
def credential_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    credential = Credential.objects.get_for(user, manage=True, pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            actions.revoke(user, credential, form.cleaned_data["reason"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(certification)s is revoked for %(person)s.")
                % {"certification": credential.certification.name, "person": credential.user},
            )
            return redirect(credential)
    return _credential_page(request, credential, form)


@login_required
def credential_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    credential = Credential.objects.get_for(signed_in(request), pk=pk)
    if not credential.has_certificate:
        raise Http404  # in progress (nothing earned yet) or revoked (no longer valid)
    pdf = render_certificate(credential, get_portal(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = _disposition(
        links.download_filename(credential, "pdf"), attachment=False
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def credential_badge(request: HttpRequest, pk: int) -> HttpResponse:
    credential = Credential.objects.get_for(signed_in(request), pk=pk)
    if not credential.has_certificate:
        raise Http404
    document = badges.badge_for(credential, get_portal(request))
    response = _json(document, download=links.download_filename(credential, "json"))
    response["Cache-Control"] = "private, no-cache"
    return response


# --- public: verification and badge documents ------------------------------------------------------
@require_safe
@never_cache  # a revocation must show at once
def verify(request: HttpRequest, verification_id: str) -> HttpResponse:
    credential = Credential.objects.verifiable(verification_id)
    context: dict[str, Any] = {"credential": credential, "verification_id": verification_id}
    if credential is not None:
        context.update(
            state=credential.state(),
            holder=credential.holder_name,
            company=credential.user.partner.name if credential.user.partner else "",
        )
    response = render(
        request, "credentials/verify.html", context, status=200 if credential else 404
    )
    # Holders share the link; search engines should not list people's certificates.
    response["X-Robots-Tag"] = "noindex"
    return response


def _public(response: JsonResponse) -> JsonResponse:
    # Wallets and verifiers fetch these from their own origins.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def badge_issuer(request: HttpRequest) -> HttpResponse:
    return _public(_json(badges.issuer_profile(get_portal(request))))


@require_safe
def did_document(request: HttpRequest) -> HttpResponse:
    """The issuer's did:web DID document (its key), where DID resolvers look for it."""
    return _public(_json(badges.did_document()))


@require_safe
def badge_status_list(request: HttpRequest, pk: int) -> HttpResponse:
    status_list = get_object_or_404(StatusList, pk=pk)
    response = _json(badges.status_list_credential(status_list, timezone.now()))
    response["Access-Control-Allow-Origin"] = "*"
    # Verifiers must see a revocation at once; the list is public, so shared caches may
    # keep it as long as they ask again each time.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def badge_achievement(request: HttpRequest, pk: int) -> HttpResponse:
    certification = Certification.objects.published().get_or_404(pk=pk)
    return _public(_json(badges.achievement(certification, standalone=True)))


# --- managing certifications ---------------------------------------------------------------------
@require(can_manage_certifications)
def certification_manage(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    certifications = (
        Certification.objects.manageable_by(signed_in(request))
        .select_related("audience")
        .with_holder_counts(timezone.now())
        .order_by("name")
    )
    if status in Status.values:
        certifications = certifications.filter(status=status)
    page = page_of(request, certifications, 25)
    context = {"page": page, "status": status, "statuses": Status.choices}
    return render_page(
        request, "credentials/cert_manage.html", "credentials/cert_manage_rows.html", context
    )


def _certification_form(request: HttpRequest, certification: Certification | None) -> HttpResponse:
    user = signed_in(request)
    # Taken before the form binds: validating a ModelForm writes onto its instance.
    before = audit.snapshot(certification, actions.CERTIFICATION_FIELDS) if certification else None
    form = CertificationForm(request.POST or None, instance=certification, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_certification(
                user,
                form.save(commit=False),
                courses=form.cleaned_data["courses"],
                recert_courses=form.cleaned_data["recert_courses"],
                before=before,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
            return redirect(saved)
    return render(
        request, "credentials/cert_form.html", {"form": form, "certification": certification}
    )


@require(can_manage_certifications)
def certification_create(request: HttpRequest) -> HttpResponse:
    return _certification_form(request, None)


@require(can_manage_certifications)
def certification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    certification = Certification.objects.get_for(signed_in(request), manage=True, pk=pk)
    return _certification_form(request, certification)


@require(can_manage_certifications)
def certification_grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    certification = Certification.objects.get_for(user, manage=True, pk=pk)
    form = GrantForm(request.POST or None, assignable=people_assignable_by(user))
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            credential = actions.grant(user, person, certification, form.cleaned_data["reason"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s now holds %(certification)s.")
                % {"person": person, "certification": certification.name},
            )
            return redirect(credential)
    return render(
        request, "credentials/cert_grant.html", {"form": form, "certification": certification}
    )


urlpatterns: list[URLPattern] = [
    path("learn/certifications/", my_certifications, name="my_certifications"),
    path("learn/certifications/<int:pk>/", certification_detail, name="certification_detail"),
    path("learn/credentials/<int:pk>/", credential_detail, name="credential_detail"),
    path("learn/credentials/<int:pk>/certificate.pdf", credential_pdf, name="credential_pdf"),
    path("learn/credentials/<int:pk>/badge.json", credential_badge, name="credential_badge"),
    path("learn/credentials/<int:pk>/revoke/", credential_revoke, name="credential_revoke"),
    path("verify/<str:verification_id>/", verify, name="verify"),
    path("badges/issuer.json", badge_issuer, name="badge_issuer"),
    path("badges/achievements/<int:pk>.json", badge_achievement, name="badge_achievement"),
    path("badges/status/<int:pk>.json", badge_status_list, name="badge_status_list"),
    path(".well-known/did.json", did_document, name="did_document"),
    # did:web puts a DID for a SITE_URL with a path at <path>/did.json instead.
    path("did.json", did_document, name="did_document_at_path"),
    path("learn/manage/certifications/", certification_manage, name="certification_manage"),
    path("learn/manage/certifications/new/", certification_create, name="certification_create"),
    path("learn/manage/certifications/<int:pk>/", certification_edit, name="certification_edit"),
    path(
        "learn/manage/certifications/<int:pk>/grant/",
        certification_grant,
        name="certification_grant",
    ),
]
