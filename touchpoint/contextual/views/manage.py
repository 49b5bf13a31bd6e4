"""Staff screens for contextual help (portal admins and content owners): the mappings,
their ordered items with a small picker, and the usage figures (most asked contexts, asked
contexts with nothing to show, items opened)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.contextual import actions
from touchpoint.contextual.access import can_edit_contexts
from touchpoint.contextual.forms import (
    MappingFilterForm,
    MappingForm,
    find_candidates,
    item_from_value,
)
from touchpoint.contextual.models import (
    DIMENSIONS,
    ContextItem,
    ContextMapping,
    ContextUsage,
    lesson_title,
)
from touchpoint.contextual.resolve import Context, asset_url
from touchpoint.courses.models import Lesson
from touchpoint.courses.models import Status as CourseStatus
from touchpoint.kernel.access import require
from touchpoint.kernel.htmx import render_page
from touchpoint.kernel.paging import page_of
from touchpoint.library.models import AssetState
from touchpoint.orgs.access import signed_in


# --- mappings ----------------------------------------------------------------------------------
@require(can_edit_contexts)
def mapping_list(request: HttpRequest) -> HttpResponse:
    scope = ContextMapping.objects.manageable_by(signed_in(request))
    apps = list(scope.exclude(app="").values_list("app", flat=True).distinct().order_by("app"))
    form = MappingFilterForm(request.GET or None, apps=apps)
    mappings = scope.annotate(item_count=Count("items"), opens=Sum("items__open_count")).order_by(
        *DIMENSIONS
    )
    if form.is_valid():
        data = form.cleaned_data
        words = data["q"].strip().lower()
        if words:
            match = Q()
            for dimension in ("title", *DIMENSIONS, "note"):
                match |= Q(**{f"{dimension}__icontains": words})
            mappings = mappings.filter(match)
        if data["app"]:
            mappings = mappings.filter(app=data["app"])
        if data["items"] == "none":
            mappings = mappings.filter(item_count=0)
    return render_page(
        request,
        "contextual/mapping_list.html",
        "contextual/_mapping_rows.html",
        {"form": form, "page": page_of(request, mappings)},
    )


@require(can_edit_contexts)
def mapping_create(request: HttpRequest) -> HttpResponse:
    # "Map it" on the usage page arrives with the asked context filled in.
    initial = Context.from_data(request.GET).values if request.method == "GET" else None
    form = MappingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        mapping = actions.save_mapping(signed_in(request), form.save(commit=False))
        messages.success(request, _("The mapping is saved. Now add the items to offer."))
        return redirect("contextual:mapping_edit", pk=mapping.pk)
    return render(request, "contextual/mapping_form.html", {"form": form, "mapping": None})


def _item_rows(mapping: ContextMapping) -> list[dict[str, Any]]:
    """The mapping's items as the editor sees them: title, kind, whether people see it."""
    items = list(
        ContextItem.objects.filter(mapping=mapping)
        .select_related("asset__audience", "course__audience")
        .order_by("position", "pk")
    )
    keys = [i.lesson_key for i in items if i.lesson_key]
    titles: dict[tuple[int, Any], str] = {}
    published: set[tuple[int, Any]] = set()
    if keys:
        found = Lesson.objects.filter(key__in=keys).values_list(
            "version__course_id",
            "key",
            "title",
            "version_id",
            "version__course__published_version_id",
        )
        # Newest version first, so a lesson no longer published still shows its last title.
        for course_id, key, title, version_id, published_id in found.order_by("-version__number"):
            if version_id == published_id:
                titles[(course_id, key)] = title
                published.add((course_id, key))
            else:
                titles.setdefault((course_id, key), title)
    rows = []
    for item in items:
        if item.asset_id:
            asset = item.asset
            assert asset is not None
            rows.append(
                {
                    "item": item,
                    "title": asset.title,
                    "kind": asset.get_kind_display(),
                    "live": asset.state == AssetState.PUBLISHED,
                    "state": asset.get_state_display(),
                    "audience": asset.audience,
                    "url": asset_url(asset),
                }
            )
            continue
        course = item.course
        assert course is not None
        course_live = course.status == CourseStatus.PUBLISHED and bool(course.published_version_id)
        if item.lesson_key:
            lesson_live = (course.pk, item.lesson_key) in published
            rows.append(
                {
                    "item": item,
                    "title": titles.get((course.pk, item.lesson_key), _("A removed lesson")),
                    "kind": _("Lesson in %(course)s") % {"course": course.title},
                    "live": course_live and lesson_live,
                    "state": course.get_status_display()
                    if not course_live
                    else (_("Published") if lesson_live else _("Not in the published version")),
                    "audience": course.audience,
                    "url": reverse("courses:lesson", args=[course.pk, item.lesson_key]),
                }
            )
        else:
            rows.append(
                {
                    "item": item,
                    "title": course.title,
                    "kind": _("Course"),
                    "live": course_live,
                    "state": course.get_status_display(),
                    "audience": course.audience,
                    "url": course.get_absolute_url(),
                }
            )
    return rows


