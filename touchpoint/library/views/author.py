"""Library pages for authors (portal admins and content owners): the list of items they look
after, creating and editing items, new versions, publishing, scheduling, unpublishing,
archiving, extending a review date; and portal sections (portal admins)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.kernel.access import require
from touchpoint.kernel.forms import QUERY_MAX_LENGTH, add_errors
from touchpoint.kernel.htmx import is_htmx
from touchpoint.kernel.paging import page_of
from touchpoint.kernel.redirects import redirect_back
from touchpoint.library import actions
from touchpoint.library.access import can_author_library, can_manage_sections
from touchpoint.library.forms import AssetForm, ContentForm, PublishForm, SectionForm
from touchpoint.library.models import Asset, AssetKind, AssetState, Section
from touchpoint.orgs.access import signed_in


# --- the authors' list ------------------------------------------------------------------------
@require(can_author_library)
def manage(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    assets = Asset.objects.select_related("section", "owner", "current_version").manageable_by(user)
    state = request.GET.get("state", "")
    section = request.GET.get("section", "")
    if state in AssetState.values:
        assets = assets.filter(state=state)
    if section.isdigit():
        assets = assets.filter(section_id=int(section))
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    if query:
        assets = assets.filter(title__icontains=query)
    page = page_of(request, assets.order_by("-updated_at", "pk"), 25)
    return render(
        request,
        "library/manage.html",
        {
            "page": page,
            "states": AssetState.choices,
            "state": state,
            "sections": Section.objects.authorable_by(user),
            "section": section,
            "query": query,
            "kinds": AssetKind.choices,
        },
    )


# --- items ------------------------------------------------------------------------------------
@require(can_author_library)
def asset_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    if kind not in AssetKind.values:
        return render(request, "library/choose_kind.html", {"kinds": AssetKind.choices})
    initial = {"kind": kind, "owner": user.pk}
    section = request.GET.get("section", "")
    if section.isdigit():
        initial["section"] = int(section)
    form = AssetForm(request.POST or None, user=user, initial=initial)
    content = ContentForm(request.POST or None, request.FILES or None, kind=kind, first=True)
    if request.method == "POST" and form.is_valid() and content.is_valid():
        asset = form.save(commit=False)
        asset.kind = kind
        publish = request.POST.get("intent") == "publish"
        try:
            asset = actions.create_asset(
                user, asset, tags=form.cleaned_data["tags_text"],
                products=form.cleaned_data["products"], content=content.content(), publish=publish,
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _state_message(asset))
            return redirect(asset)
    return render(
        request,
        "library/asset_form.html",
        {"form": form, "content": content, "asset": None, "kind": kind,
         "kind_label": AssetKind(kind).label},
    )  # fmt: skip


def _state_message(asset: Asset) -> str:
    if asset.state == AssetState.PUBLISHED:
        return _("%(title)s is published.") % {"title": asset.title}
    if asset.state == AssetState.SCHEDULED and asset.publish_at:
        return _("%(title)s is scheduled for %(when)s.") % {
            "title": asset.title,
            "when": date_format(asset.publish_at, "DATETIME_FORMAT", use_l10n=True),
        }
    return _("%(title)s is saved as a draft; only staff can see it.") % {"title": asset.title}


@require(can_author_library)
def asset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    asset = Asset.objects.get_for(user, manage=True, pk=pk)
    form = AssetForm(request.POST or None, instance=asset, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_asset(
                user, form.save(commit=False),
                tags=form.cleaned_data["tags_text"], products=form.cleaned_data["products"],
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The details are saved."))
            return redirect(asset)
    return render(
        request,
        "library/asset_form.html",
        {"form": form, "content": None, "asset": asset, "kind": asset.kind,
         "kind_label": asset.get_kind_display()},
    )  # fmt: skip


@require(can_author_library)
def asset_version(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    asset = Asset.objects.get_for(user, manage=True, pk=pk)
    form = ContentForm(
        request.POST or None,
        request.FILES or None,
        kind=asset.kind,
        first=asset.current_version_id is None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.add_version(user, asset, form.content())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Version %(n)d is now the current one.") % {"n": version.number}
            )
            return redirect(asset)
    current = asset.current_version
    if request.method == "GET" and current is not None:
        form.initial.update({"url": current.url, "body": current.body})
    return render(request, "library/version_form.html", {"form": form, "asset": asset})


@require(can_author_library)
@require_POST
def asset_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    asset = Asset.objects.get_for(user, manage=True, pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(asset)
    try:
        asset = actions.publish_asset(user, asset, form.cleaned_data["publish_at"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _state_message(asset))
    return redirect(asset)


@require(can_author_library)
@require_POST
def asset_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    asset = actions.unpublish_asset(user, Asset.objects.get_for(user, manage=True, pk=pk))
    messages.success(
        request,
        _("%(title)s is a draft again; partners no longer see it.") % {"title": asset.title},
    )
    return redirect(asset)


@require(can_author_library)
@require_POST
def asset_archive(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    asset = actions.archive_asset(user, Asset.objects.get_for(user, manage=True, pk=pk))
    if is_htmx(request):
        return render(request, "library/_health_row.html", {"item": asset, "done": "archived"})
    messages.success(
        request,
        _("%(title)s is archived. It is kept with its versions; make it a draft to use it again.")
        % {"title": asset.title},
    )
    return redirect_back(request, asset)  # e.g. content health


@require(can_author_library)
@require_POST
def asset_extend_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    asset = actions.extend_review(user, Asset.objects.get_for(user, manage=True, pk=pk))
    if is_htmx(request):
        return render(request, "library/_health_row.html", {"item": asset, "done": "extended"})
    assert asset.review_by is not None
    messages.success(
        request,
        _("Marked as still current; next review by %(date)s.")
        % {"date": date_format(asset.review_by, "DATE_FORMAT")},
    )
    return redirect_back(request, asset)  # e.g. content health


# --- sections (portal admins) -------------------------------------------------------------------
@require(can_manage_sections)
def section_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = SectionForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            section = actions.save_section(user, form.save(commit=False))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Section %(name)s is added.") % {"name": section.name})
            return redirect("library:section_list")
    sections = Section.objects.select_related("department", "owner").manageable_by(user)
    return render(request, "library/sections.html", {"form": form, "sections": sections})


@require(can_manage_sections)
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    section = Section.objects.get_for(user, manage=True, pk=pk)
    form = SectionForm(request.POST or None, instance=section, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_section(user, form.save(commit=False))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The section is saved."))
            return redirect("library:section_list")
    return render(request, "library/section_form.html", {"form": form, "section": section})


urlpatterns: list[URLPattern] = [
    path("library/manage/", manage, name="manage"),
    path("library/manage/new/", asset_create, name="asset_create"),
    path("library/manage/assets/<int:pk>/edit/", asset_edit, name="asset_edit"),
    path("library/manage/assets/<int:pk>/version/", asset_version, name="asset_version"),
    path("library/manage/assets/<int:pk>/publish/", asset_publish, name="asset_publish"),
    path("library/manage/assets/<int:pk>/unpublish/", asset_unpublish, name="asset_unpublish"),
    path("library/manage/assets/<int:pk>/archive/", asset_archive, name="asset_archive"),
    path(
        "library/manage/assets/<int:pk>/extend-review/",
        asset_extend_review,
        name="asset_extend_review",
    ),
    path("library/manage/sections/", section_list, name="section_list"),
    path("library/manage/sections/<int:pk>/edit/", section_edit, name="section_edit"),
]
