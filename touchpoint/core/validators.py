"""Validators for what people type: names are plain text, never markup."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_plain_text(value: str) -> None:
    """Refuse angle brackets in names: they are never part of a real name and only ever
    arrive as markup someone hopes another screen or export will render."""
    if "<" in value or ">" in value:
        raise ValidationError(
            _("Names cannot contain < or >. Please type plain text."), code="markup"
        )
