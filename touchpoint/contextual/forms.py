"""Forms for context mappings, the item picker, widget integrations and launcher links."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from touchpoint.contextual.models import (
    ContextItem,
    ContextMapping,
    Integration,
    LauncherLink,
)
from touchpoint.courses.models import Course, Lesson
from touchpoint.courses.models import Status as CourseStatus
from touchpoint.kernel.forms import limit_choices, scope_choices
from touchpoint.kernel.uploads import check_image
from touchpoint.library.models import Asset, AssetState
from touchpoint.orgs.access import audiences_targetable_by
from touchpoint.orgs.audience import named_audiences
from touchpoint.orgs.models import User


class MappingForm(forms.ModelForm):
    class Meta:
        model = ContextMapping
        fields = ["title", "app", "screen", "product", "topic", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("app", "screen", "product", "topic"):
            self.fields[name].widget.attrs.update(autocapitalize="none", spellcheck="false")


class MappingFilterForm(forms.Form):
    q = forms.CharField(label=_("Contains"), required=False, max_length=100)
    app = forms.ChoiceField(label=pgettext_lazy("software", "Application"), required=False)
    items = forms.ChoiceField(
        label=_("Items"),
        required=False,
        choices=[("", _("Any")), ("none", _("Nothing mapped yet"))],
    )

    def __init__(self, *args: Any, apps: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        app_field = self.fields["app"]
        assert isinstance(app_field, forms.ChoiceField)
        app_field.choices = [("", _("Any")), *((a, a) for a in apps or [])]
        self.fields["q"].widget.attrs["type"] = "search"


# --- picking items ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """Something the picker offers: its value for the add form, and how it reads."""

    value: str
    title: str
    kind_label: str
    note: str = ""


PICKS_PER_KIND = 8


def find_candidates(query: str) -> list[Candidate]:
    """Library items, courses and lessons whose title contains the words typed (at most
    eight of each): a small search of our own, so picking does not depend on the index."""
    query = " ".join(query.split())[:100]
    if len(query) < 2:
        return []
    found: list[Candidate] = []
    assets = (
        Asset.objects.exclude(state=AssetState.ARCHIVED)
        .filter(title__icontains=query)
        .order_by("title")[:PICKS_PER_KIND]
    )
    for asset in assets:
        found.append(
            Candidate(
                f"asset:{asset.pk}",
                asset.title,
                str(asset.get_kind_display()),
                "" if asset.state == AssetState.PUBLISHED else str(asset.get_state_display()),
            )
        )
    courses = (
        Course.objects.exclude(status=CourseStatus.ARCHIVED)
        .filter(Q(title__icontains=query) | Q(summary__icontains=query))
        .order_by("title")[:PICKS_PER_KIND]
    )
    for course in courses:
        found.append(
            Candidate(
                f"course:{course.pk}",
                course.title,
                str(_("Course")),
                "" if course.status == CourseStatus.PUBLISHED else str(course.get_status_display()),
            )
        )
    lessons = (
        Lesson.objects.filter(
            title__icontains=query,
            version__course__published_version=F("version"),
            version__course__status=CourseStatus.PUBLISHED,
        )
        .select_related("version__course")
        .order_by("title")[:PICKS_PER_KIND]
    )
    for lesson in lessons:
        found.append(
            Candidate(
                f"lesson:{lesson.version.course_id}:{lesson.key}",
                lesson.title,
                str(_("Lesson in %(course)s") % {"course": lesson.version.course.title}),
            )
        )
    return found


def item_from_value(value: str) -> ContextItem | None:
    """The (unsaved) item a picker value names, or None when it names nothing that exists."""
    kind, _sep, rest = value.partition(":")
    if kind == "asset" and rest.isdigit():
        asset = Asset.objects.exclude(state=AssetState.ARCHIVED).filter(pk=int(rest)).first()
        return ContextItem(asset=asset) if asset else None
    if kind == "course" and rest.isdigit():
        course = Course.objects.exclude(status=CourseStatus.ARCHIVED).filter(pk=int(rest)).first()
        return ContextItem(course=course) if course else None
    if kind == "lesson":
        course_id, _sep, key = rest.partition(":")
        try:
            lesson_key = uuid.UUID(key)
        except ValueError:
            return None
        if not course_id.isdigit():
            return None
        lesson = (
            Lesson.objects.filter(version__course_id=int(course_id), key=lesson_key)
            .select_related("version__course")
            .first()
        )
        if lesson is None:
            return None
        return ContextItem(course=lesson.version.course, lesson_key=lesson_key)
    return None


# --- integrations -------------------------------------------------------------------------------------
class IntegrationForm(forms.ModelForm):
    class Meta:
        model = Integration
        fields = ["name", "allowed_origins", "audience"]
        widgets = {"allowed_origins": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})}

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self.fields["audience"], named_audiences(), empty_label=_("Only items for everyone")
        )
        scope_choices(self, actor, audience=audiences_targetable_by)


# --- launcher links ----------------------------------------------------------------------------------
class LauncherLinkForm(forms.ModelForm):
    class Meta:
        model = LauncherLink
        fields = list(LauncherLink.FIELDS)
        widgets = {
            "icon_image": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
            ),
            "url": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self.fields["audience"], named_audiences(), empty_label=_("Every partner person")
        )
        scope_choices(self, actor, audience=audiences_targetable_by)

    def clean_icon_image(self) -> Any:
        image = self.cleaned_data.get("icon_image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            # Stored under a name generated from its content (ContentNamedImageField).
            check_image(image, settings.MAX_LOGO_BYTES)
        return image
