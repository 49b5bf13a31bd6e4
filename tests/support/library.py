"""Builders for library test data: a section, a product and an item of any kind with its
first version, published or not. Used by tests and the isolation cases."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from touchpoint.library import actions
from touchpoint.library.models import Asset, AssetKind, Product, Section
from touchpoint.orgs.models import Department, User

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    """A small real PNG image."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (31, 95, 139)).save(out, format="PNG")
    return out.getvalue()


def make_section(
    owner: User, name: str = "Service", *, department: str | None = None, position: int = 0
) -> Section:
    section, _ = Section.objects.get_or_create(
        slug=name.lower(),
        defaults={
            "name": name,
            "department": Department.objects.get_or_create(name=department or name)[0],
            "owner": owner,
            "position": position,
        },
    )
    return section


def make_product(name: str = "X200 zero-turn mower", code: str = "model-x200") -> Product:
    return Product.objects.get_or_create(code=code, defaults={"name": name})[0]


def content_for(kind: str, note: str = "First version", **overrides: Any) -> actions.Content:
    if kind == AssetKind.FILE:
        data = overrides.pop("data", PDF)
        mime = overrides.pop("file_type", "application/pdf")
        extension = overrides.pop("file_extension", "pdf")
        return actions.Content(
            file=ContentFile(data, name=f"file.{extension}"), file_type=mime,
            file_name=f"spec-sheet.{extension}", note=note, **overrides,
        )  # fmt: skip
    if kind == AssetKind.LINK:
        return actions.Content(
            url=overrides.get("url", "https://parts.ridgeline.example/"), note=note
        )
    return actions.Content(body=overrides.get("body", "<p>Check the fuel first.</p>"), note=note)


def make_asset(
    author: User,
    title: str = "Generator will not start",
    *,
    kind: str = AssetKind.ARTICLE,
    section: Section | None = None,
    publish: bool = True,
    audience: Any = None,
    owner: User | None = None,
    tags: tuple[str, ...] = (),
    products: tuple[Product, ...] = (),
    **fields: Any,
) -> Asset:
    """An item with its first version; published unless `publish=False`."""
    section = section or make_section(owner or author)
    content_overrides = fields.pop("content", {})
    asset = Asset(
        section=section, kind=kind, title=title, summary=f"About {title}",
        department=section.department, owner=owner or author, audience=audience, **fields,
    )  # fmt: skip
    return actions.create_asset(
        author, asset, tags=tags, products=products,
        content=content_for(kind, **content_overrides), publish=publish,
    )  # fmt: skip
