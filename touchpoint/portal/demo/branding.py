"""Demo branding for the Ridgeline story: portal name, colours and a generated logo, saved by
Pat through the portal-settings action."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from touchpoint.kernel.actions import save_portal_settings
from touchpoint.kernel.models import PortalSettings


def _logo_png() -> bytes:
    """A simple mark drawn in code, so the demo carries no binary asset."""
    size = 128
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=28, fill=(20, 83, 45, 255))
    # A ridge line: three peaks.
    draw.polygon([(14, 96), (44, 46), (62, 72), (82, 30), (114, 96)], fill=(245, 158, 11, 255))
    draw.polygon([(30, 96), (44, 72), (58, 96)], fill=(255, 255, 255, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seed(pat: Any) -> PortalSettings:
    """Pat brands the portal on the Portal settings page."""
    portal = PortalSettings.load()
    if portal.name == "Touchpoint":
        portal.name = "Ridgeline Partner Portal"
        portal.tagline = "Sell, service and grow with Ridgeline"
        portal.primary_colour = "#14532D"
        portal.accent_colour = "#F59E0B"
        portal.support_email = "partners@ridgeline.example"
    if not portal.logo:
        # The field stores it under a generated name typed by its content, like an upload.
        portal.logo.save("logo.png", ContentFile(_logo_png()), save=False)
    return save_portal_settings(pat, portal)
