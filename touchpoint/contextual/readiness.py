"""Contextual help's part of launch readiness: launcher links, context mappings, integrations."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from touchpoint.contextual.models import ContextMapping, Integration, LauncherLink
from touchpoint.library.readiness import Fact, Readiness, contribute


@contribute
def contextual_readiness(readiness: Readiness) -> None:
    links = LauncherLink.objects.filter(is_active=True).count()
    mappings = ContextMapping.objects.count()
    integrations = Integration.objects.active().count()
    readiness.channel += [
        Fact(
            _("Links in the app launcher"), links, reverse("contextual:launcher_manage"), links > 0
        ),
        Fact(_("Context mappings"), mappings, reverse("contextual:mapping_list"), mappings > 0),
        Fact(_("Registered integrations"), integrations, reverse("contextual:integration_list")),
    ]
    if not links:
        readiness.channel_missing.append(
            _("No links in the app launcher: partners still need other logins to find them.")
        )
    if not mappings:
        readiness.channel_missing.append(
            _("No contextual help mapped: nothing opens from the dealers' own systems.")
        )
