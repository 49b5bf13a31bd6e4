"""Courses' places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.courses.access import can_author_courses
from touchpoint.kernel.menu import WORK, MenuEntry, everyone, menu

menu.register(MenuEntry(_("Learning"), "courses:catalog", WORK, everyone, 20))
menu.register(MenuEntry(_("Manage learning"), "courses:manage", WORK, can_author_courses, 100))
