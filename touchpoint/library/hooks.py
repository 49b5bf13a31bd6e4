"""What the apps above the library add to it, registered in their `AppConfig.ready()`:
panels on a section's page (its courses), and facts for launch readiness (readiness.py)."""

from __future__ import annotations

from touchpoint.kernel.panels import page_registries

panels = page_registries("library", ["section"])