@require(can_edit_contexts)
def mapping_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mapping = ContextMapping.objects.get_for(user, manage=True, pk=pk)
    form = MappingForm(request.POST or None, instance=mapping)
    if request.method == "POST" and form.is_valid():
        actions.save_mapping(user, form.save(commit=False))
        messages.success(request, _("The context is saved."))
        return redirect("contextual:mapping_edit", pk=mapping.pk)
    query = request.GET.get("q", "")
    context = Context(**mapping.values)
    return render(
        request,
        "contextual/mapping_edit.html",
        {
            "mapping": mapping,
            "form": form,
            "rows": _item_rows(mapping),
            "query": query,
            "candidates": find_candidates(query) if query else None,
            "go_url": request.build_absolute_uri(context.go_url),
            "script_url": request.build_absolute_uri(static("contextual/widget.js")),
        },
    )


@require(can_edit_contexts)
def picker(request: HttpRequest, pk: int) -> HttpResponse:
    """The picker's results (an htmx fragment; the edit page shows the same without script)."""
    mapping = ContextMapping.objects.get_for(signed_in(request), manage=True, pk=pk)
    query = request.GET.get("q", "")
    return render(
        request,
        "contextual/_picker_results.html",
        {"mapping": mapping, "query": query, "candidates": find_candidates(query)},
    )


@require(can_edit_contexts)
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mapping = ContextMapping.objects.get_for(user, manage=True, pk=pk)
    item = item_from_value(request.POST.get("target", ""))
    if item is None:
        messages.error(request, _("That item no longer exists. Search again."))
    else:
        try:
            actions.add_item(user, mapping, item)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The item is added to the list."))
    return redirect("contextual:mapping_edit", pk=mapping.pk)


@require(can_edit_contexts)
@require_POST
def item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = signed_in(request)
    mapping = ContextMapping.objects.get_for(user, manage=True, pk=pk)
    item = ContextItem.objects.filter(mapping=mapping).get_for(user, manage=True, pk=item_pk)
    actions.move_item(user, item, -1 if request.POST.get("direction") == "up" else 1)
    return redirect(reverse("contextual:mapping_edit", args=[mapping.pk]) + f"#item-{item.pk}")


@require(can_edit_contexts)
@require_POST
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = signed_in(request)
    mapping = ContextMapping.objects.get_for(user, manage=True, pk=pk)
    item = ContextItem.objects.filter(mapping=mapping).get_for(user, manage=True, pk=item_pk)
    actions.remove_item(user, item)
    messages.success(request, _("The item is removed from the list."))
    return redirect("contextual:mapping_edit", pk=mapping.pk)


@require(can_edit_contexts)
@require_POST
def mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mapping = ContextMapping.objects.get_for(user, manage=True, pk=pk)
    label = mapping.label
    actions.delete_mapping(user, mapping)
    messages.success(request, _("The mapping for %(context)s is deleted.") % {"context": label})
    return redirect("contextual:mapping_list")


# --- usage ----------------------------------------------------------------------------------------
def _exact_mapping() -> Any:
    return ContextMapping.objects.filter(
        **{dimension: OuterRef(dimension) for dimension in DIMENSIONS}
    )


@require(can_edit_contexts)
def usage(request: HttpRequest) -> HttpResponse:
    totals = ContextUsage.objects.aggregate(
        asked=Sum("asked"), empty=Sum("empty"), opened=Sum("opened")
    )
    most_asked = ContextUsage.objects.order_by("-asked", "-last_asked_at")[:25]
    gaps = (
        ContextUsage.objects.filter(empty__gt=0)
        .annotate(mapping_pk=Subquery(_exact_mapping().values("pk")[:1]))
        .order_by("-empty", "-last_asked_at")[:25]
    )
    opened = (
        ContextItem.objects.filter(open_count__gt=0)
        .annotate(lesson_title=lesson_title())
        .select_related("mapping", "asset", "course")
        .order_by("-open_count", "-last_opened_at")[:25]
    )
    return render(
        request,
        "contextual/usage.html",
        {
            "totals": {k: v or 0 for k, v in totals.items()},
            "most_asked": most_asked,
            "gaps": [(row, Context(**row.values)) for row in gaps],
            "opened": opened,
        },
    )


urlpatterns: list[URLPattern] = [
    path("context/", mapping_list, name="mapping_list"),
    path("context/new/", mapping_create, name="mapping_create"),
    path("context/usage/", usage, name="usage"),
    path("context/<int:pk>/", mapping_edit, name="mapping_edit"),
    path("context/<int:pk>/delete/", mapping_delete, name="mapping_delete"),
    path("context/<int:pk>/picker/", picker, name="picker"),
    path("context/<int:pk>/items/add/", item_add, name="item_add"),
    path("context/<int:pk>/items/<int:item_pk>/move/", item_move, name="item_move"),
    path("context/<int:pk>/items/<int:item_pk>/remove/", item_remove, name="item_remove"),
]
