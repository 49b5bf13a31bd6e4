"""Forms for writing announcements and building campaigns."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from touchpoint.comms import actions
from touchpoint.comms.access import may_address, writes_to_own_partners_only
from touchpoint.comms.models import (
    Announcement,
    AnnouncementState,
    Campaign,
    CampaignStep,
    StepKind,
    TourStop,
)
from touchpoint.kernel.forms import limit_choices, scope_choices
from touchpoint.kernel.html import sanitise_or_paragraphs
from touchpoint.kernel.uploads import check_file, clean_filename
from touchpoint.kernel.validators import is_portal_path
from touchpoint.orgs.access import audiences_targetable_by
from touchpoint.orgs.audience import named_audiences, users_reached
from touchpoint.orgs.models import Audience, User

# What an announcement may carry, read from the content (kernel.uploads.sniff).
ATTACHMENT_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (.pptx)",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/zip": "ZIP",
}
ACCEPT = ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.zip"
MAX_ATTACHMENTS = 10
# Times are typed to the minute; "now" a minute ago still counts as now.
GRACE = timedelta(minutes=1)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def reach_of(audience: Audience | None) -> int:
    return users_reached(audience).count()


def _not_in_past(value: datetime | None, message: Any) -> datetime | None:
    if value and value < timezone.now() - GRACE:
        raise ValidationError(message, code="past")
    return value


def addressable_audiences(audiences: QuerySet[Audience], user: User) -> QuerySet[Audience]:
    """The saved audiences an author may announce to: a channel manager only those reaching
    nobody beyond the partners they manage (`may_address`; one query per named audience,
    of which a channel has a handful)."""
    audiences = audiences_targetable_by(audiences, user)
    if not writes_to_own_partners_only(user):
        return audiences
    return audiences.filter(pk__in=[a.pk for a in audiences if may_address(user, a)])


class AnnouncementForm(forms.ModelForm):
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    remove_attachments = forms.MultipleChoiceField(
        label=_("Remove attachments"), required=False, widget=forms.CheckboxSelectMultiple
    )
    confirm_empty = forms.BooleanField(
        label=_("Publish even though the audience reaches nobody yet"), required=False
    )

    class Meta:
        model = Announcement
        fields = [
            "title", "body", "priority", "requires_ack", "audience", "asset", "course",
            "publish_at", "ends_at",
        ]  # fmt: skip
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "priority": forms.RadioSelect,
            "publish_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
        }
        help_texts = {
            "priority": _(
                "Urgent: pinned at the top of home until acknowledged, and emailed at once to everyone it reaches."
            ),
            "publish_at": _("Empty: publish now. A later time: schedule it. Not in the past."),
            "ends_at": _("Optional: it leaves feeds and search at this time."),
        }

    def __init__(self, *args: Any, user: User, publish: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from touchpoint.courses.models import Course, Status
        from touchpoint.library.models import Asset, AssetState

        self.user = user
        self.publish = publish
        self.reach: int | None = None
        limit_choices(
            self.fields["audience"], named_audiences(), empty_label=_("Every partner person")
        )
        if writes_to_own_partners_only(user):
            self.fields["audience"].help_text = _(
                "Only the partners you manage: choose an audience within them."
            )
        limit_choices(
            self.fields["asset"],
            Asset.objects.exclude(state=AssetState.ARCHIVED).order_by("title").only("pk", "title"),
            empty_label=_("None"),
        )
        limit_choices(
            self.fields["course"],
            Course.objects.exclude(status=Status.ARCHIVED).order_by("title").only("pk", "title"),
            empty_label=_("None"),
        )
        # It points people at the item and the course: only at what its author may open.
        scope_choices(self, user, audience=addressable_audiences, asset="visible", course="visible")
        self.fields["attachments"].help_text = _(
            "PDF, Word, Excel, PowerPoint, PNG, JPEG or ZIP, up to %(size)s each; at most %(n)d."
        ) % {"size": filesizeformat(settings.MAX_DOCUMENT_BYTES), "n": MAX_ATTACHMENTS}
        existing = list(self.instance.attachments.all()) if self.instance.pk else []
        if existing:
            remove = self.fields["remove_attachments"]
            assert isinstance(remove, forms.MultipleChoiceField)
            remove.choices = [(str(a.pk), a.file_name) for a in existing]
        else:
            del self.fields["remove_attachments"]
        self.existing_count = len(existing)
        if self.instance.state == AnnouncementState.PUBLISHED:
            # Already out: its time is history, not a choice.
            del self.fields["publish_at"]
        self.order_fields(["title", "body", "priority", "requires_ack", "audience"])

    def clean_body(self) -> str:
        body = sanitise_or_paragraphs(self.cleaned_data.get("body") or "")
        if not body.strip():
            raise ValidationError(_("Write what you want to say."))
        return body

    def clean_publish_at(self) -> datetime | None:
        value = self.cleaned_data.get("publish_at")
        if "publish_at" not in self.changed_data:
            return value
        return _not_in_past(
            value,
            _(
                "This time has passed. Leave it empty to publish now, or choose a later time to schedule."
            ),
        )

    def clean_attachments(self) -> list[actions.NewFile]:
        files = []
        for upload in self.cleaned_data.get("attachments") or []:
            mime, _extension = check_file(upload, ATTACHMENT_TYPES, settings.MAX_DOCUMENT_BYTES)
            files.append(actions.NewFile(upload, mime, clean_filename(upload.name or "file")))
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        publish_at, ends_at = data.get("publish_at"), data.get("ends_at")
        if ends_at and "ends_at" in self.changed_data and ends_at <= timezone.now():
            self.add_error("ends_at", _("The end must be in the future."))
        elif publish_at and ends_at and ends_at <= publish_at:
            self.add_error("ends_at", _("It would end before it is published."))
        remove = data.get("remove_attachments") or []
        if self.existing_count - len(remove) + len(data.get("attachments") or []) > MAX_ATTACHMENTS:
            self.add_error("attachments", _("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS})
        if "audience" in data and not self.errors:
            if not may_address(self.user, data.get("audience")):
                self.add_error(
                    "audience", _("This audience reaches people at partners you do not manage.")
                )
            self.reach = reach_of(data.get("audience"))
            if self.publish and self.reach == 0 and not data.get("confirm_empty"):
                self.add_error(
                    "audience",
                    _(
                        "This audience reaches 0 people: nobody would see the announcement. "
                        "Choose another audience, or tick “Publish even though…” to publish anyway."
                    ),
                )
        return data

    def reach_message(self) -> str:
        if self.reach is None:
            return ""
        return ngettext("Reaches %(n)d person.", "Reaches %(n)d people.", self.reach) % {
            "n": self.reach
        }


# --- campaigns ---------------------------------------------------------------------------------
class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "description", "audience"]

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self.fields["audience"], named_audiences(), empty_label=_("Every partner person")
        )
        scope_choices(self, actor, audience=audiences_targetable_by)


class StepForm(forms.ModelForm):
    """One step; the fields that fit its kind."""

    KIND_FIELDS = {
        StepKind.TEASER: ["title", "body", "run_at", "ends_at"],
        StepKind.EMAIL: ["title", "subject", "body", "run_at"],
        StepKind.TOUR: ["title", "run_at", "ends_at"],
        StepKind.INCENTIVES: [
            "title", "run_at", "ends_at", "points_first_sign_in", "points_profile",
            "points_first_course",
        ],
    }  # fmt: skip

    class Meta:
        model = CampaignStep
        fields = [
            "title", "subject", "body", "run_at", "ends_at", "points_first_sign_in",
            "points_profile", "points_first_course",
        ]  # fmt: skip
        widgets = {
            "run_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "body": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "run_at": _(
                "When the step starts: the teaser is published, the email sent, the tour or incentives begin."
            ),
            "ends_at": _("Optional: when the teaser leaves feeds, or the tour or incentives stop."),
        }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in list(self.fields):
            if name not in self.KIND_FIELDS[StepKind(kind)]:
                del self.fields[name]
        if "body" in self.fields:
            self.fields["body"].required = True
        if "subject" in self.fields:
            self.fields["subject"].required = True

    def clean_body(self) -> str:
        body = sanitise_or_paragraphs(self.cleaned_data.get("body") or "")
        if not body.strip():
            raise ValidationError(_("Write what you want to say."))
        return body

    def clean_run_at(self) -> datetime | None:
        value = self.cleaned_data.get("run_at")
        if "run_at" in self.changed_data:
            _not_in_past(value, _("This time has passed; choose a later time."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        run_at, ends_at = data.get("run_at"), data.get("ends_at")
        if run_at and ends_at and ends_at <= run_at:
            self.add_error("ends_at", _("The end must come after the start."))
        if self.kind == StepKind.INCENTIVES and not any(
            data.get(f) for f in ("points_first_sign_in", "points_profile", "points_first_course")
        ):
            raise ValidationError(_("Give points for at least one of the three incentives."))
        return data


class TourStopForm(forms.ModelForm):
    class Meta:
        model = TourStop
        fields = ["title", "text", "url"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        if not is_portal_path(url):
            raise ValidationError(_("Use a page of the portal, starting with /, e.g. /learn/."))
        return url


TourStopFormSet = forms.formset_factory(
    TourStopForm, extra=1, min_num=1, max_num=8, validate_min=True, can_delete=True
)
