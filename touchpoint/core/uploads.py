"""Checks for uploaded files: the type is read from the content, never the name or the
browser's claim; sizes are capped; stored names are generated, not the uploader's."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Raster formats only: an SVG is a document that can carry script, so it is never accepted
# as an image that the portal shows on its own origin.
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
MAX_IMAGE_PIXELS = 4096 * 4096


def check_size(upload: UploadedFile, max_bytes: int) -> None:
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")


def check_image(upload: UploadedFile, max_bytes: int) -> str:
    """Validate an uploaded image; returns the file extension matching its real format."""
    check_size(upload, max_bytes)
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            fmt = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("This file is not a PNG, JPEG, WebP or GIF image."), code="not_image"
        ) from exc
    finally:
        upload.seek(0)
    if fmt not in IMAGE_FORMATS:
        raise ValidationError(_("Use a PNG, JPEG, WebP or GIF image."), code="format")
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _("The image is %(w)d×%(h)d pixels; please use one under 4096×4096.")
            % {"w": width, "h": height},
            code="too_big",
        )
    return IMAGE_FORMATS[fmt]


def generated_name(folder: str, extension: str) -> str:
    return f"{folder}/{uuid.uuid4().hex}.{extension}"
