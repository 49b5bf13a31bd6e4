"""Learning pages for managers: the team's open enrolments, the certification matrix and its
CSV, credentials expiring soon, and certified headcounts per partner.

Who may open them is `credentials.access.can_track_learning` (partner admins and managers
their company, channel managers their partners, portal admins, analysts and trainers the
whole channel); everyone else gets 403. The queries live in `credentials.matrix`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.models import Enrolment
from touchpoint.credentials import matrix
from touchpoint.credentials.access import can_track_learning
from touchpoint.credentials.models import Certification, Credential
from touchpoint.kernel.access import require
from touchpoint.kernel.forms import scope_choices
from touchpoint.kernel.htmx import render_page
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import JobRole, Partner, User

PEOPLE_PER_PAGE = 50
PARTNERS_PER_PAGE = 20
CREDENTIALS_PER_PAGE = 25


# --- filters -------------------------------------------------------------------------------
class TeamFilterForm(forms.Form):
    """Where and what they do. The partner's scope is checked before the form (a partner
    outside it is a 404, like a missing one); the field is here to be shown."""

    partner = forms.TypedChoiceField(
        label=_("Partner or location"), coerce=int, required=False, empty_value=None
    )
    job_role = forms.ModelChoiceField(
        label=_("Job role"),
        queryset=JobRole.objects.all(),
        required=False,
        empty_label=_("Any job role"),
    )

    def __init__(
        self, data: Any, *, partners: Sequence[tuple[int, str]], actor: User, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        scope_choices(self, actor, job_role="visible")
        field = self.fields["partner"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Everywhere")), *partners]


class MatrixFilterForm(TeamFilterForm):
    certification = forms.TypedChoiceField(
        label=_("Certification"), coerce=int, required=False, empty_value=None
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    cert = forms.TypedMultipleChoiceField(
        label=_("Columns"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the first %(n)d published certifications.")
        % {"n": matrix.MAX_COLUMNS},
    )

    def __init__(
        self, data: Any, *, certifications: Sequence[Certification], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        # One list of published certifications feeds both fields: one query, not two.
        choices = [(c.pk, c.name) for c in certifications]
        certification = self.fields["certification"]
        assert isinstance(certification, forms.TypedChoiceField)
        certification.choices = [("", _("Any certification")), *choices]
        columns = self.fields["cert"]
        assert isinstance(columns, forms.TypedMultipleChoiceField)
        columns.choices = choices
        state = self.fields["state"]
        assert isinstance(state, forms.ChoiceField)
        state.choices = [("", _("Any state")), *matrix.state_choices()]

    def clean_cert(self) -> list[int]:
        picked: list[int] = self.cleaned_data["cert"]
        if len(picked) > matrix.MAX_COLUMNS:
            raise forms.ValidationError(
                _("Pick at most %(n)d certifications.") % {"n": matrix.MAX_COLUMNS}
            )
        return picked


def _partner_filter(request: HttpRequest, user: User) -> Partner | None:
    """The partner named in ?partner=, within the viewer's scope: anything else is the same
    404 as a partner that does not exist."""
    value = request.GET.get("partner", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404  # a mangled link, not a partner
    return Partner.objects.visible_to(user).get_or_404(pk=int(value))


def _scope(request: HttpRequest, user: User) -> dict[str, Any]:
    """The viewer's scope, narrowed to the partner the query string names (if any)."""
    partner = _partner_filter(request, user)
    scope = matrix.Scope.of(user)
    partners, too_many = scope.partner_choices()
    if partner is not None and too_many:
        partners = [(partner.pk, partner.name)]  # still shown, so it can be cleared
    return {
        "scope": scope.within(partner),
        "partner_filter": partner,
        "partner_choices": partners,
        "too_many_partners": too_many,
    }


def _matrix_filters(request: HttpRequest, user: User) -> dict[str, Any]:
    """The scope, the matrix's filter form, the filters it yields and the columns to show.
    An invalid form (a certification that is not published, too many columns) applies no
    filter and shows why."""
    context = _scope(request, user)
    published = matrix.published_certifications()
    form = MatrixFilterForm(
        request.GET or None,
        partners=context["partner_choices"],
        certifications=published,
        actor=user,
    )
    filters = matrix.Filters()
    picked: list[int] = []
    if form.is_valid():
        data = form.cleaned_data
        by_pk = {c.pk: c for c in published}
        filters = matrix.Filters(
            job_role=data["job_role"],
            certification=by_pk.get(data["certification"]) if data["certification"] else None,
            state=data["state"],
        )
        picked = data["cert"]
    return {
        **context,
        "form": form,
        "filters": filters,
        "columns": matrix.pick_columns(published, picked, filters.certification),
        "published_count": len(published),
    }


