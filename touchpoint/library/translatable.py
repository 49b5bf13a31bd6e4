"""Library items are translated (title and summary) from their own language."""

from __future__ import annotations

from django.urls import reverse

from touchpoint.kernel.translations import TranslatableKind, kinds
from touchpoint.library.models import Asset

kinds.register(
    TranslatableKind("asset", Asset, back_url=lambda a: reverse("library:asset_edit", args=[a.pk]))
)
