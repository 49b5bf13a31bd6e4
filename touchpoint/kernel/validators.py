"""Validators for what people type: names are plain text, never markup."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_plain_text(value: str) -> None:
    """Refuse angle brackets in names: they are never part of a real name and only ever
    arrive as markup someone hopes another screen or export will render."""
    if "<" in value or ">" in value:
        raise ValidationError(
            _("Names cannot contain < or >. Please type plain text."), code="markup"
        )


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_portal_path(value: str) -> bool:
    """A page of this portal as a path ("/library/assets/3/"): no scheme, no host, nothing
    a browser would take to another site ("//evil.example", "/\\evil.example")."""
    parts = urlsplit(value)
    return (
        value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and not parts.scheme
        and not parts.netloc
        and not any(c.isspace() for c in value)
        and not _CONTROL.search(value)
    )
