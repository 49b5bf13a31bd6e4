"""Launcher links are translated (name and description)."""

from __future__ import annotations

from django.urls import reverse

from touchpoint.contextual.models import LauncherLink
from touchpoint.kernel.translations import TranslatableKind, kinds

kinds.register(
    TranslatableKind(
        "launcher",
        LauncherLink,
        back_url=lambda k: reverse("contextual:launcher_edit", args=[k.pk]),
    )
)
