"""Launch campaigns (portal admins): the list, a campaign's timeline with each step's state
and how many were reached and acted, adding and changing steps; and the feature tour as
people see it (also on home), with dismiss and finish."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.comms import actions, campaigns
from touchpoint.comms.access import can_run_campaigns
from touchpoint.comms.forms import CampaignForm, StepForm, TourStopFormSet, reach_of
from touchpoint.comms.models import Campaign, CampaignStep, StepKind
from touchpoint.kernel.access import require
from touchpoint.kernel.htmx import is_htmx, render_page
from touchpoint.kernel.translations import localise, localise_all
from touchpoint.orgs.access import signed_in


@require(can_run_campaigns)
def campaign_list(request: HttpRequest) -> HttpResponse:
    planned = (
        Campaign.objects.select_related("audience")
        .prefetch_related("steps__announcement")
        .visible_to(signed_in(request))
    )
    page = Paginator(planned, 20).get_page(request.GET.get("page"))
    return render(request, "comms/campaign_list.html", {"page": page})


@require(can_run_campaigns)
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in(request)
    campaign = Campaign.objects.get_for(user, manage=True, pk=pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign, actor=user)
    if request.method == "POST" and form.is_valid():
        saved = actions.save_campaign(user, form.save(commit=False))
        messages.success(request, _("The campaign is saved. Add its steps."))
        return redirect(saved)
    return render(request, "comms/campaign_form.html", {"form": form, "campaign": campaign})


@require(can_run_campaigns)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = Campaign.objects.get_for(signed_in(request), pk=pk)
    steps = list(campaign.steps.select_related("announcement").prefetch_related("stops"))
    figures = campaigns.step_figures(campaign)
    rows = [(step, figures.get(step.pk, {})) for step in steps]
    return render(
        request,
        "comms/campaign.html",
        {"campaign": campaign, "rows": rows, "reach": reach_of(campaign.audience),
         "kinds": StepKind.choices},
    )  # fmt: skip


def _stops(formset: Any) -> list[dict[str, str]]:
    return [
        {k: f.cleaned_data[k] for k in ("title", "text", "url")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@require(can_run_campaigns)
def step_edit(request: HttpRequest, pk: int, step_pk: int | None = None) -> HttpResponse:
    user = signed_in(request)
    campaign = Campaign.objects.get_for(user, manage=True, pk=pk)
    step = (
        CampaignStep.objects.get_for(user, manage=True, pk=step_pk, campaign=campaign)
        if step_pk
        else None
    )
    if step is not None and step.started_at is not None:
        messages.error(request, _("This step has started; it can no longer be changed."))
        return redirect(campaign)
    kind = step.kind if step else request.POST.get("kind") or request.GET.get("kind", "")
    if kind not in StepKind.values:
        raise Http404
    initial: dict[str, Any] = {}
    if step and step.announcement:
        initial["body"] = step.announcement.body
    form = StepForm(request.POST or None, instance=step, kind=kind, initial=initial)
    formset = None
    if kind == StepKind.TOUR:
        stops = (
            [{"title": s.title, "text": s.text, "url": s.url} for s in step.stops.all()]
            if step
            else []
        )
        formset = TourStopFormSet(request.POST or None, prefix="stops", initial=stops or None)
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        draft = form.save(commit=False)
        draft.campaign, draft.kind = campaign, kind
        actions.save_step(user, draft, _stops(formset) if formset is not None else None)
        messages.success(request, _("The step is saved."))
        return redirect(campaign)
    return render(
        request,
        "comms/step_form.html",
        {"form": form, "formset": formset, "campaign": campaign, "step": step, "kind": kind,
         "kind_label": StepKind(kind).label},
    )  # fmt: skip


@require(can_run_campaigns)
@require_POST
def step_delete(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    user = signed_in(request)
    step = CampaignStep.objects.get_for(user, manage=True, pk=step_pk, campaign_id=pk)
    if step.started_at is not None:
        messages.error(request, _("This step has started; it stays in the timeline."))
    else:
        actions.delete_step(user, step)
        messages.success(request, _("The step is removed."))
    return redirect(step.campaign)


# --- the tour, as people see it ----------------------------------------------------------------
@login_required
def tour(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    step = localise(CampaignStep.objects.get_for(user, pk=pk))  # a running tour meant for them
    stops = localise_all(step.stops.all())
    if not stops:
        raise Http404
    # Seeing the tour is its read mark, the one write of this page.
    actions.mark_tour_seen(user, step)
    try:
        index = max(0, min(int(request.GET.get("stop", "0")), len(stops) - 1))
    except ValueError:
        index = 0
    context = {
        "tour": step,
        "stops": stops,
        "stop": stops[index],
        "index": index,
        "last": index == len(stops) - 1,
    }
    return render_page(request, "comms/tour.html", "comms/_tour.html", context)


@login_required
@require_POST
def tour_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    step = CampaignStep.objects.get_for(user, pk=pk)
    finished = request.POST.get("finished") == "1"
    actions.close_tour(user, step, finished)
    if is_htmx(request):
        return HttpResponse("")
    messages.success(request, _("Enjoy the portal!") if finished else _("The tour is closed."))
    return redirect(reverse("home"))


urlpatterns: list[URLPattern] = [
    path("news/campaigns/", campaign_list, name="campaign_list"),
    path("news/campaigns/new/", campaign_edit, name="campaign_create"),
    path("news/campaigns/<int:pk>/", campaign_detail, name="campaign"),
    path("news/campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("news/campaigns/<int:pk>/steps/new/", step_edit, name="step_create"),
    path("news/campaigns/<int:pk>/steps/<int:step_pk>/", step_edit, name="step_edit"),
    path("news/campaigns/<int:pk>/steps/<int:step_pk>/delete/", step_delete, name="step_delete"),
    path("news/tour/<int:pk>/", tour, name="tour"),
    path("news/tour/<int:pk>/close/", tour_close, name="tour_close"),
]
