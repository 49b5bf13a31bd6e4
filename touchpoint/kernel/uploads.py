"""Checks for uploaded files: the type is read from the content, never the name or the
browser's claim; sizes are capped; stored names are generated, not the uploader's, and carry
the extension of the type the content has (ContentNamedFileField)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
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


# --- any file: what is it really? ----------------------------------------------------------------
def sniff(upload: Any) -> tuple[str, str] | None:
    """(MIME type, extension) read from the file's first bytes, or None when unknown."""
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand.startswith(b"qt"):
            return "video/quicktime", "mov"
        if brand in (b"M4A ", b"M4B "):
            return "audio/mp4", "m4a"
        return "video/mp4", "mp4"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg", "mp3"
    if head.startswith(b"OggS"):
        return "audio/ogg", "ogg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav", "wav"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm", "webm"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif", "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    if head.startswith(b"PK\x03\x04"):
        return _office_or_zip(upload)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-ole-storage", "doc"  # legacy Word/Excel/PowerPoint
    return None


def _office_or_zip(upload: UploadedFile) -> tuple[str, str]:
    import zipfile

    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "application/zip", "zip"
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names:
        for folder, mime, extension in (
            (
                "word/",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
            ),
            ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
            (
                "ppt/",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "pptx",
            ),
        ):
            if any(name.startswith(folder) for name in names):
                return mime, extension
    return "application/zip", "zip"


def check_file(upload: UploadedFile, allowed: dict[str, str], max_bytes: int) -> tuple[str, str]:
    """Validate an upload against the allowed MIME types (type -> how to name it to people);
    returns (MIME type, extension) as read from the content."""
    check_size(upload, max_bytes)
    found = sniff(upload)
    if found is None or found[0] not in allowed:
        raise ValidationError(
            _("This file type is not accepted here. Use: %(types)s.")
            % {"types": ", ".join(sorted(set(allowed.values())))},
            code="type",
        )
    return found


def clean_filename(name: str) -> str:
    """A display name safe for headers and pages: no path, no control characters."""
    import re

    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", base).strip(" .")
    return base[:200] or "file"


# --- storing: the name comes from the content ---------------------------------------------------
def content_name(content: Any) -> str:
    """A generated base name with the extension of the type read from the content ("bin" when
    it is none we know): the uploader's name and extension never reach the storage, so no
    file can be stored as .html or .svg whatever it was called."""
    found = sniff(content)
    return f"{uuid.uuid4().hex}.{found[1] if found else 'bin'}"


class ContentNamedFieldFile(FieldFile):
    def save(self, name: str, content: Any, save: bool = True) -> None:
        super().save(content_name(content), content, save)


class ContentNamedImageFieldFile(ImageFieldFile):
    def save(self, name: str, content: Any, save: bool = True) -> None:
        super().save(content_name(content), content, save)


class ContentNamedFileField(models.FileField):
    """A FileField whose stored name is generated and typed by the content, for every way a
    file reaches it (forms, actions, the admin, a shell): `upload_to` gets `<uuid>.<ext>`."""

    attr_class = ContentNamedFieldFile

    def deconstruct(self) -> Any:
        # The column is a plain FileField's; only the naming differs, which migrations do not
        # record, so migrations keep the stock field.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


class ContentNamedImageField(models.ImageField):
    """The same for images (checked by check_image in their forms)."""

    attr_class = ContentNamedImageFieldFile

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs
