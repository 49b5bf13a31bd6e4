"""Periodic jobs of the paths app: the auto-enrolment safety net (see rules.py)."""

from touchpoint.paths.rules import apply_all_rules  # noqa: F401 - registered with the scheduler
