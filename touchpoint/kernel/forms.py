"""Form helpers every app's forms use: choices limited to the acting person's reach, and
an action's errors put onto a form."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from django import forms
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.access import active

_KEEP = object()


class SearchableSelect(forms.Select):
    """A select of many choices (time zones) that app.js turns into a text box suggesting
    the choices as one types; the select itself stays in the form, and without JavaScript
    it is all there is."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(
            {"data-searchable": _("Pick one of the suggestions."), **(attrs or {})}, choices
        )


# The help a plain multiple select needs; app.js swaps it for the chips' own.
CTRL_CLICK_HINT = _("Hold Ctrl (or ⌘ on a Mac) to pick several.")


class ChipsSelectMultiple(forms.SelectMultiple):
    """A multiple select that app.js shows as chips (one per choice, each with a remove
    button) and a text box to add more, instead of Ctrl-click; the select stays in the form
    and works alone without JavaScript. `data-chips` is the help the chips replace the
    field's own CTRL_CLICK_HINT with."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        texts = {
            "data-chips": _("Type to find one; Enter adds it. Each chip's button removes it."),
            # %(choice)s: app.js puts the chip's name in.
            "data-chips-remove": _("Remove %(choice)s"),
            "data-chips-replaces": CTRL_CLICK_HINT,
        }
        super().__init__({**texts, **(attrs or {})}, choices)


# The longest search or filter text taken: longer is never a real query (someone pasted a
# page), and a capped echo of it cannot stretch the page or the query plan.
QUERY_MAX_LENGTH = 200

# Whose records a model choice field offers (`scope_choices`):
#   "visible"     Model.objects.visible_to(actor): records the person may open (to point at)
#   "manageable"  Model.objects.manageable_by(actor): records the person may change (to
#                 file something under, or to hand something to)
#   "shared"      a list without an owner (products), for any signed-in person
#   a function    (queryset, actor) -> queryset, for a rule of the app's own (the
#                 departments a content owner files under, the people one may assign)
Scope = Literal["visible", "manageable", "shared"] | Callable[[QuerySet[Any], Any], QuerySet[Any]]


def limit_choices(field: forms.Field, queryset: QuerySet[Any], empty_label: Any = _KEEP) -> None:
    """Narrow a model choice field to `queryset` (the records that make sense to pick);
    `empty_label=None` drops the blank choice of a required single choice."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if empty_label is not _KEEP:
        field.empty_label = empty_label


def scope_choices(form: forms.BaseForm, actor: Any, **scopes: Scope) -> None:
    """Offer in every model choice field of `form` only what `actor` may pick, by the same
    access rules as the records themselves. Called last in a form's __init__, after the
    fields' own filters (published only, companies only...).

    Every model choice field must be named: a new one left out fails at once rather than
    offering, and accepting, every row of its table. A forged POST of an id outside the
    scope is then the field's own "Select a valid choice" error. On an edit, the value the
    record already holds stays a choice (someone allowed put it there), so saving the form
    never changes it silently."""
    unnamed = [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField) and name not in scopes
    ]
    if unnamed:
        raise ImproperlyConfigured(
            f"{type(form).__name__}: say whose records {', '.join(unnamed)} offer(s)"
        )
    for name, scope in scopes.items():
        field = form.fields.get(name)
        if field is None:  # a field the form removed for this case
            continue
        assert isinstance(field, forms.ModelChoiceField), name
        queryset = field.queryset
        assert queryset is not None, name
        if scope == "visible":
            allowed = queryset.visible_to(actor)  # type: ignore[attr-defined]
        elif scope == "manageable":
            allowed = queryset.manageable_by(actor)  # type: ignore[attr-defined]
        elif scope == "shared":
            allowed = queryset if active(actor) else queryset.none()
        else:
            allowed = scope(queryset, actor)
        # A subquery keeps the field's own order and joins, whatever shape the rule has.
        field.queryset = queryset.filter(
            Q(pk__in=allowed.values("pk")) | Q(pk__in=_current_values(form, name))
        )


def _current_values(form: forms.BaseForm, name: str) -> list[Any]:
    instance = getattr(form, "instance", None)
    if instance is None or instance.pk is None:
        return []
    try:
        model_field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return []
    if model_field.many_to_many:
        return list(getattr(instance, name).values_list("pk", flat=True))
    value = getattr(instance, model_field.attname, None)
    return [] if value is None else [value]


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put an action's ValidationError onto the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class TranslationForm(forms.Form):
    """An item's words (and its parts') in one other language, each field beside the
    original it translates. A field left blank reads as the original."""

    def __init__(self, item: Any, parts: list[Any], language: str, *args: Any, **kwargs: Any):
        from django.utils.text import Truncator
        from django.utils.translation import gettext as _

        from touchpoint.kernel.html import as_text

        super().__init__(*args, **kwargs)
        self.language = language
        self.targets: list[tuple[Any, list[str]]] = []
        for index, obj in enumerate([item, *parts]):
            existing = next((t for t in obj.translations.all() if t.language == language), None)
            names = []
            for name in obj.translated_fields:
                model_field = obj._meta.get_field(name)
                key = f"{index}-{name}"
                original = str(getattr(obj, name) or "")
                if name in obj.translated_html:
                    # Block ends become spaces, so "…sale date.</p><ul><li>Register…" reads
                    # as two sentences, not "date.Register".
                    original = as_text(re.sub(r"</(p|li|h[1-6]|td|th)>", r"</\1> ", original))
                field = forms.CharField(
                    label=model_field.verbose_name.capitalize(),
                    required=False,
                    max_length=getattr(model_field, "max_length", None),
                    widget=forms.Textarea(attrs={"rows": 8 if name in obj.translated_html else 3})
                    if name in obj.translated_html
                    or (getattr(model_field, "max_length", None) or 201) > 200
                    else forms.TextInput(),
                    help_text=_("Original: %(text)s")
                    % {"text": Truncator(original).chars(300) or "—"},
                    initial=(existing.fields.get(name, "") if existing else ""),
                )
                field.widget.attrs["lang"] = language
                self.fields[key] = field
                names.append(key)
            self.targets.append((obj, names))

    @property
    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """Each translated object with its bound fields, for the template."""
        return [(obj, [self[n] for n in names]) for obj, names in self.targets]

    def values(self) -> dict[Any, dict[str, str]]:
        return {
            obj: {key.split("-", 1)[1]: self.cleaned_data.get(key, "") for key in names}
            for obj, names in self.targets
        }