# --- pages ---------------------------------------------------------------------------------
@require(can_track_learning)
def team(request: HttpRequest) -> HttpResponse:
    """Open enrolments of the people in scope, the most urgent first."""
    user = signed_in(request)
    now = timezone.now()
    context = _scope(request, user)
    form = TeamFilterForm(request.GET or None, partners=context["partner_choices"], actor=user)
    filters = matrix.Filters()
    if form.is_valid():
        filters = matrix.Filters(job_role=form.cleaned_data["job_role"])
    scope = context["scope"]
    summary = matrix.team_summary(scope, filters, now)
    enrolments: matrix.NarrowPages[Enrolment] = matrix.NarrowPages(
        matrix.open_enrolments(scope, filters, now), count=summary["open"]
    )
    context.update(
        form=form,
        page=page_of(request, enrolments, PEOPLE_PER_PAGE),
        summary=summary,
        due_soon_days=matrix.DUE_SOON_DAYS,
        completed_days=matrix.COMPLETED_DAYS,
    )
    return render_page(
        request, "credentials/team_overview.html", "credentials/team_rows.html", context
    )


@require(can_track_learning)
def certification_matrix(request: HttpRequest) -> HttpResponse:
    """People by certifications, each cell the current credential's state and expiry."""
    user = signed_in(request)
    now = timezone.now()
    context = _matrix_filters(request, user)
    columns = context["columns"]
    people = matrix.matrix_people(context["scope"], context["filters"], columns, now)
    rows = matrix.PartnerOrderedPeople(people, context["scope"])
    page = page_of(request, rows, PEOPLE_PER_PAGE)
    context.update(page=page, rows=matrix.matrix_rows(list(page.object_list), columns, now))
    return render_page(request, "credentials/matrix.html", "credentials/matrix_table.html", context)


# A streamed download: kernel.access types the views it gates as returning an HttpResponse.
@require(can_track_learning)  # type: ignore[type-var]
def matrix_csv(request: HttpRequest) -> StreamingHttpResponse | HttpResponse:
    """The matrix with the same filters, every page, as a spreadsheet."""
    user = signed_in(request)
    now = timezone.now()
    context = _matrix_filters(request, user)
    form = context["form"]
    if form.is_bound and not form.is_valid():
        # A download cannot show form errors; say what was wrong rather than export
        # something other than what was asked for.
        errors = "; ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    columns = context["columns"]
    people = matrix.matrix_people(context["scope"], context["filters"], columns, now)
    response = StreamingHttpResponse(
        matrix.matrix_csv(people, columns, now), content_type="text/csv; charset=utf-8"
    )
    filename = f"certifications-{timezone.localdate(now).isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require(can_track_learning)
def expiring(request: HttpRequest) -> HttpResponse:
    """Credentials expiring within 90 days, soonest first; those lapsed in the last 30 days
    apart, so a renewal can still be chased."""
    user = signed_in(request)
    now = timezone.now()
    context = _matrix_filters(request, user)
    scope, filters = context["scope"], context["filters"]
    soon = matrix.expiring_credentials(scope, filters, now)
    lapsed = matrix.recently_expired_credentials(scope, filters, now)
    context.update(
        page=page_of(request, matrix.NarrowPages[Credential](soon), CREDENTIALS_PER_PAGE),
        expired_page=Paginator(
            matrix.NarrowPages[Credential](lapsed), CREDENTIALS_PER_PAGE
        ).get_page(request.GET.get("expired_page")),
        now=now,
        expiring_days=matrix.EXPIRING_DAYS,
        expired_days=matrix.RECENTLY_EXPIRED_DAYS,
    )
    return render(request, "credentials/matrix_expiring.html", context)


@require(can_track_learning)
def certification_counts(request: HttpRequest) -> HttpResponse:
    """Certified headcount by job role for each certification, per partner in scope (a
    partner admin: their company and each location), with totals over the whole scope."""
    user = signed_in(request)
    now = timezone.now()
    context = _matrix_filters(request, user)
    scope, columns = context["scope"], context["columns"]
    # The scope is already read, in name order: its pages need no query of their own.
    page = page_of(request, scope.partners, PARTNERS_PER_PAGE)
    roles = list(JobRole.objects.all())
    totals = matrix.total_counts(scope, columns, roles, now)
    counts = matrix.partner_counts(list(page.object_list), columns, roles, now)
    context.update(page=page, groups=[totals, *counts])
    return render_page(
        request, "credentials/matrix_counts.html", "credentials/matrix_counts_table.html", context
    )


urlpatterns: list[URLPattern] = [
    path("learn/team/", team, name="team"),
    path("learn/team/certifications/", certification_matrix, name="matrix"),
    path("learn/team/certifications.csv", matrix_csv, name="matrix_csv"),
    path("learn/team/expiring/", expiring, name="expiring"),
    path(
        "learn/team/certifications/by-partner/",
        certification_counts,
        name="certification_counts",
    ),
]
