"""Certifications' places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.credentials.access import can_track_learning
from touchpoint.kernel.menu import MEASURE, MenuEntry, menu

menu.register(MenuEntry(_("Team learning"), "credentials:team", MEASURE, can_track_learning, 88))
menu.register(
    MenuEntry(_("Certification tracking"), "credentials:matrix", MEASURE, can_track_learning, 90)
)
