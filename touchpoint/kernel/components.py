"""What views hand to the template components (kernel/templates/components/) that take more
than plain values; the style guide (/styleguide/) shows each component in use."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Tab:
    """One tab of components/tabs.html: a view of the page at its own URL."""

    label: str | Promise
    url: str
    current: bool = False
    # A number shown in the tab (e.g. how many items the view holds), when there is one.
    count: int | None = None
