"""Forms for building courses and paths, assigning them, and auto-enrolment rules."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.access import (
    departments_for_courses,
    people_assignable,
    sections_for_courses,
)
from touchpoint.courses.models import LESSON_IMAGE_SRC, Course, Lesson, LessonKind, Section
from touchpoint.kernel.forms import QUERY_MAX_LENGTH, limit_choices, scope_choices
from touchpoint.kernel.html import sanitise_or_paragraphs
from touchpoint.kernel.uploads import check_file, check_image, clean_filename
from touchpoint.orgs.access import audiences_targetable_by, staff_directory
from touchpoint.orgs.audience import named_audiences
from touchpoint.orgs.models import JobRole, Partner, User

VIDEO_TYPES = {"video/mp4": "MP4", "video/webm": "WebM", "video/quicktime": "MOV"}
DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (.pptx)",
    "application/x-ole-storage": "Office 97–2003",
    "application/zip": "ZIP",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
}


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "summary",
            "description",
            "section",
            "department",
            "owner",
            "audience",
            "self_enrol",
            "minutes",
            "cover",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "description": _(
                "Basic formatting (paragraphs, lists, links, bold) is kept; anything else is removed."
            ),
            "minutes": _("Leave 0 to add up the lessons when you publish."),
            "section": _("Where the course is listed in the library, beside the section's files."),
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self.fields["owner"], User.objects.filter(partner__isnull=True, is_active=True)
        )
        limit_choices(
            self.fields["audience"], named_audiences(), empty_label=_("Every partner person")
        )
        scope_choices(
            self,
            actor,
            section=sections_for_courses,
            department=departments_for_courses,
            owner=staff_directory,
            audience=audiences_targetable_by,
        )

    def clean_cover(self) -> Any:
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):  # a new upload, not the stored file
            check_image(cover, settings.MAX_LOGO_BYTES)
        return cover

    def clean_description(self) -> str:
        return sanitise_or_paragraphs(self.cleaned_data["description"])


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title"]


class LessonForm(forms.ModelForm):
    """One form for every kind of lesson; fields that do not apply to the kind are ignored."""

    class Meta:
        model = Lesson
        fields = [
            "title", "kind", "minutes", "body", "file", "url",
            "pool", "questions_to_draw", "pass_mark", "max_attempts", "cooldown_minutes",
            "time_limit_minutes", "show_review",
        ]  # fmt: skip
        widgets = {"body": forms.Textarea(attrs={"rows": 10, "data-rich-text": ""})}
        help_texts = {
            "body": _(
                "Text of the lesson, or an introduction to the video, document or link. "
                "Drop or paste a picture (PNG, JPEG, WebP or GIF) to put it in the text."
            ),
            "file": _(
                "Video: MP4 or WebM up to 500 MB. Document: PDF (shown in the page), Office or ZIP (downloaded), up to 50 MB."
            ),
        }

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if course is not None:  # where the editor sends pictures (courses/editor.js)
            self.fields["body"].widget.attrs.update(
                {
                    "data-upload-url": reverse("courses:course_image_upload", args=[course.pk]),
                    "data-refused-text": _("Only PNG, JPEG, WebP or GIF pictures go in the text."),
                }
            )

    def clean_body(self) -> str:
        return sanitise_or_paragraphs(self.cleaned_data.get("body") or "", images=LESSON_IMAGE_SRC)

    def clean_pass_mark(self) -> int:
        value: int = self.cleaned_data["pass_mark"]
        if not 1 <= value <= 100:
            raise forms.ValidationError(_("Use a percentage from 1 to 100."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        upload = self.files.get(self.add_prefix("file"))
        if upload is not None:
            if kind == LessonKind.VIDEO:
                allowed, limit = VIDEO_TYPES, settings.MAX_VIDEO_BYTES
            elif kind == LessonKind.DOCUMENT:
                allowed, limit = DOCUMENT_TYPES, settings.MAX_DOCUMENT_BYTES
            else:
                self.add_error("file", _("Only video and document lessons take a file."))
                return data
            try:
                self.detected = check_file(upload, allowed, limit)
            except forms.ValidationError as exc:
                self.add_error("file", exc)
            self.original_name = clean_filename(upload.name or "file")
        if kind == LessonKind.LINK and not data.get("url"):
            self.add_error("url", _("A link lesson needs the address of the page."))
        if kind == LessonKind.TEXT and not data.get("body", "").strip():
            self.add_error("body", _("A text lesson needs some text."))
        return data

    def save(self, commit: bool = True) -> Lesson:
        lesson: Lesson = super().save(commit=False)
        if getattr(self, "detected", None):
            lesson.file_type = self.detected[0]
            lesson.file_name = self.original_name
        if commit:
            lesson.save()
        return lesson


class CourseImageForm(forms.Form):
    """A picture for a lesson's text, sent by the lesson editor."""

    file = forms.ImageField(label=_("Picture"))

    def clean_file(self) -> Any:
        picture = self.cleaned_data["file"]
        check_image(picture, settings.MAX_LOGO_BYTES)
        return picture


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed"), max_length=300, required=False,
        help_text=_("Shown to trainers in the version history."),
    )  # fmt: skip


class DueDateField(forms.DateField):
    """A due date typed as a day; due at the end of that day in the assigner's time zone."""

    widget = forms.DateInput(attrs={"type": "date"})

    def to_datetime(self, value: Any) -> datetime | None:
        if not value:
            return None
        return datetime.combine(value, time(23, 59), tzinfo=timezone.get_current_timezone())


class AssignForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    emails = forms.CharField(
        label=_("Or add people by email"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more addresses separated by commas or new lines."),
    )  # fmt: skip
    due = DueDateField(label=_("Due date"), required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["people"], User.objects.all())
        scope_choices(self, actor, people=people_assignable)
        self.assignable: QuerySet[User] = people_assignable(User.objects.all(), actor)

    def clean_due(self) -> Any:
        due = self.cleaned_data.get("due")
        if due and due < timezone.localdate():
            raise forms.ValidationError(_("The due date is in the past."))
        return due

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        people = list(data.get("people") or [])
        raw = (data.get("emails") or "").replace(",", "\n").split()
        wanted = {e.strip().lower() for e in raw if e.strip()}
        if wanted:
            found = list(self.assignable.filter(email__in=wanted))
            missing = wanted - {p.email for p in found}
            if missing:
                self.add_error(
                    "emails",
                    _("Not among the people you can assign: %(emails)s")
                    % {"emails": ", ".join(sorted(missing))},
                )
            people += [p for p in found if p not in people]
        if not people and not self.errors:
            raise forms.ValidationError(_("Choose at least one person."))
        data["all_people"] = people
        data["due_at"] = DueDateField().to_datetime(data.get("due"))
        return data


class PeoplePickerFilter(forms.Form):
    q = forms.CharField(label=_("Name or email"), required=False, max_length=QUERY_MAX_LENGTH)
    partner = forms.ModelChoiceField(
        label=_("Company or location"), queryset=Partner.objects.none(), required=False
    )
    job_role = forms.ModelChoiceField(
        label=_("Job role"), queryset=JobRole.objects.all(), required=False
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["partner"], Partner.objects.order_by("name"))
        scope_choices(self, actor, partner="visible", job_role="visible")
