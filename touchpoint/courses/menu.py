"""Courses' places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.courses.access import can_author_courses
from touchpoint.kernel.menu import EDUCATE, MenuEntry, everyone, menu

menu.register(MenuEntry(_("Learning"), "courses:catalog", EDUCATE, everyone, 20, "graduation-cap"))
menu.register(MenuEntry(_("Manage learning"), "courses:manage", EDUCATE, can_author_courses, 100))
