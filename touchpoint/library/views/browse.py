"""Library pages for everyone: the library home, a section, an item (article, link or file
with an in-page preview), downloads, counted link opens and favourites."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from touchpoint.kernel.activity import record_view
from touchpoint.kernel.files import file_view, serve_file
from touchpoint.kernel.htmx import is_htmx
from touchpoint.kernel.paging import page_of
from touchpoint.kernel.panels import render_panels
from touchpoint.kernel.redirects import redirect_back
from touchpoint.kernel.translations import localise
from touchpoint.library import actions, hooks
from touchpoint.library.access import can_author_library
from touchpoint.library.forms import PublishForm
from touchpoint.library.models import (
    Asset,
    AssetKind,
    AssetVersion,
    Favourite,
    Product,
    Section,
    Tag,
)
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import User

NEW_DAYS = 30
PAGE_SIZE = 20


def _with_favourite(assets: Any, user: User) -> Any:
    return assets.annotate(
        is_favourite=Exists(Favourite.objects.filter(user=user, asset=OuterRef("pk")))
    )


@login_required
def library_home(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    visible = Asset.objects.visible_to(user).published().in_language()
    counts = dict(
        visible.order_by()
        .values("section_id")
        .annotate(n=Count("pk"))
        .values_list("section_id", "n")
    )
    sections = [(s, counts.get(s.pk, 0)) for s in Section.objects.visible_to(user)]
    since = timezone.now() - timedelta(days=NEW_DAYS)
    recent = list(
        visible.filter(content_updated_at__gte=since)
        .select_related("section", "current_version")
        .order_by("-content_updated_at")[:8]
    )
    favourites = list(
        visible.filter(favourites__user=user)
        .select_related("section", "current_version")
        .order_by("title")[:12]
    )
    return render(
        request,
        "library/home.html",
        {
            "sections": sections,
            "recent": recent,
            "favourites": favourites,
            "is_author": can_author_library(user),
            "new_days": NEW_DAYS,
        },
    )


@login_required
def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    section = Section.objects.get_for(user, slug=slug)
    in_section = Asset.objects.visible_to(user).published().filter(section=section)
    assets = in_section.in_language()
    product = request.GET.get("product", "")
    tag = request.GET.get("tag", "")
    kind = request.GET.get("kind", "")
    if product:
        assets = assets.filter(products__code=product)
    if tag.isdigit():
        assets = assets.filter(tags=int(tag))
    if kind in AssetKind.values:
        assets = assets.filter(kind=kind)
    assets = (
        _with_favourite(assets, user)
        .select_related("current_version")
        .prefetch_related("tags")
        .order_by("title", "pk")
        .distinct()
    )
    page = page_of(request, assets, PAGE_SIZE)
    return render(
        request,
        "library/section.html",
        {
            "section": section,
            "page": page,
            "panels": render_panels(hooks.panels["section"], request, section=section),
            "products": Product.objects.filter(assets__in=in_section).distinct(),
            "tags": Tag.objects.filter(assets__in=in_section).distinct(),
            "kinds": AssetKind.choices,
            "product": product,
            "tag": tag,
            "kind": kind,
            "filtered": bool(product or tag or kind),
        },
    )


@login_required
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    asset = Asset.objects.get_for(user, pk=pk)
    version = asset.current_version
    authoring = asset.is_manageable_by(user)
    versions = list(asset.versions.select_related("created_by")[:20])
    if not is_htmx(request):
        # Reading an article or seeing a file's preview is an open; a link counts when followed.
        if asset.kind != AssetKind.LINK and not user.is_vendor:
            actions.record_open(user, asset, "viewed")
        else:
            record_view(request, asset)
    return render(
        request,
        "library/asset.html",
        {
            "asset": localise(asset),
            "version": version,
            "versions": versions,
            "tags": asset.tags.all(),
            "products": asset.products.all(),
            "is_favourite": Favourite.objects.filter(user=user, asset=asset).exists(),
            "can_author": authoring,
            "is_staff": user.is_vendor,
            "publish_form": PublishForm() if authoring else None,
        },
    )


def _file_version(user: User, pk: int) -> tuple[Asset, AssetVersion]:
    asset = Asset.objects.get_for(user, pk=pk)
    version = asset.current_version
    if asset.kind != AssetKind.FILE or version is None or not version.file:
        raise Http404
    return asset, version


@file_view
@xframe_options_sameorigin  # the item page shows a PDF in a frame of its own
def asset_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The current file, shown in the page (PDF, image, video); other types download."""
    _asset, version = _file_version(signed_in(request), pk)
    return serve_file(
        request, version.file, filename=version.file_name, content_type=version.file_type
    )


def _as_attachment(response: HttpResponseBase) -> HttpResponseBase:
    """Download rather than show (a redirect to object storage keeps its own headers)."""
    if "Content-Disposition" in response:
        response["Content-Disposition"] = response["Content-Disposition"].replace(
            "inline", "attachment", 1
        )
    return response


@file_view
def asset_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = signed_in(request)
    asset, version = _file_version(user, pk)
    if "Range" not in request.headers or request.headers["Range"].startswith("bytes=0-"):
        actions.record_open(user, asset, "downloaded", version=version.number)
    response = serve_file(
        request, version.file, filename=version.file_name, content_type=version.file_type
    )
    return _as_attachment(response)


@file_view
def version_download(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    """Any earlier version, for vendor staff (partners only ever get the current one)."""
    version = AssetVersion.objects.get_for(signed_in(request), asset_id=pk, number=number)
    if not version.file:
        raise Http404
    response = serve_file(
        request, version.file, filename=version.file_name, content_type=version.file_type
    )
    return _as_attachment(response)


@login_required
def asset_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a link item: counted, then redirected; only to a web address."""
    user = signed_in(request)
    asset = Asset.objects.get_for(user, pk=pk)
    version = asset.current_version
    if asset.kind != AssetKind.LINK or version is None or not version.url:
        raise Http404
    if not version.url.lower().startswith(("https://", "http://")):
        raise Http404  # the form allows only these; never follow anything else
    actions.record_open(user, asset, "opened")
    return HttpResponseRedirect(version.url)


@login_required
@require_POST
def asset_favourite(request: HttpRequest, pk: int) -> HttpResponse:
    """Add (`on=1`) or remove (`on=0`) a favourite; the same request twice changes nothing."""
    user = signed_in(request)
    asset = Asset.objects.get_for(user, pk=pk)
    on = actions.set_favourite(user, asset, request.POST.get("on", "1") == "1")
    if is_htmx(request):
        return render(request, "library/_favourite.html", {"asset": asset, "is_favourite": on})
    return redirect_back(request, asset)


urlpatterns: list[URLPattern] = [
    path("library/", library_home, name="home"),
    path("library/assets/<int:pk>/", asset_detail, name="asset"),
    path("library/assets/<int:pk>/file/", asset_file, name="asset_file"),
    path("library/assets/<int:pk>/download/", asset_download, name="asset_download"),
    path("library/assets/<int:pk>/open/", asset_open, name="asset_open"),
    path("library/assets/<int:pk>/favourite/", asset_favourite, name="asset_favourite"),
    path(
        "library/assets/<int:pk>/versions/<int:number>/download/",
        version_download,
        name="version_download",
    ),
]

# Last: a section's short name is the rest of the path (reserved names are refused by the form).
section_patterns: list[URLPattern] = [
    path("library/<slug:slug>/", section_detail, name="section"),
]
