"""Addresses of credentials outside the site (certificates, badges, verification links) and
the names of their downloads."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify

from touchpoint.credentials.models import Credential


def absolute_url(view_name: str, *args: Any) -> str:
    """An address outside the site can use (certificates, badges): SITE_URL, not the request."""
    return settings.SITE_URL + reverse(view_name, args=args)


def verification_url(credential: Credential) -> str:
    return absolute_url("credentials:verify", credential.verification_id)


def download_filename(credential: Credential, extension: str) -> str:
    name = slugify(f"{credential.certification.name} {credential.user.name}") or "certificate"
    return f"{name[:80]}.{extension}"
