"""The portal's own forms: profile and preferences, API tokens, portal settings and the
audit-log filter."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.apiauth import scopes_allowed
from touchpoint.kernel.colours import contrast
from touchpoint.kernel.forms import QUERY_MAX_LENGTH, SearchableSelect
from touchpoint.kernel.models import ApiScope, PortalSettings
from touchpoint.kernel.notifications import KINDS, Kind, allowed_channels, channel_for
from touchpoint.kernel.uploads import check_image
from touchpoint.orgs.models import User, time_zone_choices


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, widget=SearchableSelect
    )

    class Meta:
        model = User
        fields = ["name", "title", "language", "time_zone"]


class NotificationPreferencesForm(forms.Form):
    """One choice per notification kind; kinds that cannot be switched off have no "Off"."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        saved = dict(user.notification_preferences.values_list("kind", "channel"))
        for code, kind in KINDS.items():
            if kind.staff_only and not user.is_vendor:
                continue
            self.fields[code] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.help,
                choices=allowed_channels(code),
                initial=channel_for(user, code, saved),
            )

    def rows(self) -> list[tuple[forms.BoundField, Kind]]:
        """(field, kind) per kind, for the preferences table."""
        return [(self[code], KINDS[code]) for code in self.fields]


class ApiTokenForm(forms.Form):
    EXPIRY_CHOICES = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("1 year")),
        ("", _("Never (revoke it by hand)")),
    ]
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("What will use it, e.g. CRM sync")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The token can never do more than you can."),
    )
    expires_in = forms.ChoiceField(
        label=_("Expires"), choices=EXPIRY_CHOICES, required=False, initial="90"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the person's role lets them hold: a scope they could never use is noise,
        # and the action would refuse it anyway.
        allowed = scopes_allowed(user)
        scopes = cast(forms.MultipleChoiceField, self.fields["scopes"])
        scopes.choices = [(value, label) for value, label in ApiScope.choices if value in allowed]

    def expiry(self) -> Any:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None


class PortalSettingsForm(forms.ModelForm):
    class Meta:
        model = PortalSettings
        fields = [
            "name",
            "tagline",
            "logo",
            "primary_colour",
            "accent_colour",
            "support_email",
            "require_mfa_for_staff",
        ]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
            "logo": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
            ),
        }
        help_texts = {
            "logo": _("PNG, JPEG, WebP or GIF, up to 1 MB. Shown in the top bar and in emails."),
            "primary_colour": _(
                "Top bar and buttons; text on it turns black or white to stay readable."
            ),
            "require_mfa_for_staff": _(
                "Vendor staff without an authenticator app are sent to set one up before anything else."
            ),
        }

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            # Stored under a name generated from its content (ContentNamedImageField).
            check_image(logo, settings.MAX_LOGO_BYTES)
        return logo

    def clean_primary_colour(self) -> str:
        colour: str = self.cleaned_data["primary_colour"]
        # Buttons and the top bar carry text in white or black, whichever reads better;
        # a mid-grey-bright colour can fail both, which would make the menu unreadable.
        best = max(contrast(colour, "#ffffff"), contrast(colour, "#111827"))
        if best < 4.5:
            raise forms.ValidationError(
                _(
                    "Text would be hard to read on this colour (contrast %(ratio).1f:1; needs 4.5:1)."
                ),
                params={"ratio": best},
            )
        return colour.upper()

    def clean_accent_colour(self) -> str:
        return str(self.cleaned_data["accent_colour"]).upper()


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Person or item"), required=False, max_length=QUERY_MAX_LENGTH)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        help_text=_("Starts with, e.g. “person.” or “partner.updated”"),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
