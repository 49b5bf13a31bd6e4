"""Form helpers every app's forms use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

_KEEP = object()

# The longest search or filter text taken: longer is never a real query (someone pasted a
# page), and a capped echo of it cannot stretch the page or the query plan.
QUERY_MAX_LENGTH = 200


def limit_choices(field: forms.Field, queryset: QuerySet[Any], empty_label: Any = _KEEP) -> None:
    """Narrow a model choice field to `queryset` (typically what the user may pick);
    `empty_label=None` drops the blank choice of a required single choice."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if empty_label is not _KEEP:
        field.empty_label = empty_label


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put an action's ValidationError onto the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
