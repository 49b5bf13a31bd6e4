"""Serving uploaded files, only after the owning record's access check: the file views fetch
the record with its getter first (same 404 for missing and forbidden) and then call
`serve_file`. HTTP Range support (video seeking), the stored type with nosniff, inline only
for a short list of types, a sandbox CSP, caching that keeps private files out of shared
caches; with S3, a redirect to a short-lived signed URL issued after the same check.

There is no public media folder; `file_view` makes a file URL answer an anonymous visitor
with the same 404 as a stranger (no sign-in page that would confirm the file exists)."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    Http404,
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
    "video/quicktime",
    "audio/mpeg",
    "audio/mp4",
    "audio/ogg",
    "audio/wav",
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/gif",
}
# On every file response, PDFs included: no script, plugin, form, popup or same-origin rights
# for whatever the bytes turn out to be. Chromium (checked by tests/test_browser_security.py)
# still shows a PDF under this policy, in the lesson's and the item's frame: its viewer is
# the browser's, not the document's. frame-ancestors 'self' lets only our own pages frame it.
FILE_POLICY = (
    "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; frame-ancestors 'self'"
)
V = TypeVar("V", bound=Callable[..., HttpResponseBase])
RANGE_RE = re.compile(r"bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _safe_filename(name: str) -> str:
    cleaned = re.sub(r"[^\w.\- ]", "_", name).strip() or "download"
    return cleaned[:150]


def file_view(view: V) -> V:
    """For views that serve a file: signed-in people only, and a 404 (not the sign-in page)
    for anyone else, like a file that does not exist."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not (request.user.is_authenticated and request.user.is_active):
            raise Http404("Not found")
        return view(request, *args, **kwargs)

    wrapped.serves_files = True  # type: ignore[attr-defined]  # the isolation walk checks it
    return wrapped  # type: ignore[return-value]


def serve_file(
    request: HttpRequest,
    file: FieldFile,
    *,
    filename: str,
    content_type: str = "",
    public: bool = False,
) -> HttpResponseBase:
    """The file's bytes (or, on S3, a signed URL to them). Call it only once the person may
    open the record the file belongs to; `public` is for branding alone."""
    # Without a recorded type, the stored name's extension, which was read from the content
    # (kernel.uploads.content_name); never the uploader's name.
    content_type = (
        content_type or mimetypes.guess_type(file.name or "")[0] or "application/octet-stream"
    )
    inline = content_type in INLINE_TYPES
    disposition = f'{"inline" if inline else "attachment"}; filename="{_safe_filename(filename)}"'
    if not isinstance(file.storage, FileSystemStorage):
        # Object storage: the client fetches it directly, with a URL signed now (after the
        # access check) that expires in S3_URL_SECONDS and makes the store answer with the
        # same type and disposition as we would.
        storage: Any = file.storage  # django-storages' S3Storage.url takes these
        url = storage.url(
            file.name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
            },
            expire=settings.S3_URL_SECONDS,
        )
        redirect = HttpResponseRedirect(url)
        redirect["Cache-Control"] = "private, no-store"
        return redirect
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
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    # Set here, so the pages' policy (django-csp leaves a response's own policy alone) does
    # not replace it.
    response["Content-Security-Policy"] = FILE_POLICY
    # Private files stay out of shared caches (a proxy, a CDN); the browser may keep them
    # for an hour. The logo is public and versioned by its URL.
    response["Cache-Control"] = "public, max-age=31536000" if public else "private, max-age=3600"
    if not public:
        response["Vary"] = "Cookie"
    return response
