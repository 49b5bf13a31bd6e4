"""Forms for the community: new threads, replies, edits, reports, moving a thread and
forum categories."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from touchpoint.community.formatting import MAX_LENGTH
from touchpoint.community.models import Category, ReportReason, ThreadKind
from touchpoint.kernel.forms import limit_choices, scope_choices
from touchpoint.orgs.access import audiences_targetable_by, staff_directory
from touchpoint.orgs.models import Audience, User

FORMAT_HELP = _(
    "**bold**, *italic*, `code`, lists with - or 1., [link text](https://…), "
    "@name@company.example to mention someone."
)


def _body(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Your text"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=FORMAT_HELP,
    )


class ThreadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=[
            (ThreadKind.QUESTION, _("A question: I need an answer")),
            (ThreadKind.DISCUSSION, _("A discussion: tips, news, opinions")),
        ],
        initial=ThreadKind.QUESTION,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_(
            "One line that says what it is about, e.g. “X200 deck vibrates at full speed”."
        ),
    )
    body = _body()


class ReplyForm(forms.Form):
    body = _body(_("Your reply"))


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = _body()

    def __init__(self, *args: Any, with_title: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at it?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything else (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Move to"), queryset=Category.objects.none())

    def __init__(
        self, *args: Any, categories: QuerySet[Category], actor: User, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["category"], categories, empty_label=None)
        # A thread moves only to a category its mover moderates too.
        scope_choices(
            self,
            actor,
            category=lambda choices, user: choices & Category.objects.moderated_by(user),
        )


class CategoryForm(forms.ModelForm):
    moderators = forms.ModelMultipleChoiceField(
        label=_("Moderators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Told about reports, held posts and unanswered questions here. Without any, "
            "every community moderator is told."
        ),
    )

    class Meta:
        model = Category
        fields = ["name", "description", "audience", "position"]

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self.fields["audience"],
            Audience.objects.exclude(name="").order_by("name"),
            empty_label=_("Every partner person"),
        )
        limit_choices(
            self.fields["moderators"],
            User.objects.filter(partner__isnull=True, is_active=True).order_by("name", "email"),
        )
        if self.instance.pk:
            self.fields["moderators"].initial = list(self.instance.moderators.all())
        scope_choices(self, actor, audience=audiences_targetable_by, moderators=staff_directory)
