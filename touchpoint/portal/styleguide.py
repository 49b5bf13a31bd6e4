"""The examples the style guide (/styleguide/) renders its components with: a form bound with
errors, a paged table, tabs, the icon set and the type and spacing scales. Example content,
named as such on the page; nothing here is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.components import Tab
from touchpoint.kernel.templatetags.touchpoint import ICONS

TYPE_SCALE = ("2xl", "xl", "lg", "md", "base", "sm", "xs")
SPACING_SCALE = (1, 2, 3, 4, 5, 6, 7)
TIERS = ((_("Gold"), "ok"), (_("Silver"), "info"), (_("Bronze"), "neutral"))


class ExampleForm(forms.Form):
    name = forms.CharField(
        label=_("Company name"), max_length=80, help_text=_("As it appears on invoices.")
    )
    email = forms.EmailField(label=_("Email"))
    tier = forms.ChoiceField(label=_("Tier"), choices=[(str(t), t) for t, _tone in TIERS])
    channel = forms.ChoiceField(
        label=_("Reminders by"),
        choices=[("email", _("Email")), ("portal", _("The portal only"))],
        widget=forms.RadioSelect,
        initial="email",
    )
    agree = forms.BooleanField(label=_("I accept the program terms"), required=False)


def examples(request: HttpRequest) -> dict[str, Any]:
    invalid = ExampleForm({"name": "", "email": "not-an-email", "tier": "", "channel": "email"})
    invalid.is_valid()
    rows = [
        {"name": _("Example partner %(n)s") % {"n": n}, "tier": TIERS[n % 3], "people": n * 7}
        for n in range(1, 8)
    ]
    here = request.path
    return {
        "form": ExampleForm(auto_id="empty_%s"),
        "invalid_form": invalid,
        "table_page": Paginator(rows, 3).get_page(request.GET.get("page")),
        "no_rows": Paginator([], 3).get_page(1),
        "tabs": [
            Tab(_("Overview"), f"{here}#tabs", current=True),
            Tab(_("People"), f"{here}?view=people#tabs", count=12),
            Tab(_("Certifications"), f"{here}?view=certifications#tabs", count=0),
        ],
        "icons": sorted(path.stem for path in ICONS.glob("*.svg")),
        "type_scale": TYPE_SCALE,
        "spacing_scale": SPACING_SCALE,
        "tiers": TIERS,
    }
