"""Forms for authoring the library: an item's details, its content (one version), publishing
and portal sections."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.forms import limit_choices, scope_choices
from touchpoint.kernel.html import sanitise_or_paragraphs
from touchpoint.kernel.uploads import check_file, check_size, clean_filename
from touchpoint.library import actions
from touchpoint.library.access import departments_filed_by
from touchpoint.library.models import Asset, AssetKind, Product, Section
from touchpoint.orgs.access import audiences_targetable_by, staff_directory
from touchpoint.orgs.models import Audience, Department, User

VIDEO_TYPES = {"video/mp4": "MP4", "video/webm": "WebM"}
# What an item may hold, read from the content (kernel.uploads.sniff). No SVG, HTML or
# anything else a browser could run as a page of the portal.
FILE_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (.pptx)",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WebP",
    "image/gif": "GIF",
    "application/zip": "ZIP",
    **VIDEO_TYPES,
}
ACCEPT = ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.webp,.gif,.mp4,.webm,.zip"
DEFAULT_REVIEW_MONTHS = 6
# Times are typed to the minute; "now" a minute ago still counts as now.
GRACE = timedelta(minutes=1)

web_address = URLValidator(
    schemes=["http", "https"], message=_("Use an address starting with https:// or http://.")
)


def owner_choices() -> QuerySet[User]:
    """Who may be accountable for an item or a section: active vendor staff."""
    return User.objects.filter(partner__isnull=True, is_active=True).order_by("name", "email")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AssetForm(forms.ModelForm):
    """An item's details. Content owners file items only where they may edit them."""

    tags_text = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=600,
        help_text=_("Separate tags with commas, e.g. warranty, X200, checkout."),
    )

    class Meta:
        model = Asset
        fields = [
            "kind", "section", "title", "summary", "products", "department", "owner",
            "audience", "language", "publish_at", "review_by", "expires_at",
        ]  # fmt: skip
        widgets = {
            "products": forms.CheckboxSelectMultiple,
            "publish_at": DateTimeInput(),
            "expires_at": DateTimeInput(),
            "review_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "publish_at": _(
                "To schedule: a time in the future. Leave empty to publish when you choose Publish."
            ),
            "review_by": _(
                "When you (the owner) check it is still right. You are reminded after this date."
            ),
            "expires_at": _("Optional: the item is archived automatically at this time."),
            "department": _("Empty: the section's department."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            del self.fields["kind"]
            self.fields["tags_text"].initial = ", ".join(t.name for t in self.instance.tags.all())
        else:
            self.fields["kind"].widget = forms.HiddenInput()
            self.fields["review_by"].initial = actions.add_months(
                timezone.localdate(), DEFAULT_REVIEW_MONTHS
            )
        limit_choices(self.fields["section"], Section.objects.all(), empty_label=None)
        self.fields["department"].required = False
        limit_choices(
            self.fields["department"],
            Department.objects.order_by("name"),
            empty_label=_("Same as the section"),
        )
        limit_choices(self.fields["owner"], owner_choices(), empty_label=None)
        limit_choices(
            self.fields["audience"],
            Audience.objects.exclude(name="").order_by("name"),
            empty_label=_("Every partner person"),
        )
        limit_choices(self.fields["products"], Product.objects.all())
        self.order_fields(["kind", "title", "summary", "section", "tags_text", "products"])
        # Where an item is filed (section, department) decides who may edit it: only where
        # the author may. What the item already has stays a choice on an edit.
        scope_choices(
            self,
            user,
            section=lambda sections, actor: sections & Section.objects.authorable_by(actor),
            department=departments_filed_by,
            owner=staff_directory,
            audience=audiences_targetable_by,
            products="shared",
        )

    def clean_tags_text(self) -> list[str]:
        return actions.parse_tags(self.cleaned_data.get("tags_text") or "")

    def clean_publish_at(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("publish_at")
        if value and "publish_at" in self.changed_data and value < timezone.now() - GRACE:
            raise forms.ValidationError(
                _(
                    "This time has passed. Leave it empty to publish now, or choose a later time to schedule."
                )
            )
        return value

    def clean_review_by(self) -> Any:
        value = self.cleaned_data.get("review_by")
        if value and "review_by" in self.changed_data and value < timezone.localdate():
            raise forms.ValidationError(
                _("The review date has passed; choose today or a later date.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        section = data.get("section")
        if section is not None and not data.get("department"):
            data["department"] = section.department
            self.instance.department = section.department
        publish_at, expires_at = data.get("publish_at"), data.get("expires_at")
        if expires_at and "expires_at" in self.changed_data and expires_at <= timezone.now():
            self.add_error("expires_at", _("The expiry time must be in the future."))
        elif publish_at and expires_at and expires_at <= publish_at:
            self.add_error("expires_at", _("The item would expire before it is published."))
        if section is not None and data.get("owner") is not None:
            probe = Asset(section=section, department=data.get("department"), owner=data["owner"])
            if not probe.is_manageable_by(self.user):
                raise forms.ValidationError(
                    _(
                        "You can file items only in your department's sections, or with yourself as the owner."
                    )
                )
        return data


class ContentForm(forms.Form):
    """One version's content: the fields that fit the item's kind."""

    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    url = forms.URLField(
        label=_("Address"), required=False, max_length=500, assume_scheme="https",
        validators=[web_address], help_text=_("The page people open, starting with https://."),
    )  # fmt: skip
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Headings, paragraphs, lists, tables, links and bold are kept; anything else is removed."
        ),
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args: Any, kind: str, first: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.detected: tuple[str, str] | None = None
        self.file_name = ""
        for name, wanted in (
            ("file", AssetKind.FILE),
            ("url", AssetKind.LINK),
            ("body", AssetKind.ARTICLE),
        ):
            if kind != wanted:
                del self.fields[name]
            else:
                self.fields[name].required = True
        if kind == AssetKind.FILE:
            self.fields["file"].help_text = _(
                "PDF, Word, Excel, PowerPoint, PNG, JPEG, WebP, GIF or ZIP up to %(doc)s; "
                "MP4 or WebM video up to %(video)s. PDFs, images and video are shown in the page."
            ) % {
                "doc": _size(settings.MAX_DOCUMENT_BYTES),
                "video": _size(settings.MAX_VIDEO_BYTES),
            }
        if first:
            self.fields["note"].initial = _("First version")
            self.fields["note"].help_text = _("Shown in the version history.")
        else:
            self.fields["note"].required = True
            self.fields["note"].help_text = _(
                "Shown to everyone in the version history, e.g. “New prices from 1 May”."
            )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return upload
        # Video may be larger than documents; the type is read from the content first.
        self.detected = check_file(
            upload, FILE_TYPES, max(settings.MAX_VIDEO_BYTES, settings.MAX_DOCUMENT_BYTES)
        )
        if self.detected[0] in VIDEO_TYPES:
            check_size(upload, settings.MAX_VIDEO_BYTES)
        else:
            check_size(upload, settings.MAX_DOCUMENT_BYTES)
        self.file_name = clean_filename(upload.name or "file")
        return upload

    def clean_body(self) -> str:
        body = sanitise_or_paragraphs(self.cleaned_data.get("body") or "")
        if not body.strip():
            raise forms.ValidationError(_("An article needs some text."))
        return body

    def content(self) -> actions.Content:
        data = self.cleaned_data
        return actions.Content(
            file=data.get("file"),
            file_type=self.detected[0] if self.detected else "",
            file_name=self.file_name,
            url=data.get("url") or "",
            body=data.get("body") or "",
            note=data.get("note") or "",
        )


def _size(n: int) -> str:
    from django.template.defaultfilters import filesizeformat

    return str(filesizeformat(n))


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Empty: publish now. A future time: schedule it."),
    )


class SectionForm(forms.ModelForm):
    # Paths under /library/ that a section's short name must not take.
    RESERVED = {"manage", "health", "readiness", "assets", "favourites"}

    class Meta:
        model = Section
        fields = ["name", "slug", "description", "department", "owner", "position"]
        help_texts = {
            "slug": _("Used in the address, e.g. service for /library/service/."),
            "owner": _("The one person accountable for keeping it current."),
            "position": _("Lower numbers come first."),
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["owner"], owner_choices(), empty_label=None)
        limit_choices(self.fields["department"], Department.objects.all(), empty_label=None)
        # A section's department is who edits what is filed there: the portal admins' call.
        scope_choices(self, actor, department="manageable", owner=staff_directory)

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in self.RESERVED:
            raise forms.ValidationError(
                _("“%(slug)s” is used by the library itself; choose another.") % {"slug": slug}
            )
        return slug
