"""Search's places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.menu import MEASURE, MenuEntry, menu
from touchpoint.search.access import can_review_misses

menu.register(
    MenuEntry(_("Searches that found nothing"), "search:misses", MEASURE, can_review_misses, 140)
)
