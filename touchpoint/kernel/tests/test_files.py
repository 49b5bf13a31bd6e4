"""Serving uploaded files: only through a record's view, with safe headers, Range requests
for video seeking, and short-lived signed links when files live in S3."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from touchpoint.kernel.files import file_view, serve_file

VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40


class Stored:
    """A FieldFile stand-in: a name, a storage and the file API serve_file uses."""

    def __init__(self, storage: Any, name: str) -> None:
        self.storage, self.name = storage, name

    @property
    def size(self) -> int:
        return int(self.storage.size(self.name))

    def open(self, mode: str = "rb") -> Any:
        return self.storage.open(self.name, mode)


@pytest.fixture
def video(tmp_path: Any) -> Stored:
    storage = FileSystemStorage(location=tmp_path)
    return Stored(storage, storage.save("lessons/demo.mp4", ContentFile(VIDEO)))


def test_it_serves_a_video_inline_with_safe_headers(rf: RequestFactory, video: Stored) -> None:
    response = serve_file(rf.get("/"), video, filename="demo.mp4", content_type="video/mp4")  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="demo.mp4"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"] == "private, max-age=3600" and response["Vary"] == "Cookie"
    assert response["Accept-Ranges"] == "bytes"


def test_it_answers_range_requests_so_a_video_can_seek(rf: RequestFactory, video: Stored) -> None:
    response: Any = serve_file(
        rf.get("/", HTTP_RANGE="bytes=100-199"),
        video,
        filename="demo.mp4",
        content_type="video/mp4",  # type: ignore[arg-type]
    )
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(VIDEO)}"
    assert b"".join(response.streaming_content) == VIDEO[100:200]
    tail: Any = serve_file(rf.get("/", HTTP_RANGE="bytes=-10"), video, filename="demo.mp4")  # type: ignore[arg-type]
    assert b"".join(tail.streaming_content) == VIDEO[-10:]
    beyond = serve_file(rf.get("/", HTTP_RANGE=f"bytes={len(VIDEO)}-"), video, filename="demo.mp4")  # type: ignore[arg-type]
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(VIDEO)}"


def test_anything_not_on_the_inline_list_is_downloaded(rf: RequestFactory, video: Stored) -> None:
    response = serve_file(rf.get("/"), video, filename="notes.html", content_type="text/html")  # type: ignore[arg-type]
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.fixture
def s3_storage(settings: Any) -> Iterator[Any]:
    """django-storages' S3Storage, configured as settings configure it, against moto's S3
    server on loopback: an independent S3 that stores the file and honours the response
    overrides of the signed link."""
    import boto3
    from moto.server import ThreadedMotoServer
    from storages.backends.s3 import S3Storage

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    options = {
        "bucket_name": "touchpoint-test",
        "endpoint_url": f"http://{host}:{port}",
        "region_name": "us-east-1",
        "access_key": "testing",
        "secret_key": "testing",
        **settings.S3_STORAGE_OPTIONS,
    }
    boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket="touchpoint-test")
    try:
        yield S3Storage(**options)
    finally:
        server.stop()


def test_on_s3_it_redirects_to_a_short_lived_link_with_our_headers(
    rf: RequestFactory, settings: Any, s3_storage: Any
) -> None:
    settings.S3_URL_SECONDS = 120
    name = s3_storage.save("docs/price-list.pdf", ContentFile(b"%PDF-1.7 price list"))

    response = serve_file(rf.get("/"), Stored(s3_storage, name), filename="Price list.pdf")  # type: ignore[arg-type]

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    link = urlsplit(response["Location"])
    query = parse_qs(link.query)
    assert query["X-Amz-Expires"] == ["120"] and "X-Amz-Signature" in query
    # The store itself answers the link with our type and disposition. (moto does not check
    # a presigned link's signature or age, so the lifetime is read from the link above.)
    with urlopen(response["Location"]) as fetched:  # noqa: S310 (loopback test server)
        assert fetched.read() == b"%PDF-1.7 price list"
        assert fetched.headers["Content-Type"] == "application/pdf"
        assert fetched.headers["Content-Disposition"] == 'inline; filename="Price list.pdf"'


def test_a_file_view_gives_an_anonymous_visitor_the_404_of_a_missing_file(
    rf: RequestFactory, db: None
) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    with pytest.raises(Http404):
        file_view(lambda request: None)(request)  # type: ignore[arg-type,return-value]


def test_there_is_no_public_media_folder() -> None:
    with pytest.raises(Resolver404):
        resolve("/media/branding/logo.png")
