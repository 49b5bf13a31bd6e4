"""Forms for a course's question bank: a question with its answer choices, and the filter of
the question list. The rules a question must meet live in `quizzes.bank`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from touchpoint.quizzes import bank
from touchpoint.quizzes.models import Choice, Question, QuestionKind

NO_POOL = "-"


class QuestionForm(forms.ModelForm):
    statement_is = forms.ChoiceField(
        label=_("The statement is"),
        choices=[("true", _("True")), ("false", _("False"))],
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "For a true-or-false question: leave the answer choices empty and say here whether "
            "the statement is true; the choices True and False are created for you."
        ),
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "pool", "explanation", "accepted_answers", "is_active"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "accepted_answers": forms.Textarea(attrs={"rows": 3}),
            "pool": forms.TextInput(attrs={"list": "question-pools", "autocomplete": "off"}),
        }
        help_texts = {
            "pool": _(
                "A quiz can draw only from one pool, e.g. “Safety”. Leave empty when it does "
                "not matter."
            ),
            "is_active": _("Questions out of use are never drawn; past results keep them."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = QuestionKind.choices  # no empty choice: every question has a kind

    @property
    def statement(self) -> bool | None:
        return {"true": True, "false": False}.get(self.cleaned_data.get("statement_is") or "")


class ChoiceForm(forms.ModelForm):
    class Meta:
        model = Choice
        fields = ["text", "is_correct"]


class BaseChoiceFormSet(BaseInlineFormSet):
    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("position", "pk")


class QuestionEditor:
    """A question form and its choice forms, validated together by the bank's rules, so that
    every problem shows at once next to the part it concerns."""

    def __init__(self, data: Any = None, *, question: Question) -> None:
        self.form = QuestionForm(data, instance=question)
        formset_class = inlineformset_factory(
            Question,
            Choice,
            form=ChoiceForm,
            formset=BaseChoiceFormSet,
            extra=2 if question.pk else 4,
            can_delete=True,
        )
        self.choices = formset_class(data, instance=question, prefix="choices")
        self.choice_errors: list[str] = []

    def choice_inputs(self) -> list[bank.ChoiceInput]:
        """The choices to keep, in the order given: blank new rows and removed rows left out."""
        items = []
        for form in self.choices.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not (data.get("text") or "").strip():
                continue
            items.append(
                bank.ChoiceInput(
                    data["text"].strip(), bool(data.get("is_correct")), form.instance.pk
                )
            )
        return items

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        for where, messages in problems.items():
            if where in self.form.fields:
                for message in messages:
                    self.form.add_error(where, message)
            else:
                self.choice_errors.extend(messages)

    def is_valid(self) -> bool:
        form_valid = self.form.is_valid()
        choices_valid = self.choices.is_valid()
        if "kind" in self.form.cleaned_data and choices_valid:
            self.add_problems(
                bank.question_problems(
                    self.form.cleaned_data["kind"],
                    self.choice_inputs(),
                    self.form.cleaned_data.get("accepted_answers") or "",
                    self.form.statement,
                )
            )
        return form_valid and choices_valid and not self.choice_errors and not self.form.errors

    @property
    def has_errors(self) -> bool:
        return bool(
            self.form.errors
            or self.choice_errors
            or self.choices.non_form_errors()
            or any(f.errors for f in self.choices.forms)
        )


class QuestionFilterForm(forms.Form):
    pool = forms.ChoiceField(label=_("Pool"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("In use")), ("inactive", _("Out of use"))],
    )

    def __init__(self, *args: Any, pools: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pool_field = self.fields["pool"]
        assert isinstance(pool_field, forms.ChoiceField)
        pool_field.choices = [
            ("", _("Every pool")),
            (NO_POOL, _("No pool")),
            *[(p, p) for p in pools if p],
        ]
