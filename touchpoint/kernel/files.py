"""Serving uploaded files after an access check: with HTTP Range support (video seeking),
safe headers, and a redirect to a short-lived signed URL when files live in S3."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator

from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase

# Shown in the page; anything else is downloaded, so an uploaded HTML or SVG file can never
# run as a page of the portal.
INLINE_TYPES = {
    "application/pdf",
    "video/mp4",
    "video/webm",
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/gif",
}
RANGE_RE = re.compile(r"bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _safe_filename(name: str) -> str:
    cleaned = re.sub(r"[^\w.\- ]", "_", name).strip() or "download"
    return cleaned[:150]


def serve_file(
    request: HttpRequest, file: FieldFile, *, filename: str, content_type: str = ""
) -> HttpResponseBase:
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    inline = content_type in INLINE_TYPES
    disposition = "inline" if inline else "attachment"
    if not isinstance(file.storage, FileSystemStorage):
        # Object storage: let the client fetch it directly with a signed, expiring URL.
        return HttpResponseRedirect(file.storage.url(file.name))
    size = file.size
    match = RANGE_RE.match(request.headers.get("Range", ""))
    if match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start, end = int(first), int(last) if last else size - 1
        else:  # the last N bytes
            start, end = max(size - int(last), 0), size - 1
        if start >= size or start > end:
            refusal = HttpResponse(status=416)
            refusal["Content-Range"] = f"bytes */{size}"
            return refusal
        end = min(end, size - 1)
        handle = file.open("rb")
        handle.seek(start)

        def chunks(remaining: int = end - start + 1) -> Iterator[bytes]:
            while remaining > 0:
                data = handle.read(min(CHUNK, remaining))
                if not data:
                    break
                remaining -= len(data)
                yield data
            handle.close()

        response: HttpResponseBase = StreamingHttpResponse(
            chunks(), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(file.open("rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = f'{disposition}; filename="{_safe_filename(filename)}"'
    response["X-Content-Type-Options"] = "nosniff"
    if content_type != "application/pdf":
        # Images and video shown inline get no script, forms or same-origin rights. (Chrome
        # refuses to show a PDF in a sandboxed response, and its viewer runs no page script.)
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; media-src 'self'; img-src 'self'"
        )
    response["Cache-Control"] = "private, max-age=3600"
    return response
