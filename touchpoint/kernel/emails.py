"""Sending email: templates rendered in the recipient's language, text plus HTML parts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from touchpoint.kernel.models import PortalSettings


def build_templated(
    template: str,
    to: str,
    language: str,
    context: dict[str, Any],
    *,
    headers: dict[str, str] | None = None,
    portal: PortalSettings | None = None,
) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt`, `.txt` and `.html` from templates/emails into one
    message, ready to send. Pass `portal` when building many, to load it once."""
    from touchpoint.kernel.models import PortalSettings

    portal = portal or PortalSettings.load()
    ctx = {"portal": portal, "site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", ctx).strip()
        text = render_to_string(f"emails/{template}.txt", ctx)
        html = render_to_string(f"emails/{template}.html", ctx)
    from_email = settings.DEFAULT_FROM_EMAIL
    if portal.name and "<" in from_email:
        # Show the portal's own name as the sender, keeping the configured address.
        from_email = f"{portal.name} <{from_email.split('<', 1)[1]}"
    message = EmailMultiAlternatives(
        " ".join(subject.split()), text, from_email, [to], headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    return message


def send_templated(
    template: str,
    to: str,
    language: str,
    context: dict[str, Any],
    *,
    headers: dict[str, str] | None = None,
) -> None:
    """Render `<template>_subject.txt`, `.txt` and `.html` from templates/emails and send."""
    build_templated(template, to, language, context, headers=headers).send()
